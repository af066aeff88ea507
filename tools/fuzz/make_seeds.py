#!/usr/bin/python3
"""Writes the seed corpora of the Jazzer fuzz tests (stdlib only; run from the repository root).

Seeds are small valid and malformed inputs that start the fuzzer in the interesting places:
- WavReaderFuzzTestInputs/: the WAV reference fixtures of sentiment-core's audio tests (libsndfile, sox and
  hand-made files of every encoding and every malformed case), plus hand-made headers that claim gigabytes,
  data before fmt, 65535 channels and the like.
- ManifestFuzzTestInputs/manifestJson/: the manifests of every fixture model.
- ManifestFuzzTestInputs/modelPackageZip/: zips of those manifests with a stub graph, and hand-made zips
  whose directories claim too much (a ZIP64 end record claiming 10^8 entries, which JDK 17's ZipFile
  allocated 1.4 GB for; an end record claiming 65,534) or whose folder names are thousands of characters.
- StreamFuzzTestInputs/stream/: pseudo-random byte strings (the target draws rates, chunk sizes, signals and
  the order of calls from them with Jazzer's FuzzedDataProvider).
Findings of fuzzing runs are added beside them by tools/fuzz/run-fuzz.sh and kept as regression inputs.
"""
import io
import os
import shutil
import struct
import zipfile

ROOT = "sentiment-core/src/test/resources/fuzz"
WAV_DIR = os.path.join(ROOT, "WavReaderFuzzTestInputs")
REF_WAV = "sentiment-core/src/test/resources/reference/audio/wav"


def chunk(cid, size, body=b""):
    return cid + struct.pack("<I", size & 0xFFFFFFFF) + body


def fmt(tag, channels, rate, block_align, bits):
    return chunk(b"fmt ", 16, struct.pack("<HHIIHH", tag, channels, rate, rate * block_align & 0xFFFFFFFF,
                                          block_align, bits))


def fmt_ext(sub, channels, rate, block_align, bits, valid):
    guid_tail = bytes([0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71])
    body = struct.pack("<HHIIHHHHIH", 0xFFFE, channels, rate, rate * block_align & 0xFFFFFFFF, block_align, bits,
                       22, valid, 0, sub) + guid_tail
    return chunk(b"fmt ", 40, body)


def riff(*chunks):
    return b"RIFF" + struct.pack("<I", 0) + b"WAVE" + b"".join(chunks)


def pcm16(n, seed=1):
    x = seed
    out = bytearray()
    for _ in range(n):
        x = (1103515245 * x + 12345) & 0x7FFFFFFF
        out += struct.pack("<h", (x >> 8) % 65536 - 32768)
    return bytes(out)


