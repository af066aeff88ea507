"""Channel simulation and augmentation for hotline-like audio (moved here from the former EmoDB CNN
recipe, recipes/train-default/common.py, since removed; unchanged). Deterministic given the seed.
"""
import random

import torch
import torchaudio.functional as AF

SAMPLE_RATE = 16000


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
