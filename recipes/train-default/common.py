"""Shared pieces of the default-model recipe: corpus, labels, audio preparation, augmentation, features.

Everything here is deterministic given its seed. The fbank features are computed exactly as Tingxin
computes them at inference: ``torchaudio.compliance.kaldi.fbank`` on 16 kHz audio at full scale 1.0 with
the options in ``FBANK_OPTIONS`` (the same dictionary is written into the manifest's ``features.options``).
"""
import math
import os
import random
from pathlib import Path

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi
import torchaudio.functional as AF

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
EMODB = Path(os.environ.get("EMODB", REPO.parent / "shared" / "data" / "emodb"))
CACHE = HERE / "cache"
PACKAGE_DIR = REPO / "sentiment-models" / "src" / "main" / "resources" / "io" / "github" / "tingxin" / "models" / "default"
TEST_RES = REPO / "sentiment-models" / "src" / "test" / "resources" / "io" / "github" / "tingxin" / "models"

SAMPLE_RATE = 16000
SPEAKERS = ["03", "08", "09", "10", "11", "12", "13", "14", "15", "16"]

# EmoDB letter -> (id, english, chinese). Output order of the 7-class head.
EMOTIONS = [
    ("W", "anger", "anger", "愤怒"),
    ("L", "boredom", "boredom", "厌倦"),
    ("E", "disgust", "disgust", "厌恶"),
    ("A", "fear", "fear", "恐惧"),
    ("F", "happiness", "happiness", "快乐"),
    ("T", "sadness", "sadness", "悲伤"),
    ("N", "neutral", "neutral", "中性"),
]
LETTER_TO_EMOTION = {e[0]: i for i, e in enumerate(EMOTIONS)}
# Binary head: anger, disgust, fear, sadness are negative (the brief); neutral and happiness are not.
# Boredom is counted NEGATIVE: it is low-arousal, negative-valence in Russell's circumplex, and on a
# suicide-prevention line flat, disengaged speech must not be reported as reassuring. See MODEL_CARD.md.
NEGATIVE_EMOTIONS = {"anger", "boredom", "disgust", "fear", "sadness"}
EMOTION_IS_NEGATIVE = [e[1] in NEGATIVE_EMOTIONS for e in EMOTIONS]

# The feature recipe, in torchaudio's keyword names. Written verbatim into tingxin-model.json.
# Normalisation is NOT done by the extractor (cmvn none): the graph normalises each utterance itself over
# its valid frames (it has the lengths input), so Java and Python need to agree only on raw log-mel.
FBANK_OPTIONS = {
    "num_mel_bins": 64,
    "frame_length": 25.0,
    "frame_shift": 10.0,
    "dither": 0.0,
    "window_type": "povey",
    "snip_edges": True,
    "low_freq": 20.0,
    "high_freq": 0.0,
    "preemphasis_coefficient": 0.97,
    "remove_dc_offset": True,
    "use_energy": False,
    "use_log_fbank": True,
    "use_power": True,
    "sample_frequency": 16000.0,
    "cmvn": "none",
}
# Tingxin-only keys that torchaudio does not take.
_TINGXIN_ONLY = {"cmvn", "waveform_scale", "dither_seed", "lfr_m", "lfr_n"}

PAD_THRESHOLD = 1e-4  # |x| below this at either end is the copy's padding (exact zeros), not speech


def list_corpus():
    """All clips as dicts (path, name, speaker, emotion index, negative flag), sorted by name."""
    files = sorted(EMODB.glob("*.wav"))
    if len(files) != 535:
        raise SystemExit(f"expected 535 EmoDB clips in {EMODB}, found {len(files)}")
    clips = []
    for f in files:
        name = f.stem
        speaker, letter = name[0:2], name[5]
        if speaker not in SPEAKERS or letter not in LETTER_TO_EMOTION:
            raise SystemExit(f"unexpected file name {f.name}")
        emo = LETTER_TO_EMOTION[letter]
        clips.append({"path": str(f), "name": name, "speaker": speaker, "emotion": emo,
                      "negative": int(EMOTION_IS_NEGATIVE[emo])})
    return clips


def load_16k(path):
    """Loads a clip at full scale 1.0, resamples it to 16 kHz (torchaudio's default windowed sinc)."""
    wav, sr = torchaudio.load(path)
    wav = wav.mean(0) if wav.shape[0] > 1 else wav[0]
    if sr != SAMPLE_RATE:
        wav = AF.resample(wav, sr, SAMPLE_RATE)
    return wav


