#!/usr/bin/python3
"""The Python peer of InferenceBenchmark: PyTorch 1.13 CPU inference of the same exported model, on the same
input, for sentiment-bench/scripts/compare-peers.sh. Run with Debian's /usr/bin/python3.

  compare-peers.py export NAME OUT        write the Tingxin package of peer NAME to OUT (recipes/export, seeded)
  compare-peers.py check default          the shipped default rebuilt from its model.onnx against the
                                          probabilities package.py recorded (sentiment-models test fixtures)
  compare-peers.py time NAME [--seconds 10] [--threads 1]
                                          rebuild peer NAME's PyTorch model (same recipe, same seed: the same
                                          weights as OUT/model.onnx) and time it; prints JSON

Peers (seeded random weights, speed not depending on training; but for default, the trained package):
  fbank-cnn       the default model's architecture: 64-bin Kaldi fbank, compact CNN (128 channels)
  wav2vec2-base   torchaudio wav2vec 2.0 base (95 M parameters) on the waveform; with its int8 twin
  whisper-small   Whisper-small encoder on 80-bin log-mel (only when asked: heavy on 2 cores)
  whisper-tiny    Whisper tiny.en-sized encoder (4 layers, d=384), log-mel of any length: the size of the new
                  default model (make-whisper-standin.py); with its int8 twin
  default         the SHIPPED default model itself (sentiment-models' bundled package, trained weights): its
                  PyTorch module (recipes/train-whisper/model.py: Whisper tiny.en encoder cut after the deepest
                  block its head reads, pooling, head) with every weight read from the package's model.onnx; nothing to export.
                  `check default` compares it with the package's Python equivalence fixtures.

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
REPO = os.path.join(HERE, "..", "..")
DEFAULT_PACKAGE = os.path.join(REPO, "sentiment-models", "src", "main", "resources", "io", "github", "tingxin",
                               "models", "default")
EQUIVALENCE = os.path.join(REPO, "sentiment-models", "src", "test", "resources", "io", "github", "tingxin",
                           "models", "equivalence")
PEERS["default"] = None  # the shipped package: built by shipped_default(), never exported


def peer_args(name, out="unused"):
    base = PEERS[name]() if callable(PEERS[name]) else PEERS[name]
    return base + ["--random-weights", "--seed", str(SEED), "--name", name + "-random", "--out", out]


def _train_whisper():
    """recipes/train-whisper's model and heads modules (the shipped graph's PyTorch code)."""
    sys.path.insert(0, os.path.join(REPO, "recipes", "train-whisper"))
    import heads  # noqa: E402
    import model as shipped  # noqa: E402
    return heads, shipped


def _matmul_weights(graph):
    """The unnamed initializers the exporter made of the encoder's Linear weights (transposed, 'onnx::MatMul_N'),
    named after their module: the bias the MatMul's output is added to names it (query, value, out, mlp.0,
    mlp.2); the key projection has no bias and is the one MatMul of its block left over."""
    inits = {i.name for i in graph.initializer}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    named, unnamed = {}, []
    for node in graph.node:
        if node.op_type != "MatMul":
            continue
        weight = next((n for n in node.input if n in inits and n.startswith("onnx::MatMul_")), None)
        if weight is None:
            continue
        bias = next((b for c in consumers.get(node.output[0], []) if c.op_type == "Add"
                     for b in c.input if b in inits and b.endswith(".bias")), None)
        if bias is None:
            unnamed.append(weight)
        else:
            named[bias[: -len(".bias")] + ".weight"] = weight
    for weight in unnamed:  # the key of the block whose query MatMul comes just before it in the graph
        blocks = {k.split(".blocks.")[1].split(".")[0] for k, v in named.items()
                  if ".attn.query." in k and int(v.split("_")[-1]) < int(weight.split("_")[-1])}
        block = max(blocks, key=int)
        named[f"backbone.encoder.blocks.{block}.attn.key.weight"] = weight
    return named


def shipped_default():
    """The shipped default model as PyTorch runs it: recipes/train-whisper/model.py's EmotionModel (Whisper
    tiny.en dimensions, cut after the deepest block its head reads) with every weight and buffer taken from
    the package's model.onnx, and the package's manifest (features recipe, layout)."""
    import onnx
    from onnx import numpy_helper
    heads, shipped = _train_whisper()
    manifest = json.load(open(os.path.join(DEFAULT_PACKAGE, "tingxin-model.json")))
    graph = onnx.load(os.path.join(DEFAULT_PACKAGE, "model.onnx")).graph
    arrays = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    state = {k: torch.from_numpy(v.copy()) for k, v in arrays.items() if not k.startswith("onnx::")}
    for key, weight in _matmul_weights(graph).items():
        state[key] = torch.from_numpy(arrays[weight].T.copy())
    blocks = 1 + max(int(k.split(".blocks.")[1].split(".")[0]) for k in state if ".blocks." in k)
    depths = [int(d) for d in json.load(open(os.path.join(REPO, "recipes", "train-whisper", "runs",
                                                           "export-info.json")))["depths"]]
    hidden = state["head.body.0.weight"].shape[0] if "head.body.0.weight" in state else 0
    encoder = tx.WhisperEncoderBackbone(80, state["backbone.encoder.positional_embedding"].shape[0], 384, 6, blocks)
    backbone = shipped.Backbone(encoder, depths, (0, 1))
    model = shipped.EmotionModel(backbone, heads.Head(backbone.hidden_size, heads.HeadConfig(depths=depths,
                                                                                              hidden=hidden)))
    model.load_state_dict(state, strict=True)  # every parameter and buffer, none left over
    model.eval()
    return model, manifest


def check_default():
    """The rebuilt module against the probabilities recipes/train-whisper/package.py recorded for the committed
    EmoDB clips (its own PyTorch model, before the export): proves it is the shipped model."""
    import soundfile
    import torchaudio
    model, manifest = shipped_default()
    fixtures = json.load(open(os.path.join(EQUIVALENCE, "python-predictions.json")))
    worst, n = 0.0, 0
    for clip in fixtures["clips"]:
        if "file" not in clip:
            continue  # CASIA clips are not committed
        x, sr = soundfile.read(os.path.join(EQUIVALENCE, clip["file"]), dtype="float32", always_2d=True)
        wav = torch.from_numpy(x[:, 0].copy())
        if sr != manifest["sampleRate"]:
            wav = torchaudio.functional.resample(wav, sr, manifest["sampleRate"])
        feats = tx.compute_features(manifest["features"], wav, manifest["sampleRate"])
        with torch.no_grad():
            neg, emo = model(*tx.to_model_input([feats], manifest["input"]["layout"]))
        got = torch.cat([torch.softmax(neg.double(), 1)[0], torch.softmax(emo.double(), 1)[0]])
        want = torch.tensor(clip["negative"] + clip["emotion"], dtype=torch.float64)
        worst = max(worst, float((got - want).abs().max()))
        n += 1
    print(json.dumps({"clips": n, "max_abs_diff": worst}))
    if n == 0 or worst > 1e-5:
        raise SystemExit(f"the module rebuilt from model.onnx differs from the recorded probabilities by {worst}")


def build_model(name):
    """The model exactly as recipes/export/export.py main() builds it for these arguments: main() runs up to
    the export, which is intercepted (so the recipe's own seeding, heads and backbone code is what runs)."""
    captured = {}

    class Captured(Exception):
        pass

    def intercept(model, spec, out_dir, example, example_lengths, **kwargs):
        captured.update(model=model, spec=spec)
        raise Captured()

    if name == "default":
        model, manifest = shipped_default()
        return model, manifest["input"]["layout"], manifest["features"], manifest["input"]["fixedFrames"]
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
    p.add_argument("command", choices=["export", "check", "time"])
    p.add_argument("name", choices=list(PEERS))
    p.add_argument("out", nargs="?")
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    if a.command == "check":
        if a.name != "default":
            raise SystemExit("check is for the shipped default model only")
        check_default()
        return
    if a.command == "export":
        if a.name == "default":
            raise SystemExit("default is the shipped package: nothing to export")
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
