#!/usr/bin/python3
"""The Python peer of InferenceBenchmark: PyTorch 1.13 CPU inference of the same exported model, on the same
input, for sentiment-bench/scripts/compare-peers.sh. Run with Debian's /usr/bin/python3.

  compare-peers.py export NAME OUT        write the Tingxin package of peer NAME to OUT (recipes/export, seeded)
  compare-peers.py time NAME [--seconds 10] [--threads 1]
                                          rebuild peer NAME's PyTorch model (same recipe, same seed: the same
                                          weights as OUT/model.onnx) and time it; prints JSON

Peers (all with seeded random weights; speed does not depend on training):
  fbank-cnn       the default model's architecture: 64-bin Kaldi fbank, compact CNN (128 channels)
  wav2vec2-base   torchaudio wav2vec 2.0 base (95 M parameters) on the waveform; with its int8 twin
  whisper-small   Whisper-small encoder on 80-bin log-mel (only when asked: heavy on 2 cores)
  whisper-tiny    Whisper tiny.en-sized encoder (4 layers, d=384), log-mel of any length: the size of the new
                  default model (make-whisper-standin.py); with its int8 twin

The input is InferenceBenchmark.speechLike(seconds * 16000, 16000) bit for bit up to the last ulp of sin:
java.util.Random(42)'s Gaussians are reproduced here.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "recipes", "export"))
import export as recipe  # noqa: E402  (recipes/export/export.py)
import tingxin_export as tx  # noqa: E402

def _standin():
    """make-whisper-standin.py (a file name with dashes), as a module."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_whisper_standin", os.path.join(HERE, "make-whisper-standin.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PEERS = {
    "fbank-cnn": ["--arch", "fbank-cnn", "--n-mels", "64", "--channels", "128", "--heads", "negative+paper11"],
    "wav2vec2-base": ["--arch", "wav2vec2", "--config", "base", "--heads", "negative", "--int8"],
    "whisper-small": ["--arch", "whisper", "--config", "small", "--heads", "negative"],
    # the new default model's size: Whisper tiny.en encoder, any length (make-whisper-standin.py), + int8 twin
    "whisper-tiny": lambda: _standin().recipe_args(os.path.join(HERE, "..", "target", "peers", ".work"), seed=SEED)
    + ["--int8"],
}
SEED = 0


def peer_args(name, out="unused"):
    base = PEERS[name]() if callable(PEERS[name]) else PEERS[name]
    return base + ["--random-weights", "--seed", str(SEED), "--name", name + "-random", "--out", out]


def build_model(name):
    """The model exactly as recipes/export/export.py main() builds it for these arguments: main() runs up to
    the export, which is intercepted (so the recipe's own seeding, heads and backbone code is what runs)."""
    captured = {}

    class Captured(Exception):
        pass

    def intercept(model, spec, out_dir, example, example_lengths, **kwargs):
        captured.update(model=model, spec=spec)
        raise Captured()

    real = tx.export_package
    tx.export_package = intercept
    try:
        recipe.main(peer_args(name))
    except Captured:
        pass
    finally:
        tx.export_package = real
    model, spec = captured["model"], captured["spec"]
    model.eval()
    return model, model.backbone.layout, spec.features, spec.fixed_frames


def java_speech_like(n, rate, seed=42):
    """InferenceBenchmark.speechLike: java.util.Random(seed).nextGaussian reproduced exactly."""
    mult, mask = 0x5DEECE66D, (1 << 48) - 1
    s = (seed ^ mult) & mask
    gauss = np.empty(n)
    have, nxt = False, 0.0

    def next_bits(bits):
        nonlocal s
        s = (s * mult + 0xB) & mask
        return s >> (48 - bits)

    for i in range(n):
        if have:
            gauss[i], have = nxt, False
            continue
        while True:
            v1 = 2 * (((next_bits(26) << 27) + next_bits(27)) * 2.0 ** -53) - 1
            v2 = 2 * (((next_bits(26) << 27) + next_bits(27)) * 2.0 ** -53) - 1
            q = v1 * v1 + v2 * v2
            if 0 < q < 1:
                break
        m = math.sqrt(-2 * math.log(q) / q)
        gauss[i], nxt, have = v1 * m, v2 * m, True
    t = np.arange(n) / rate
    phase = np.cumsum(2 * math.pi * (150 + 40 * np.sin(2 * math.pi * 3 * t)) / rate)
    v = np.zeros(n)
    for k in range(1, 9):
        v += np.sin(k * phase) / k
    x = 0.2 * v * (0.55 - 0.45 * np.cos(2 * math.pi * 4 * t)) + 0.01 * gauss
    return torch.from_numpy(x.astype(np.float32))


def timed(fn, min_seconds=6.0, min_runs=5):
    for _ in range(2):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    a = np.array(times)
    return {"ms": float(np.median(a)), "mean_ms": float(a.mean()), "min_ms": float(a.min()),
            "max_ms": float(a.max()), "runs": len(times)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["export", "time"])
    p.add_argument("name", choices=list(PEERS))
    p.add_argument("out", nargs="?")
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    if a.command == "export":
        if not a.out:
            raise SystemExit("export needs OUT")
        recipe.main(peer_args(a.name, a.out))
        return
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    model, layout, features_recipe, fixed = build_model(a.name)
    sr = 16000
    audio = java_speech_like(int(round(a.seconds * sr)), sr)
    with torch.no_grad():
        feats = tx.compute_features(features_recipe, audio, sr)
        x, lengths = tx.to_model_input([feats], layout, fixed)
        out = {
            "model": timed(lambda: model(x, lengths)),
            "endToEnd": timed(lambda: model(*tx.to_model_input([tx.compute_features(features_recipe, audio, sr)],
                                                               layout, fixed))),
        }
        first = model(x, lengths)
        first = first[0] if isinstance(first, (tuple, list)) else first
    out["_first_output"] = [float(v) for v in first.reshape(-1)[:4]]
    out["_versions"] = {"torch": torch.__version__, "threads": a.threads, "seconds": a.seconds,
                        "input_shape": list(x.shape)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