def hand_wavs():
    return {
        "huge_u8_2pow31_frames.wav": riff(fmt(1, 1, 8000, 1, 8), chunk(b"data", 1 << 31, bytes(range(100)))),
        "huge_s16_ffffffe.wav": riff(fmt(1, 1, 16000, 2, 16), chunk(b"data", 0xFFFFFFFE, pcm16(64))),
        "huge_s16_stereo.wav": riff(fmt(1, 2, 8000, 4, 16), chunk(b"data", 0xFFFFFFFC, pcm16(64))),
        "huge_data_before_fmt.wav": riff(chunk(b"data", 0xFFFFFFF0, pcm16(32)), fmt(1, 1, 8000, 2, 16)),
        "huge_list_chunk.wav": riff(chunk(b"LIST", 0xFFFFFFF0, b"INFOISFT"), fmt(1, 1, 8000, 2, 16),
                                    chunk(b"data", 64, pcm16(32))),
        "huge_fmt_chunk.wav": riff(chunk(b"fmt ", 0xFFFFFFF0, b"\x01\x00"), chunk(b"data", 4, pcm16(2))),
        "channels_65535.wav": riff(fmt(1, 65535, 8000, 65535, 8), chunk(b"data", 65535 * 65536, bytes(300))),
        "extensible_float_huge.wav": riff(fmt_ext(3, 2, 48000, 8, 32, 32),
                                          chunk(b"data", 0xFFFFFFF8, struct.pack("<4f", 0.5, -0.5, 1e-3, 2.0))),
        "streamed_size_zero_s24.wav": riff(fmt(1, 3, 22050, 9, 24), chunk(b"data", 0, pcm16(27))),
        "streamed_size_ffffffff_alaw.wav": riff(fmt(6, 1, 8000, 1, 8), chunk(b"data", 0xFFFFFFFF, bytes(range(256)))),
        "float64_nan.wav": riff(fmt(3, 1, 8000, 8, 64), chunk(b"data", 24, struct.pack("<3d", 0.25, float("nan"), 1))),
        "rate_1hz.wav": riff(fmt(1, 1, 1, 2, 16), chunk(b"data", 8, pcm16(4))),
        "odd_chunks.wav": riff(chunk(b"junk", 3, b"abc\x00"), fmt(7, 1, 8000, 1, 8), chunk(b"data", 5, b"\x01\x02\x03\x04\x05\x00")),
    }


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def main():
    os.makedirs(WAV_DIR, exist_ok=True)
    for name in sorted(os.listdir(REF_WAV)):
        src = os.path.join(REF_WAV, name)
        if name.endswith(".wav") and os.path.getsize(src) <= 6000:
            shutil.copyfile(src, os.path.join(WAV_DIR, "ref_" + name))
    for name, data in hand_wavs().items():
        write(os.path.join(WAV_DIR, "hand_" + name), data)

    models = "fixtures/models"
    for model in sorted(m for m in os.listdir(models) if os.path.isdir(os.path.join(models, m))):
        with open(os.path.join(models, model, "tingxin-model.json"), "rb") as f:
            manifest = f.read()
        write(os.path.join(ROOT, "ManifestFuzzTestInputs", "manifestJson", model + ".json"), manifest)
        for nested in (False, True):
            buf = io.BytesIO()
            prefix = "pkg/" if nested else ""
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED if nested else zipfile.ZIP_STORED) as z:
                z.writestr(zipfile.ZipInfo(prefix + "tingxin-model.json", (2026, 1, 1, 0, 0, 0)), manifest)
                z.writestr(zipfile.ZipInfo(prefix + "model.onnx", (2026, 1, 1, 0, 0, 0)), b"\x08\x07stub graph")
                z.writestr(zipfile.ZipInfo(prefix + "MODEL_CARD.md", (2026, 1, 1, 0, 0, 0)), b"# card\n")
            write(os.path.join(ROOT, "ManifestFuzzTestInputs", "modelPackageZip",
                               model + ("_nested" if nested else "") + ".zip"), buf.getvalue())
    for name, data in hand_zips().items():
        write(os.path.join(ROOT, "ManifestFuzzTestInputs", "modelPackageZip", "hand_" + name), data)
    stream_seeds()


def small_zip(names, body=b"{}"):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for n in names:
            z.writestr(zipfile.ZipInfo(n, (2026, 1, 1, 0, 0, 0)), body)
    return buf.getvalue()


def with_end(zip_bytes, entries=None, zip64_entries=None):
    """The zip with its end record's entry count replaced, or with a ZIP64 end record and locator inserted."""
    end = len(zip_bytes) - 22
    sig, disk, cdisk, n_disk, n, cen_len, cen_off, comment = struct.unpack("<IHHHHIIH", zip_bytes[end:])
    if entries is not None:
        n_disk = n = entries
    head = zip_bytes[:end]
    if zip64_entries is not None:
        end64 = struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 45, 45, 0, 0, zip64_entries, zip64_entries,
                            cen_len, cen_off)
        locator = struct.pack("<IIQI", 0x07064b50, 0, end, 1)
        head += end64 + locator
        n_disk = n = 0xFFFF
    return head + struct.pack("<IHHHHIIH", sig, disk, cdisk, n_disk, n, cen_len, cen_off, comment)


def hand_zips():
    return {
        "zip64_claims_1e8_entries.zip": with_end(small_zip(["tingxin-model.json"]), zip64_entries=100_000_000),
        "end_claims_65534_entries.zip": with_end(small_zip(["tingxin-model.json"]), entries=65534),
        "folder_name_4000_chars.zip": small_zip(["A" * 4000 + "/tingxin-model.json"]),
        "two_folders_2000_chars.zip": small_zip(["A" * 2000 + "/tingxin-model.json", "B" * 2000 + "/tingxin-model.json"]),
    }


def stream_seeds():
    import random
    rnd = random.Random(9)
    for i, n in enumerate((16, 48, 96, 160, 256, 400, 640, 1024)):
        write(os.path.join(ROOT, "StreamFuzzTestInputs", "stream", "seed_%02d" % i),
              bytes(rnd.randrange(256) for _ in range(n)))


if __name__ == "__main__":
    main()
