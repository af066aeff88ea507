#!/usr/bin/python3
"""Reference vectors for Tingxin's audio input (sentiment-core io.github.tingxin.core.audio).

Run with Debian's interpreter (torch 1.13, torchaudio 0.13.1, soundfile, sox):

    /usr/bin/python3 tools/reference/audio/make_reference.py

It writes, under sentiment-core/src/test/resources/reference/audio/:

* resample/: torchaudio.functional.resample (defaults: sinc_interp_hann, lowpass_filter_width 6,
  rolloff 0.99) of fresh signals - white noise, a log chirp, a real EmoDB clip, a near-full-scale and a
  near-silent signal - across rate pairs, as raw little-endian float32 (.f32), indexed by resample.json.
* wav/: WAV files of every encoding written by independent writers (libsndfile through soundfile, SoX,
  and by hand with struct for G.711 tables, EXTENSIBLE, odd chunks, streamed sizes and malformed
  headers), with the samples libsndfile (or audioop for G.711) decodes, as interleaved float32, and
  the expected error codes of the malformed ones, indexed by wav.json.
* g711/: Python audioop's lin2ulaw / lin2alaw of every 16-bit value, and ulaw2lin / alaw2lin of every code.

Everything is seeded, so a rerun gives the same bytes (given the same library versions, recorded in the
index files). Vectors are kept short: the whole set is well under 2 MB.
"""
import audioop
import json
import math
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
import soundfile as sf
import torch
import torchaudio
import torchaudio.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "sentiment-core", "src", "test", "resources", "reference", "audio")
EMODB = os.path.abspath(os.path.join(ROOT, "..", "shared", "data", "emodb", "03a01Fa.wav"))

VERSIONS = {
    "python": sys.version.split()[0],
    "torch": torch.__version__,
    "torchaudio": torchaudio.__version__,
    "numpy": np.__version__,
    "soundfile": sf.__version__,
    "libsndfile": sf.__libsndfile_version__,
    "sox": subprocess.run(["sox", "--version"], capture_output=True, text=True).stdout.strip(),
}


def f32(path, array):
    np.asarray(array, dtype="<f4").tofile(path)


# ---------------------------------------------------------------------------------------------- resampling

RATE_PAIRS = [
    (8000, 16000), (16000, 8000), (11025, 16000), (22050, 16000), (32000, 16000), (44100, 16000),
    (48000, 16000), (16000, 22050), (16000, 44100), (16000, 48000), (44100, 48000), (48000, 44100),
    (11025, 8000), (8000, 44100), (22050, 8000), (16000, 32000), (8000, 11025), (44100, 22050),
]


def signals(rate, rng, speech):
    """Fresh signals of odd, non-round lengths (about 0.12 s) at `rate`."""
    n = int(0.12 * rate) + int(rng.integers(1, 97))
    t = np.arange(n) / rate
    out = {}
    out["noise"] = (rng.standard_normal(n) * 0.3).clip(-1, 1)
    f0, f1 = 40.0, 0.49 * rate
    k = math.log(f1 / f0) / t[-1]
    out["chirp"] = 0.8 * np.sin(2 * math.pi * f0 * (np.exp(k * t) - 1) / k)
    # A real clip: EmoDB speech, its samples taken as they are at this rate.
    start = int(rng.integers(10000, len(speech) - n - 1))
    out["emodb"] = speech[start:start + n]
    loud = np.sign(rng.standard_normal(n)) * (0.97 + 0.029 * rng.random(n))
    loud[::7] = rng.uniform(-1, 1, len(loud[::7]))
    out["fullscale"] = loud
    out["silent"] = rng.standard_normal(n) * 3e-5
    return {k: np.asarray(v, dtype=np.float32) for k, v in out.items()}


