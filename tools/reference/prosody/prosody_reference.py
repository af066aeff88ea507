"""Reference vectors for Tingxin's Java ProsodicFeatures: a few 16 kHz PCM-16 clips and prosody.py's features
of exactly those samples (as torchaudio.load reads them back).

    /usr/bin/python3 recipes/train-default/prosody_reference.py

Writes sentiment-models/src/test/resources/io/github/tingxin/models/prosody/ (EmoDB clips, CC0: trimmed of
the copy's padding, resampled to 16 kHz; one through the telephone channel, one with pink noise at 10 dB SNR).
"""
import json

import soundfile
import torch
import torchaudio

import common
import prosody

CLIPS = [("03a01Wa", "clean"), ("13a02Ta", "clean"), ("16a04Nc", "telephone"), ("09a05Ed", "noise")]


def main():
    out = common.TEST_RES / "prosody"
    out.mkdir(parents=True, exist_ok=True)
    items = []
    for name, channel in CLIPS:
        wav = common.trim_padding(common.load_16k(str(common.EMODB / f"{name}.wav")))
        if channel == "telephone":
            wav = common.telephone(wav)
        elif channel == "noise":
            wav = common.add_noise(wav, 10.0, "pink", torch.Generator().manual_seed(7))
        wav = wav.clamp(-1.0, 32767 / 32768)
        f = out / f"{name}-{channel}.wav"
        soundfile.write(str(f), (wav * 32768).round().to(torch.int16).numpy(), 16000, subtype="PCM_16")
        back, sr = torchaudio.load(str(f))
        assert sr == 16000
        feats = prosody.features(back[0].numpy().astype("float64"))
        items.append({"file": f.name, "features": {k: float(v) for k, v in zip(prosody.NAMES, feats)}})
    (out / "python-prosody.json").write_text(json.dumps({
        "about": "recipes/train-default/prosody.py features of these 16 kHz clips (EmoDB, CC0), float64 input "
                 "as torchaudio.load returns it, results rounded to float32; written by recipes/train-default/prosody_reference.py",
        "names": prosody.NAMES, "clips": items}, indent=1))


if __name__ == "__main__":
    main()
