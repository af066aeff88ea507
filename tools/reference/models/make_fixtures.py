"""Builds the tiny model packages under fixtures/models/ and their PyTorch reference outputs.

Each fixture is a real architecture at toy size (2 layers, small widths, seeded random weights), exported
by recipes/export/tingxin_export.py, with reference/ beside it:

  reference/reference.json   clips, shapes, and the PyTorch raw outputs of every head for every clip
  reference/audio_<i>.f32     the clip (16 kHz mono, little-endian float32), fresh synthetic speech-like audio
  reference/features_<i>.f32  the features PyTorch/torchaudio compute from it ([frames, dim], row-major)

The outputs are each clip run alone; the script also checks that a padded batch gives the same numbers.
Java's tests (sentiment-onnx) compare against these files; CI has no Python.

Run from the repository root:  nice -n 10 /usr/bin/python3 tools/reference/models/make_fixtures.py
"""

import json
import os
import sys

import numpy as np
import torch
import torchaudio

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "recipes", "export"))
import tingxin_export as tx  # noqa: E402

SR = 16000
CLIP_SECONDS = [0.83, 1.37, 2.05]
COMMAND = "nice -n 10 /usr/bin/python3 tools/reference/models/make_fixtures.py"


def speech_like(rng: np.random.Generator, seconds: float) -> np.ndarray:
    """A harmonic voice with a wandering pitch, syllable-rate envelope and breath noise."""
    n = int(seconds * SR) + int(rng.integers(0, 160))
    t = np.arange(n) / SR
    f0 = rng.uniform(110, 220) + 40 * np.sin(2 * np.pi * rng.uniform(1.5, 4) * t + rng.uniform(0, 6))
    phase = 2 * np.pi * np.cumsum(f0) / SR
    voice = sum((0.6 / k) * np.sin(k * phase + rng.uniform(0, 2 * np.pi)) for k in range(1, 16))
    env = 0.55 - 0.45 * np.cos(2 * np.pi * rng.uniform(2, 5) * t)
    x = 0.25 * voice * env + rng.normal(0, 0.01, n)
    return x.astype(np.float32)


def randomize_norms(model: torch.nn.Module, gen: torch.Generator) -> None:
    """Non-trivial running statistics and affine parameters, so norms are really exercised."""
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm1d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=gen) * 0.3)
            m.running_var.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
        if isinstance(m, (torch.nn.BatchNorm1d, torch.nn.LayerNorm, torch.nn.GroupNorm)) and m.weight is not None:
            with torch.no_grad():
                m.weight.copy_(1 + 0.2 * torch.randn(m.weight.shape, generator=gen))
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=gen))


def fixtures():
    fbank_opts = {"num_mel_bins": 40, "frame_length": 25.0, "frame_shift": 10.0, "dither": 0.0,
                  "preemphasis_coefficient": 0.97, "remove_dc_offset": True, "window_type": "povey",
                  "round_to_power_of_two": True, "snip_edges": True, "low_freq": 20.0, "high_freq": 0.0,
                  "use_energy": False, "use_log_fbank": True, "use_power": True, "raw_energy": True,
                  "energy_floor": 1.0, "htk_compat": False, "subtract_mean": False, "cmvn": "none"}
    return [
        dict(name="wav2vec2-tiny", seed=11,
             description="wav2vec 2.0 (XLSR-style layer-norm extractor, pre-norm transformer) at toy size.",
             backbone=lambda: tx.wav2vec2_backbone("tiny-layer-norm"),
             features={"type": "waveform", "options": {"normalize": "wav2vec2"}},
             heads=[tx.HeadSpec("negative", "binary", "softmax", tx.NEGATIVE_BINARY),
                    tx.HeadSpec("emotions", "multi-label", "pairwise-softmax", tx.PAPER_11)],
             negative_head="negative", int8_variant=True, short_input="as-is"),
        dict(name="hubert-tiny", seed=12,
             description="HuBERT / wav2vec 2.0 base style (group-norm extractor, post-norm transformer) at toy size.",
             backbone=lambda: tx.wav2vec2_backbone("tiny-group-norm"),
             features={"type": "waveform", "options": {"normalize": "none"}},
             heads=[tx.HeadSpec("emotion", "multi-class", "softmax", tx.EMODB_7),
                    tx.HeadSpec("dims", "dimensional", "sigmoid", tx.AROUSAL_VALENCE, thresholds=[3.0, 3.0],
                                ranges=[[1.0, 5.0], [1.0, 5.0]])],
             negative_head=None, short_input="as-is"),
        dict(name="whisper-tiny", seed=13,
             description="Whisper-encoder style (openai-whisper AudioEncoder names) at toy size, variable length.",
             backbone=lambda: tx.whisper_backbone("tiny-test"),
             features={"type": "whisper-logmel", "options": {"n_mels": 80, "n_fft": 400, "hop_length": 160,
                                                             "pad_to_seconds": 0}},
             heads=[tx.HeadSpec("negative", "binary", "sigmoid", [tx.Label("negative", "negative", "负面", True)],
                                thresholds=[0.6]),
                    tx.HeadSpec("emotions", "multi-label", "pairwise-softmax", tx.PAPER_11)],
             negative_head="negative", short_input="as-is"),
        dict(name="fbank-cnn-tiny", seed=14,
             description="Compact CNN over 40-bin Kaldi fbank at toy size.",
             backbone=lambda: tx.FbankCnnBackbone(n_mels=40, channels=48),
             features={"type": "kaldi-fbank", "options": fbank_opts},
             heads=[tx.HeadSpec("negative", "binary", "softmax", tx.NEGATIVE_BINARY, thresholds=[0.5, 0.45]),
                    tx.HeadSpec("emotion", "multi-class", "softmax", tx.EMODB_7)],
             negative_head="negative", no_lengths_variant=True, short_input="pad"),
    ]