def make_resample():
    d = os.path.join(OUT, "resample")
    os.makedirs(d, exist_ok=True)
    speech, rate = sf.read(EMODB, dtype="float32")
    assert rate == 22050
    rng = np.random.default_rng(20261125)
    inputs = {}
    cases = []
    for orig, new in RATE_PAIRS:
        if orig not in inputs:
            inputs[orig] = signals(orig, rng, speech)
            for name, x in inputs[orig].items():
                f32(os.path.join(d, f"in_{name}_{orig}.f32"), x)
        for name, x in inputs[orig].items():
            y = F.resample(torch.from_numpy(x)[None], orig, new)[0].numpy()
            # The reference for ours: torchaudio in float32, as users run it. Also record how far that is
            # from float64 torchaudio, to show the floor any float32 implementation sits on.
            y64 = F.resample(torch.from_numpy(x.astype(np.float64))[None], orig, new)[0].numpy()
            out_name = f"out_{name}_{orig}_{new}.f32"
            f32(os.path.join(d, out_name), y)
            cases.append({"signal": name, "inputRate": orig, "outputRate": new,
                          "input": f"in_{name}_{orig}.f32", "output": out_name,
                          "inputLength": int(len(x)), "outputLength": int(len(y)),
                          "float32VsFloat64MaxAbs": float(np.abs(y - y64).max())})
    # Very short inputs pin the edge handling (padding, output length) exactly.
    for orig, new in [(8000, 16000), (44100, 16000), (16000, 44100), (48000, 8000)]:
        for n in (1, 2, 5, 13):
            x = rng.uniform(-1, 1, n).astype(np.float32)
            name = f"tiny{n}"
            f32(os.path.join(d, f"in_{name}_{orig}_{new}.f32"), x)
            y = F.resample(torch.from_numpy(x)[None], orig, new)[0].numpy()
            out_name = f"out_{name}_{orig}_{new}.f32"
            f32(os.path.join(d, out_name), y)
            cases.append({"signal": name, "inputRate": orig, "outputRate": new,
                          "input": f"in_{name}_{orig}_{new}.f32", "output": out_name,
                          "inputLength": n, "outputLength": int(len(y)), "float32VsFloat64MaxAbs": 0.0})
    with open(os.path.join(OUT, "resample.json"), "w") as fh:
        json.dump({"versions": VERSIONS, "function": "torchaudio.functional.resample(waveform, orig, new) "
                   "with defaults, float32", "cases": cases}, fh, indent=1)
    return len(cases)


# ---------------------------------------------------------------------------------------------- WAV files

def chunk(tag, body, pad=True):
    data = tag.encode("ascii") + struct.pack("<I", len(body)) + body
    if pad and len(body) % 2:
        data += b"\0"
    return data


def riff(*chunks, riff_size=None, form=b"WAVE", magic=b"RIFF"):
    body = form + b"".join(chunks)
    return magic + struct.pack("<I", len(body) if riff_size is None else riff_size) + body


def fmt_classic(tag, channels, rate, bits, block_align=None, extra=None):
    ba = channels * bits // 8 if block_align is None else block_align
    body = struct.pack("<HHIIHH", tag, channels, rate, rate * ba, ba, bits)
    if extra is not None:
        body += struct.pack("<H", len(extra)) + extra
    return chunk("fmt ", body)


GUID_TAIL = bytes([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71])


def fmt_extensible(code, channels, rate, bits, valid_bits, mask=0, tail=GUID_TAIL):
    ba = channels * bits // 8
    body = struct.pack("<HHIIHH", 0xFFFE, channels, rate, rate * ba, ba, bits)
    body += struct.pack("<HHI", 22, valid_bits, mask) + struct.pack("<H", code) + tail
    return chunk("fmt ", body)


def interleave(x):
    return np.asarray(x, dtype=np.float32).reshape(-1)


class Wavs:
    def __init__(self):
        self.dir = os.path.join(OUT, "wav")
        os.makedirs(self.dir, exist_ok=True)
        self.cases = []

    def ok(self, name, data_bytes, expected, rate, channels, encoding, bits, **extra):
        """A readable file: bytes and the interleaved samples an independent decoder gives."""
        with open(os.path.join(self.dir, name + ".wav"), "wb") as fh:
            fh.write(data_bytes)
        expected = np.asarray(expected, dtype=np.float32).reshape(-1, channels)
        f32(os.path.join(self.dir, name + ".f32"), expected.reshape(-1))
        self.cases.append(dict(name=name, file=name + ".wav", expected=name + ".f32", sampleRate=rate,
                               channels=channels, frames=int(expected.shape[0]), encoding=encoding,
                               bitsPerSample=bits, **extra))

    def ok_file(self, name, path, encoding, bits, **extra):
        with open(path, "rb") as fh:
            data = fh.read()
        x, rate = sf.read(path, dtype="float32", always_2d=True)
        self.ok(name, data, x, rate, x.shape[1], encoding, bits, **extra)

    def bad(self, name, data_bytes, error, *message_parts):
        with open(os.path.join(self.dir, name + ".wav"), "wb") as fh:
            fh.write(data_bytes)
        self.cases.append(dict(name=name, file=name + ".wav", error=error, messageContains=list(message_parts)))