def trim_padding(wav, threshold=PAD_THRESHOLD):
    """Drops the leading and trailing runs of (near-)zero samples that pad the altered copy to 2.0 s."""
    idx = torch.nonzero(wav.abs() > threshold)
    if idx.numel() == 0:
        return wav
    return wav[idx[0, 0]: idx[-1, 0] + 1].clone()


def fbank(wav16k):
    """Kaldi fbank exactly as the manifest says; wav16k is 1-D at full scale 1.0. Returns [T, 64]."""
    opts = {k: v for k, v in FBANK_OPTIONS.items() if k not in _TINGXIN_ONLY}
    return kaldi.fbank(wav16k.unsqueeze(0), **opts)


# ----------------------------------------------------------------------------------------------------
# Channel simulation and augmentation
# ----------------------------------------------------------------------------------------------------

def telephone(wav16k, low=300.0, high=3400.0, mulaw=True):
    """Narrow-band telephone channel: 16 kHz -> 8 kHz, 300-3400 Hz band, G.711-style mu-law, -> 16 kHz.

    The band is made with second-order high-pass and low-pass biquads applied twice (4th order each side).
    mu-law is torchaudio's 8-bit mu-law companding (mu = 255), the continuous law that G.711 approximates
    with segments.
    """
    x = AF.resample(wav16k, SAMPLE_RATE, 8000)
    for _ in range(2):
        x = AF.highpass_biquad(x, 8000, low)
        x = AF.lowpass_biquad(x, 8000, high)
    x = x.clamp(-1.0, 1.0)
    if mulaw:
        x = AF.mu_law_decoding(AF.mu_law_encoding(x, 256), 256)
    return AF.resample(x, 8000, SAMPLE_RATE)


def colored_noise(n, kind, gen):
    """White, pink (1/f) or brown (1/f^2) Gaussian noise of n samples, unit RMS."""
    white = torch.randn(n, generator=gen)
    if kind == "white":
        x = white
    else:
        spec = torch.fft.rfft(white)
        f = torch.arange(spec.shape[0], dtype=torch.float32).clamp(min=1.0)
        spec = spec / (f.sqrt() if kind == "pink" else f)
        x = torch.fft.irfft(spec, n=n)
    return x / x.pow(2).mean().sqrt().clamp(min=1e-12)


def add_noise(wav, snr_db, kind, gen):
    speech_power = wav.pow(2).mean().clamp(min=1e-10)
    noise = colored_noise(wav.shape[0], kind, gen)
    return wav + noise * torch.sqrt(speech_power / (10 ** (snr_db / 10)))


def change_speed(wav, factor):
    """Speed (tempo and pitch together, like sox `speed`) by resampling; factor > 1 is faster."""
    if abs(factor - 1.0) < 1e-3:
        return wav
    # Treat the audio as if recorded at SR*factor and bring it back to SR: shorter by 1/factor.
    src = int(round(SAMPLE_RATE * factor / 50)) * 50
    return AF.resample(wav, src, SAMPLE_RATE)


def random_augment(wav, seed):
    """One random hotline-like rendition of a clean 16 kHz clip: speed 0.9-1.1, gain, 5-30 dB noise,
    telephone band + mu-law. Deterministic in ``seed``."""
    rng = random.Random(seed)
    gen = torch.Generator().manual_seed(seed)
    x = wav
    if rng.random() < 0.7:
        x = change_speed(x, rng.uniform(0.9, 1.1))
    if rng.random() < 0.7:
        x = add_noise(x, rng.uniform(5.0, 30.0), rng.choice(["white", "pink", "brown"]), gen)
    gain_db = rng.uniform(-20.0, 6.0)
    x = (x * 10 ** (gain_db / 20)).clamp(-1.0, 1.0)  # a real converter clips
    if rng.random() < 0.6:
        x = telephone(x, low=rng.uniform(250, 350), high=rng.uniform(3200, 3500), mulaw=rng.random() < 0.85)
    return x


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


# ----------------------------------------------------------------------------------------------------
# Metrics
# ----------------------------------------------------------------------------------------------------

def f1_per_class(y, p, n):
    out = []
    for c in range(n):
        tp = int(((p == c) & (y == c)).sum())
        fp = int(((p == c) & (y != c)).sum())
        fn = int(((p != c) & (y == c)).sum())
        out.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return out


def uar(y, p, n):
    return float(np.mean([((p == c) & (y == c)).sum() / max(1, (y == c).sum()) for c in range(n)]))


def confusion(y, p, n):
    m = np.zeros((n, n), dtype=int)
    for a, b in zip(y, p):
        m[a, b] += 1
    return m
