#!/usr/bin/python3
"""Times the Python references on one thread: the same work as FeatureBenchmark (sentiment-bench).

Prints one JSON object: {name: {"ms": median, "min_ms": ..., "max_ms": ..., "runs": n}} for 60 s (or
--seconds) of 16 kHz speech-like audio. Called by compare-features.sh; run it alone with
/usr/bin/python3 (torch 1.13, torchaudio 0.13.1).
"""
import argparse
import json
import math
import time

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi

torch.set_num_threads(1)
torch.set_num_interop_threads(1)


def signal(seconds, rate=16000):
    t = np.arange(rate * seconds) / rate
    f0 = 120 + 40 * np.sin(2 * np.pi * 1.3 * t)
    phase = np.cumsum(2 * np.pi * f0 / rate)
    rng = np.random.default_rng(seconds)
    x = 0.3 * (1.1 + np.sin(6 * np.pi * t)) * (np.sin(phase) + 0.5 * np.sin(2 * phase))
    return torch.from_numpy((x + 0.02 * rng.uniform(-1, 1, len(t))).astype(np.float32))


def timed(fn, min_seconds, min_runs=5):
    for _ in range(3):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"ms": times[len(times) // 2], "min_ms": times[0], "max_ms": times[-1], "runs": len(times)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--min-time", type=float, default=3.0, help="seconds spent timing each function")
    args = ap.parse_args()
    x = signal(args.seconds)
    wav = x.unsqueeze(0)
    window = torch.hann_window(400)
    filters = torchaudio.functional.melscale_fbanks(201, 0.0, 8000.0, 80, 16000, norm="slaney",
                                                   mel_scale="slaney").T.contiguous()

    def whisper():
        stft = torch.stft(x, 400, 160, window=window, return_complex=True)
        magnitudes = stft[..., :-1].abs() ** 2
        log_spec = torch.clamp(filters @ magnitudes, min=1e-10).log10()
        log_spec = torch.maximum(log_spec, log_spec.max() - 8.0)
        return (log_spec + 4.0) / 4.0

    work = {
        "kaldiFbank80": lambda: kaldi.fbank(wav, num_mel_bins=80),
        "kaldiMfcc": lambda: kaldi.mfcc(wav, use_energy=True),
        "whisperLogMel80": whisper,
        "torchStft400": lambda: torch.stft(x, 400, 160, window=window, return_complex=True),
        "waveformWav2vec2": lambda: (x - x.mean()) / torch.sqrt(x.var(unbiased=False) + 1e-7),
    }
    out = {name: timed(fn, args.min_time) for name, fn in work.items()}
    out["_versions"] = {"torch": torch.__version__, "torchaudio": torchaudio.__version__,
                        "threads": torch.get_num_threads()}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