def make_wavs():
    w = Wavs()
    rng = np.random.default_rng(7)
    tmp = tempfile.mkdtemp()

    # --- every encoding, written by libsndfile (classic and EXTENSIBLE headers), decoded by libsndfile
    frames, rate = 331, 8000
    t = np.arange(frames) / rate
    stereo = np.stack([0.9 * np.sin(2 * math.pi * 440 * t) * np.linspace(0, 1, frames),
                       rng.uniform(-1, 1, frames) * 0.99], axis=1)
    encodings = {"PCM_U8": ("PCM_UNSIGNED", 8), "PCM_16": ("PCM_SIGNED", 16), "PCM_24": ("PCM_SIGNED", 24),
                 "PCM_32": ("PCM_SIGNED", 32), "FLOAT": ("IEEE_FLOAT", 32), "DOUBLE": ("IEEE_FLOAT", 64),
                 "ULAW": ("MU_LAW", 8), "ALAW": ("A_LAW", 8)}
    for container in ("WAV", "WAVEX"):
        for subtype, (encoding, bits) in encodings.items():
            path = os.path.join(tmp, "x.wav")
            data = stereo
            if subtype == "PCM_32":
                # Full 32-bit integers, so the float conversion's rounding is exercised.
                data = rng.integers(-2**31, 2**31 - 1, size=stereo.shape, dtype=np.int32)
            if subtype == "DOUBLE":
                data = stereo * 1.25  # floats beyond full scale are kept as they are
            sf.write(path, data, rate, subtype=subtype, format=container)
            w.ok_file(f"sf_{container.lower()}_{subtype.lower()}", path, encoding, bits, writer="libsndfile",
                      header="EXTENSIBLE" if container == "WAVEX" else "CLASSIC")

    # --- SoX: mu-law, A-law, and a 3-channel 24-bit file (SoX writes EXTENSIBLE for more than 2 channels)
    for args, name, encoding, bits in [(["-e", "mu-law"], "sox_ulaw", "MU_LAW", 8),
                                       (["-e", "a-law"], "sox_alaw", "A_LAW", 8),
                                       (["-e", "signed-integer", "-b", "24", "-c", "3"], "sox_s24_3ch",
                                        "PCM_SIGNED", 24),
                                       (["-e", "unsigned-integer", "-b", "8"], "sox_u8", "PCM_UNSIGNED", 8)]:
        path = os.path.join(tmp, name + ".wav")
        channels = 3 if "-c" in args else 1
        cmd = ["sox", "-R", "-n", "-r", "16000", "-c", str(channels)] + [a for a in args if a not in ("-c", "3")] \
            + [path, "synth", "0.02", "sine", "300-3000", "vol", "0.7"]
        subprocess.run(cmd, check=True)
        w.ok_file(name, path, encoding, bits, writer="sox")

    # --- by hand: every G.711 code, decoded by audioop (an independent implementation)
    codes = bytes(range(256))
    w.ok("hand_ulaw_all_codes", riff(fmt_classic(7, 1, 8000, 8, extra=b""), chunk("fact", struct.pack("<I", 256)),
                                     chunk("data", codes)),
         np.frombuffer(audioop.ulaw2lin(codes, 2), dtype="<i2") / 32768.0, 8000, 1, "MU_LAW", 8, writer="hand")
    w.ok("hand_alaw_all_codes", riff(fmt_classic(6, 2, 8000, 8, extra=b""), chunk("data", codes)),
         np.frombuffer(audioop.alaw2lin(codes, 2), dtype="<i2") / 32768.0, 8000, 2, "A_LAW", 8, writer="hand")

    # EXTENSIBLE by hand: float32 sub-format, 3 channels with a channel mask
    x = rng.uniform(-1.2, 1.2, (50, 3)).astype(np.float32)
    w.ok("hand_extensible_float", riff(fmt_extensible(3, 3, 44100, 32, 32, mask=0x7),
                                       chunk("data", x.astype("<f4").tobytes())),
         x, 44100, 3, "IEEE_FLOAT", 32, writer="hand")
    # EXTENSIBLE 20 valid bits in a 24-bit container (samples left-justified)
    ints = (rng.integers(-2**19, 2**19, (40, 2)) * 16).astype(np.int32)
    raw = b"".join(struct.pack("<i", int(v))[:3] for v in ints.reshape(-1))
    w.ok("hand_extensible_s24_valid20", riff(fmt_extensible(1, 2, 48000, 24, 20, mask=0x3), chunk("data", raw)),
         ints / 2.0**23, 48000, 2, "PCM_SIGNED", 24, writer="hand")
    # EXTENSIBLE mu-law
    w.ok("hand_extensible_ulaw", riff(fmt_extensible(7, 1, 8000, 8, 8), chunk("data", codes[:101])),
         np.frombuffer(audioop.ulaw2lin(codes[:101], 2), dtype="<i2") / 32768.0, 8000, 1, "MU_LAW", 8, writer="hand")

    # Odd chunks in any order: an odd-sized LIST (with its pad byte), JUNK, fact, the data chunk BEFORE fmt
    # and of odd size (8-bit mono, padded), an unknown chunk after data.
    u8 = rng.integers(0, 256, 77).astype(np.uint8)
    w.ok("hand_odd_chunks_data_first",
         riff(chunk("LIST", b"INFOISFT\x05\x00\x00\x00odd!\x00"), chunk("JUNK", b"\0" * 3),
              chunk("data", u8.tobytes()), chunk("zzz1", b"abc"), fmt_classic(1, 1, 11025, 8),
              chunk("cue ", b"\1\2\3\4\5")),
         (u8.astype(np.float64) - 128) / 128, 11025, 1, "PCM_UNSIGNED", 8, writer="hand")
    s16 = rng.integers(-32768, 32768, (61, 2)).astype("<i2")
    w.ok("hand_odd_chunks_fmt_first",
         riff(chunk("bext", b"x" * 9), fmt_classic(1, 2, 22050, 16), chunk("LIST", b"y" * 5),
              chunk("data", s16.tobytes()), chunk("id3 ", b"z" * 11)),
         s16 / 32768.0, 22050, 2, "PCM_SIGNED", 16, writer="hand")
    # fmt of 18 bytes with cbSize 0 for PCM, as some writers do
    w.ok("hand_pcm_fmt18", riff(fmt_classic(1, 1, 16000, 16, extra=b""), chunk("data", s16[:, 0].tobytes())),
         s16[:, 0] / 32768.0, 16000, 1, "PCM_SIGNED", 16, writer="hand")

    # Streamed sizes: data size 0 and 0xFFFFFFFF (and the RIFF size too) mean "to the end of the input".
    s16m = rng.integers(-32768, 32768, 123).astype("<i2")
    for size, label in [(0, "zero"), (0xFFFFFFFF, "ffffffff")]:
        body = b"data" + struct.pack("<I", size) + s16m.tobytes()
        w.ok(f"hand_streamed_size_{label}",
             b"RIFF" + struct.pack("<I", size) + b"WAVE" + fmt_classic(1, 1, 8000, 16) + body,
             s16m / 32768.0, 8000, 1, "PCM_SIGNED", 16, writer="hand", framesDeclared=-1)
    # Zero-length audio reads fine.
    w.ok("hand_empty_data", riff(fmt_classic(3, 2, 16000, 32, extra=b""), chunk("data", b"")),
         np.zeros((0, 2)), 16000, 2, "IEEE_FLOAT", 32, writer="hand", framesDeclared=-1)

    # --- malformed and unsupported
    pcm = fmt_classic(1, 1, 8000, 16)
    data16 = chunk("data", s16m.tobytes())
    good = riff(pcm, data16)
    w.bad("bad_not_riff", b"OggS\0\2" + b"\0" * 60, "NOT_RIFF_WAVE", "does not start with 'RIFF'")
    w.bad("bad_rifx", b"RIFX" + good[4:], "NOT_RIFF_WAVE", "RIFX")
    w.bad("bad_rf64", b"RF64" + good[4:], "NOT_RIFF_WAVE", "RF64")
    w.bad("bad_riff_avi", riff(pcm, data16, form=b"AVI "), "NOT_RIFF_WAVE", "'AVI '")
    w.bad("bad_empty", b"", "HEADER_TRUNCATED", "0 of 12 bytes")
    w.bad("bad_riff_header_cut", good[:10], "HEADER_TRUNCATED", "10 of 12 bytes")
    w.bad("bad_chunk_header_cut", good[:12 + 24 + 5], "HEADER_TRUNCATED", "inside a chunk header")
    w.bad("bad_fmt_cut", good[:12 + 8 + 10], "HEADER_TRUNCATED", "inside the fmt chunk")
    w.bad("bad_no_fmt", riff(chunk("LIST", b"abcd"), data16), "MISSING_FMT_CHUNK", "no fmt chunk")
    w.bad("bad_no_fmt_streamed", b"RIFF\xff\xff\xff\xffWAVE" + b"data\xff\xff\xff\xff" + s16m.tobytes(),
          "MISSING_FMT_CHUNK", "no fmt chunk")
    w.bad("bad_no_data", riff(pcm, chunk("LIST", b"abcd")), "MISSING_DATA_CHUNK", "no data chunk")
    w.bad("bad_no_chunks", riff(), "MISSING_FMT_CHUNK", "neither a fmt nor a data chunk")
    w.bad("bad_ima_adpcm", riff(fmt_classic(0x11, 1, 8000, 4, block_align=256, extra=struct.pack("<H", 505)),
                                chunk("data", b"\0" * 256)), "UNSUPPORTED_ENCODING",
          "IMA ADPCM (0x0011) is not supported")
    w.bad("bad_mp3", riff(fmt_classic(0x55, 1, 8000, 0, block_align=1, extra=b"\0" * 12), chunk("data", b"\0" * 64)),
          "UNSUPPORTED_ENCODING", "MPEG Layer 3 (MP3) (0x0055) is not supported")
    w.bad("bad_extensible_guid", riff(fmt_extensible(1, 1, 8000, 16, 16, tail=b"\x11" * 14), data16),
          "UNSUPPORTED_ENCODING", "sub-format GUID")
    w.bad("bad_extensible_adpcm", riff(fmt_extensible(2, 1, 8000, 16, 16), data16), "UNSUPPORTED_ENCODING",
          "Microsoft ADPCM (0x0002) (EXTENSIBLE) is not supported")
    w.bad("bad_pcm_64bit", riff(fmt_classic(1, 1, 8000, 64), data16), "UNSUPPORTED_ENCODING",
          "64-bit integer PCM is not supported")
    w.bad("bad_block_align", riff(fmt_classic(1, 2, 8000, 16, block_align=2), data16), "INCONSISTENT_FORMAT",
          "block align is 2 bytes")
    w.bad("bad_pcm_12bit", riff(fmt_classic(1, 1, 8000, 12, block_align=2), data16), "INCONSISTENT_FORMAT",
          "12 bits per sample")
    w.bad("bad_float_16bit", riff(fmt_classic(3, 1, 8000, 16), data16), "INCONSISTENT_FORMAT",
          "float samples are 32 or 64 bits")
    w.bad("bad_ulaw_16bit", riff(fmt_classic(7, 1, 8000, 16), data16), "INCONSISTENT_FORMAT", "G.711 samples are 8")
    w.bad("bad_zero_channels", riff(fmt_classic(1, 0, 8000, 16, block_align=2), data16), "INCONSISTENT_FORMAT",
          "0 channels")
    w.bad("bad_zero_rate", riff(fmt_classic(1, 1, 0, 16), data16), "INCONSISTENT_FORMAT", "sample rate of 0 Hz")
    w.bad("bad_rate_too_high", riff(fmt_classic(1, 1, 768000, 16), data16), "UNSUPPORTED_SAMPLE_RATE", "768000 Hz")
    w.bad("bad_fmt_too_small", riff(chunk("fmt ", struct.pack("<HHIIH", 1, 1, 8000, 16000, 2)), data16),
          "INCONSISTENT_FORMAT", "fmt chunk is 14 bytes")
    w.bad("bad_extensible_short", riff(fmt_classic(0xFFFE, 1, 8000, 16, extra=b""), data16), "INCONSISTENT_FORMAT",
          "EXTENSIBLE needs 40")
    w.bad("bad_valid_bits", riff(fmt_extensible(1, 1, 8000, 16, 20), data16), "INCONSISTENT_FORMAT",
          "20 valid bits in 16-bit")
    w.bad("bad_two_fmt", riff(pcm, pcm, data16), "INCONSISTENT_FORMAT", "two fmt chunks")
    # Data shorter than declared: 246 bytes declared, 146 present -> 100 missing.
    cut = riff(pcm, data16)[:-100]
    w.bad("bad_data_truncated", cut, "DATA_TRUNCATED", "100 bytes are missing", "73 complete frames")
    w.bad("bad_data_odd_size", riff(pcm, chunk("data", s16m.tobytes()[:-1])), "INCONSISTENT_FORMAT",
          "not a multiple of the block align 2")
    w.bad("bad_streamed_partial_frame", b"RIFF\0\0\0\0WAVE" + pcm + b"data\0\0\0\0" + s16m.tobytes()[:-1],
          "DATA_TRUNCATED", "1 bytes of its last frame are missing")
    # Non-finite floats: NaN at interleaved index 37, +inf at 5, and a float64 beyond float range at 8.
    xf = rng.uniform(-1, 1, 60).astype("<f4")
    xf[37] = np.nan
    w.bad("bad_float_nan", riff(fmt_classic(3, 2, 8000, 32, extra=b""), chunk("data", xf.tobytes())),
          "NON_FINITE_SAMPLE", "sample 37 (frame 18, channel 1)")
    xf = rng.uniform(-1, 1, 60).astype("<f4")
    xf[5] = np.inf
    w.bad("bad_float_inf", riff(fmt_classic(3, 1, 8000, 32, extra=b""), chunk("data", xf.tobytes())),
          "NON_FINITE_SAMPLE", "sample 5 (frame 5, channel 0)")
    xd = rng.uniform(-1, 1, 30).astype("<f8")
    xd[8] = 1e300
    w.bad("bad_double_huge", riff(fmt_classic(3, 1, 8000, 64, extra=b""), chunk("data", xd.tobytes())),
          "NON_FINITE_SAMPLE", "sample 8 ", "beyond float range")
    # libsndfile-written unsupported codecs
    for subtype, text in [("IMA_ADPCM", "IMA ADPCM (0x0011)"), ("MS_ADPCM", "Microsoft ADPCM (0x0002)"),
                          ("GSM610", "GSM 6.10 (0x0031)")]:
        path = os.path.join(tmp, "c.wav")
        sf.write(path, stereo[:, 0] * 0.5, 8000, subtype=subtype)
        with open(path, "rb") as fh:
            w.bad("sf_" + subtype.lower(), fh.read(), "UNSUPPORTED_ENCODING", text + " is not supported")

    with open(os.path.join(OUT, "wav.json"), "w") as fh:
        json.dump({"versions": VERSIONS, "cases": w.cases}, fh, indent=1)
    return len(w.cases)


# ---------------------------------------------------------------------------------------------- G.711

def make_g711():
    d = os.path.join(OUT, "g711")
    os.makedirs(d, exist_ok=True)
    pcm = np.arange(-32768, 32768, dtype="<i2").tobytes()
    with open(os.path.join(d, "lin2ulaw.u8"), "wb") as fh:
        fh.write(audioop.lin2ulaw(pcm, 2))
    with open(os.path.join(d, "lin2alaw.u8"), "wb") as fh:
        fh.write(audioop.lin2alaw(pcm, 2))
    codes = bytes(range(256))
    with open(os.path.join(d, "ulaw2lin.s16"), "wb") as fh:
        fh.write(audioop.ulaw2lin(codes, 2))
    with open(os.path.join(d, "alaw2lin.s16"), "wb") as fh:
        fh.write(audioop.alaw2lin(codes, 2))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    print("resample cases:", make_resample())
    print("wav cases:", make_wavs())
    make_g711()
    print("written under", OUT)
