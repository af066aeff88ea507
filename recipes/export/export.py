#!/usr/bin/python3
"""Export a speech emotion model as a Tingxin model package (model.onnx + tingxin-model.json + MODEL_CARD.md).

Examples (see README.md):

  # your fine-tuned HuBERT (Hugging Face folder on disk) with the paper's 11 two-way heads trained on top
  /usr/bin/python3 recipes/export/export.py --arch hubert --hf-dir ./hubert-base-ls960 \
      --checkpoint ./heads.pt --heads paper11 --name hotline-hubert --version 1.0.0 --license CC-BY-NC-4.0 \
      --trained-on "our hotline calls 2024 (consented)" --out ./hotline-hubert

  # a wav2vec2-base-sized model with random weights (for benchmarks only)
  /usr/bin/python3 recipes/export/export.py --arch wav2vec2 --config base --random-weights \
      --heads negative --name w2v2-base-random --out /tmp/w2v2-base
"""

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tingxin_export as tx  # noqa: E402

HEAD_PRESETS = {
    "negative": lambda: [tx.HeadSpec("negative", "binary", "softmax", tx.NEGATIVE_BINARY)],
    "paper11": lambda: [tx.HeadSpec("emotions", "multi-label", "pairwise-softmax", tx.PAPER_11)],
    "negative+paper11": lambda: [tx.HeadSpec("negative", "binary", "softmax", tx.NEGATIVE_BINARY),
                                 tx.HeadSpec("emotions", "multi-label", "pairwise-softmax", tx.PAPER_11)],
    "emodb7": lambda: [tx.HeadSpec("emotion", "multi-class", "softmax", tx.EMODB_7)],
}


def heads_from_json(path):
    with open(path, encoding="utf-8") as f:
        items = json.load(f)
    return [tx.HeadSpec(h["name"], h["task"], h["activation"], [tx.Label(**l) for l in h["labels"]],
                        h.get("thresholds"), h.get("ranges")) for h in items]


def build_backbone(args):
    if args.arch in ("wav2vec2", "hubert"):
        config = args.config or ("large-xlsr" if args.arch == "wav2vec2" else "base")
        return tx.wav2vec2_backbone(config, hf_dir=args.hf_dir), args.hf_dir is not None
    if args.arch == "whisper":
        return tx.whisper_backbone(args.config or "small", checkpoint=args.whisper_checkpoint), \
            args.whisper_checkpoint is not None
    if args.arch == "fbank-cnn":
        return tx.FbankCnnBackbone(n_mels=args.n_mels, channels=args.channels), False
    raise SystemExit("unknown --arch " + args.arch)


