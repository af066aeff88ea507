#!/usr/bin/python3
"""A stand-in for the coming default model, for benchmarks only: a Whisper tiny.en-sized encoder (80 mels,
d=384, 6 heads, 4 layers by default) with SEEDED RANDOM weights, exported as a Tingxin package by
recipes/export/export.py with the default model's kind of input: Whisper log-mel of any length
(``pad_to_seconds`` 0, ``fixedFrames`` 0) plus ``lengths``, the positional embedding sliced to the length,
padded frames masked (the export checks that padding does not change the outputs). Speed does not depend on
the weights, so its figures (InferenceBenchmark, BatchScalingBenchmark, LiveCalls) predict the trained
model's; its scores mean nothing.

    /usr/bin/python3 sentiment-bench/scripts/make-whisper-standin.py [--layers 4] [--int8] \
        [--out sentiment-bench/target/peers/whisper-tiny-standin]

Writes OUT (model.onnx ~33 MB fp32 at 4 layers) and, with --int8, OUT-int8 (MatMuls int8 by the recipe's
graph-edit quantiser). Never committed (sentiment-bench/target is build output).
"""
import argparse
import json
import os
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(ROOT, "recipes", "export"))
import export as recipe  # noqa: E402  (recipes/export/export.py)
import tingxin_export as tx  # noqa: E402

TINY_EN = {"n_mels": 80, "n_audio_ctx": 1500, "n_audio_state": 384, "n_audio_head": 6, "n_audio_layer": 4}


def recipe_args(workdir, layers=4, seed=0, max_seconds=8.0):
    """recipes/export/export.py arguments for the stand-in's architecture, writing its seeded random encoder
    checkpoint and feature recipe into ``workdir`` (the same seed gives the same weights: compare-peers.py
    rebuilds the very model that was exported)."""
    dims = dict(TINY_EN, n_audio_layer=layers)
    torch.manual_seed(seed)
    enc = tx.WhisperEncoderBackbone(dims["n_mels"], dims["n_audio_ctx"], dims["n_audio_state"],
                                    dims["n_audio_head"], dims["n_audio_layer"])
    os.makedirs(workdir, exist_ok=True)
    ckpt = os.path.join(workdir, f"whisper-tiny-standin-{layers}l-seed{seed}.pt")
    torch.save({"dims": dims, "model_state_dict": {"encoder." + k: v for k, v in enc.state_dict().items()}}, ckpt)
    features = os.path.join(workdir, "whisper-logmel-any-length.json")
    with open(features, "w", encoding="utf-8") as f:
        json.dump({"type": "whisper-logmel",
                   "options": {"n_mels": 80, "n_fft": 400, "hop_length": 160, "pad_to_seconds": 0}}, f)
    return ["--arch", "whisper", "--whisper-checkpoint", ckpt, "--features-json", features, "--fixed-frames", "0",
            "--heads", "negative+paper11", "--max-seconds", str(max_seconds)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--layers", type=int, default=4, help="encoder blocks kept (tiny.en has 4)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--int8", action="store_true")
    ap.add_argument("--max-seconds", type=float, default=8.0, help="the package's longest segment")
    ap.add_argument("--out", default=os.path.join(ROOT, "sentiment-bench", "target", "peers", "whisper-tiny-standin"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        argv = recipe_args(tmp, args.layers, args.seed, args.max_seconds) + [
            "--random-weights", "--seed", str(args.seed), "--name", f"whisper-tiny-standin-{args.layers}l",
            "--description", f"Benchmark stand-in: Whisper tiny.en-sized encoder ({args.layers} layers), "
                             "random weights, any length. Not a model.",
            "--out", args.out]
        if args.int8:
            argv.append("--int8")
        recipe.main(argv)


if __name__ == "__main__":
    main()