def main():
    torch.set_num_threads(1)
    for fx in fixtures():
        torch.manual_seed(fx["seed"])
        gen = torch.Generator().manual_seed(fx["seed"] + 1000)
        model = tx.TingxinModel(fx["backbone"](), fx["heads"])
        randomize_norms(model, gen)
        model.eval()
        out_dir = os.path.join(ROOT, "fixtures", "models", fx["name"])
        ref_dir = os.path.join(out_dir, "reference")
        os.makedirs(ref_dir, exist_ok=True)
        rng = np.random.default_rng(fx["seed"])
        clips = [speech_like(rng, s) for s in CLIP_SECONDS]
        feats = [tx.compute_features(fx["features"], torch.from_numpy(c), SR) for c in clips]
        layout = model.backbone.layout
        worst = tx.check_padding_invariance(model, feats, layout)
        spec = tx.PackageSpec(name="tingxin-fixture-" + fx["name"], version="0.0.1", license="CC0-1.0",
                              description=fx["description"] + " Random weights: a test fixture, not a model.",
                              sample_rate=SR, features=fx["features"], negative_head=fx["negative_head"],
                              min_seconds=0.25, max_seconds=10.0, short_input=fx["short_input"],
                              command=COMMAND)
        example, example_lengths = tx.to_model_input(feats[:2], layout)
        tx.export_package(model, spec, out_dir, example, example_lengths)

        outputs = {h.name: [] for h in fx["heads"]}
        with torch.no_grad():
            for f in feats:
                x, lengths = tx.to_model_input([f], layout)
                for h, y in zip(fx["heads"], model(x, lengths)):
                    outputs[h.name].append([float(v) for v in y[0].reshape(-1).numpy().astype(np.float32)])
        ref = {"generator": COMMAND, "torch": torch.__version__, "torchaudio": torchaudio.__version__,
               "sampleRate": SR, "paddingInvarianceMaxAbs": worst, "clips": [], "outputs": outputs}
        for i, (c, f) in enumerate(zip(clips, feats)):
            c.astype("<f4").tofile(os.path.join(ref_dir, f"audio_{i}.f32"))
            f.numpy().astype("<f4").tofile(os.path.join(ref_dir, f"features_{i}.f32"))
            ref["clips"].append({"audio": f"audio_{i}.f32", "samples": int(c.shape[0]),
                                 "features": f"features_{i}.f32", "frames": int(f.shape[0]), "dim": int(f.shape[1])})
        with open(os.path.join(ref_dir, "reference.json"), "w", encoding="utf-8") as fh:
            json.dump(ref, fh, indent=1)
            fh.write("\n")
        if fx.get("no_lengths_variant"):
            # The same weights without a lengths input: Java must run padded batches item by item and get
            # this fixture's reference outputs.
            variant = os.path.join(ROOT, "fixtures", "models", fx["name"] + "-nolengths")
            spec.name += "-nolengths"
            tx.export_package(model, spec, variant, example, example_lengths, lengths_input=False)
        if fx.get("int8_variant"):
            # int8 dynamic quantisation of the MatMuls; Java checks it stays near the fp32 reference.
            variant = os.path.join(ROOT, "fixtures", "models", fx["name"] + "-int8")
            spec.name += "-int8"
            spec.description += " MatMuls quantised to int8 (dynamic)."
            tx.export_package(model, spec, variant, example, example_lengths)
            n = tx.quantize_int8(os.path.join(variant, "model.onnx"), os.path.join(variant, "model.onnx"),
                                         min_elements=4096)
            print(f"{fx['name']}-int8: {n} MatMuls quantised")
        size = os.path.getsize(os.path.join(out_dir, "model.onnx"))
        print(f"{fx['name']}: model.onnx {size / 1e6:.2f} MB, padding invariance {worst:.2e}")


if __name__ == "__main__":
    main()