def default_features(args, backbone):
    if args.features_json:
        with open(args.features_json, encoding="utf-8") as f:
            return json.load(f), args.fixed_frames
    if args.arch == "wav2vec2":
        return {"type": "waveform", "options": {"normalize": "wav2vec2"}}, 0
    if args.arch == "hubert":
        return {"type": "waveform", "options": {"normalize": "none"}}, 0
    if args.arch == "whisper":
        n_mels = backbone.conv1.in_channels
        if backbone.n_ctx == 1500:  # real Whisper: trained on 30 s windows of 3000 frames
            return {"type": "whisper-logmel", "options": {"n_mels": n_mels, "n_fft": 400, "hop_length": 160,
                                                          "pad_to_seconds": 30}}, 3000
        return {"type": "whisper-logmel", "options": {"n_mels": n_mels, "n_fft": 400, "hop_length": 160,
                                                      "pad_to_seconds": 0}}, 0
    return {"type": "kaldi-fbank", "options": {"num_mel_bins": args.n_mels, "dither": 0.0, "cmvn": "none"}}, 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", required=True, choices=["wav2vec2", "hubert", "whisper", "fbank-cnn"])
    p.add_argument("--config", help="architecture size: " + ", ".join(list(tx.W2V2_CONFIGS) + list(tx.WHISPER_CONFIGS)))
    p.add_argument("--hf-dir", help="wav2vec2/hubert: a Hugging Face model folder on disk (needs transformers)")
    p.add_argument("--whisper-checkpoint", help="whisper: an openai-whisper .pt checkpoint on disk")
    p.add_argument("--checkpoint", help="state_dict of the whole TingxinModel, or of its heads only where the "
                                        "backbone comes from --hf-dir / --whisper-checkpoint")
    p.add_argument("--random-weights", action="store_true", help="no checkpoint: seeded random weights")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--heads", default="negative+paper11", help="preset: " + ", ".join(HEAD_PRESETS))
    p.add_argument("--heads-json", help="heads as a JSON list (name, task, activation, labels, thresholds, ranges)")
    p.add_argument("--features-json", help="the feature recipe as JSON ({type, options}); default by --arch")
    p.add_argument("--fixed-frames", type=int, default=0, help="with --features-json: input.fixedFrames")
    p.add_argument("--n-mels", type=int, default=64, help="fbank-cnn: mel bins")
    p.add_argument("--channels", type=int, default=128, help="fbank-cnn: channels")
    p.add_argument("--name", required=True)
    p.add_argument("--version", default="0.1.0")
    p.add_argument("--license", default="NOASSERTION")
    p.add_argument("--description", default="")
    p.add_argument("--trained-on", default=None)
    p.add_argument("--metrics", default="")
    p.add_argument("--command", default="", help="the command that reproduces the metrics")
    p.add_argument("--negative-head", default=None)
    p.add_argument("--min-seconds", type=float, default=0.5)
    p.add_argument("--max-seconds", type=float, default=8.0)
    p.add_argument("--short-input", choices=["pad", "as-is"], default="pad",
                   help="how audio shorter than --min-seconds is scored: padded with silence to it (as models "
                        "trained on fixed-length padded clips saw it) or as it is (models trained on, and "
                        "masking, any length); see docs/model-package.md")
    p.add_argument("--int8", action="store_true", help="also write <out>-int8 with int8 dynamic quantisation")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)

    if not args.random_weights and not (args.checkpoint or args.hf_dir or args.whisper_checkpoint):
        raise SystemExit("give --checkpoint / --hf-dir / --whisper-checkpoint, or --random-weights for a test model")
    torch.manual_seed(args.seed)
    heads = heads_from_json(args.heads_json) if args.heads_json else HEAD_PRESETS[args.heads]()
    backbone, backbone_loaded = build_backbone(args)
    model = tx.TingxinModel(backbone, heads)
    if args.checkpoint:
        state = torch.load(args.checkpoint, map_location="cpu")
        state = state.get("state_dict", state) if isinstance(state, dict) else state
        missing, unexpected = model.load_state_dict(state, strict=False)
        if unexpected:
            raise SystemExit(f"checkpoint has weights the model lacks: {unexpected[:8]}")
        if missing and not (backbone_loaded and all(k.startswith("backbone.") for k in missing)):
            raise SystemExit(f"checkpoint lacks weights: {missing[:8]}")
    elif backbone_loaded and not args.random_weights:
        raise SystemExit("the backbone is loaded but the heads would be random: give --checkpoint with heads.*")
    model.eval()

    features, fixed = default_features(args, backbone)
    sr = 16000
    # Padding invariance on two noise clips of different lengths, computed with the package's own recipe.
    gen = torch.Generator().manual_seed(1)
    clips = [0.1 * torch.randn(int(sr * s), generator=gen) for s in (1.3, 2.1)]
    feats = [tx.compute_features(features, c, sr) for c in clips]
    worst = tx.check_padding_invariance(model, feats, backbone.layout, fixed, atol=1e-4)
    example, example_lengths = tx.to_model_input(feats, backbone.layout, fixed)

    trained_on = args.trained_on or ("nothing: random weights" if args.random_weights else None)
    if trained_on is None:
        raise SystemExit("say what the model was trained on: --trained-on")
    spec = tx.PackageSpec(name=args.name, version=args.version, license=args.license,
                          description=args.description or f"{args.arch} with the compact head(s) "
                                                          f"{', '.join(h.name for h in heads)}.",
                          sample_rate=sr, features=features, fixed_frames=fixed, negative_head=args.negative_head,
                          min_seconds=args.min_seconds, max_seconds=args.max_seconds,
                          short_input=args.short_input, trained_on=trained_on,
                          metrics=args.metrics or ("none: random weights" if args.random_weights else ""),
                          command=args.command)
    tx.export_package(model, spec, args.out, example, example_lengths, random_weights=args.random_weights)
    print(f"wrote {args.out} (model.onnx {os.path.getsize(os.path.join(args.out, 'model.onnx')) / 1e6:.1f} MB; "
          f"padding changes outputs by at most {worst:.1e})")
    if args.int8:
        out8 = args.out.rstrip("/") + "-int8"
        spec.name += "-int8"
        spec.description += " MatMuls quantised to int8 (dynamic)."
        tx.export_package(model, spec, out8, example, example_lengths, random_weights=args.random_weights)
        n = tx.quantize_int8(os.path.join(out8, "model.onnx"), os.path.join(out8, "model.onnx"))
        if n == 0:
            import shutil
            shutil.rmtree(out8)
            raise SystemExit(f"--int8: the graph has no MatMul with a constant weight to quantise (convolutions "
                             f"and Gemm stay float32); {out8} not written")
        print(f"wrote {out8} ({n} MatMuls quantised to int8; check its accuracy on your own data before use)")


if __name__ == "__main__":
    main()
