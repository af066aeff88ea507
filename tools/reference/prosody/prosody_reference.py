"""Reference vectors for Tingxin's Java ProsodicFeatures: a few 16 kHz PCM-16 clips and prosody.py's features
of exactly those samples (as torchaudio.load reads them back).

    /usr/bin/python3 tools/reference/prosody/prosody_reference.py

(Moved here with prosody.py from the former EmoDB CNN recipe, recipes/train-default, when the default model was
replaced; the telephone channel and noise come from recipes/train-whisper/augment.py, the same code.)

Writes sentiment-core/src/test/resources/io/github/tingxin/core/prosody/ (EmoDB clips, CC0: trimmed of
the copy's padding, resampled to 16 kHz; one through the telephone channel, one with pink noise at 10 dB SNR).
"""
import json
import os
import sys
from pathlib import Path

import soundfile
import torch
import torchaudio
import torchaudio.functional as AF

import prosody

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "recipes" / "train-whisper"))
import augment  # noqa: E402

EMODB = Path(os.environ.get("EMODB", REPO.parent / "shared" / "data" / "emodb"))
OUT = REPO / "sentiment-core" / "src" / "test" / "resources" / "io" / "github" / "tingxin" / "core" / "prosody"
PAD_THRESHOLD = 1e-4  # |x| below this at either end is the EmoDB copy's padding (exact zeros), not speech

def load_16k(path):
    """A clip at full scale 1.0, resampled to 16 kHz (torchaudio's default windowed sinc)."""
    wav, sr = torchaudio.load(path)
    wav = wav.mean(0) if wav.shape[0] > 1 else wav[0]
    return AF.resample(wav, sr, 16000) if sr != 16000 else wav


def trim_padding(wav):
    """Drops the leading and trailing runs of (near-)zero samples that pad the altered EmoDB copy to 2.0 s."""
    idx = torch.nonzero(wav.abs() > PAD_THRESHOLD)
    return wav if idx.numel() == 0 else wav[idx[0, 0]: idx[-1, 0] + 1].clone()


CLIPS = [("03a01Wa", "clean"), ("13a02Ta", "clean"), ("16a04Nc", "telephone"), ("09a05Ed", "noise")]


def main():
    out = OUT
    out.mkdir(parents=True, exist_ok=True)
    items = []
    for name, channel in CLIPS:
        wav = trim_padding(load_16k(str(EMODB / f"{name}.wav")))
        if channel == "telephone":
            wav = augment.telephone(wav)
        elif channel == "noise":
            wav = augment.add_noise(wav, 10.0, "pink", torch.Generator().manual_seed(7))
        wav = wav.clamp(-1.0, 32767 / 32768)
        f = out / f"{name}-{channel}.wav"
        soundfile.write(str(f), (wav * 32768).round().to(torch.int16).numpy(), 16000, subtype="PCM_16")
        back, sr = torchaudio.load(str(f))
        assert sr == 16000
        feats = prosody.features(back[0].numpy().astype("float64"))
        items.append({"file": f.name, "features": {k: float(v) for k, v in zip(prosody.NAMES, feats)}})
    (out / "python-prosody.json").write_text(json.dumps({
        "about": "tools/reference/prosody/prosody.py features of these 16 kHz clips (EmoDB, CC0), float64 input "
                 "as torchaudio.load returns it, results rounded to float32; written by tools/reference/prosody/prosody_reference.py",
        "names": prosody.NAMES, "clips": items}, indent=1))


if __name__ == "__main__":
    main()
