"""Static int8 of the Whisper encoder (issue 19): calibrated activation ranges, and an exact PyTorch emulation
of the graph that ``tingxin_export.quantize_int8(..., per_channel=True, activation_ranges=...)`` writes,
so that the int8 model's figures (leave-one-corpus-out included) are measured in Python like the float ones.

    nice -n 10 /usr/bin/python3 recipes/train-whisper/int8.py calibrate     # runs/activation-ranges.json
    # the static int8 twin of a package whose graph holds this encoder's weights (the bundled default):
    /usr/bin/python3 recipes/train-whisper/int8.py graph-ranges PACKAGE/model.onnx /tmp/ranges.json
    /usr/bin/python3 sentiment-bench/scripts/quantize-package.py PACKAGE OUT --per-channel --activation-ranges /tmp/ranges.json

What is quantised: the six Linear layers of every encoder block (query, key, value, out, mlp.0, mlp.2: 97 % of
the multiply-adds of a segment). Weights: symmetric int8, one scale per output column. Activations: uint8 with a
FIXED range per layer, measured once on calibration speech (``calibrate``), never per batch: a segment's scores
then depend on that segment alone, alone or in any batch (ONNX Runtime's dynamic quantisation takes one range
per batch tensor, so batch mates change each other's scores by up to 0.17; see sentiment-bench/results). The
convolutions, attention products, layer norms and the head stay float32.

The emulation is exact up to float rounding: activations are divided by their scale in float32 and rounded
half to even, as ONNX Runtime's QuantizeLinear does; the integer products are summed exactly (float64 holds
them); the sum is scaled by (activation scale x weight scale) in float32, as MatMulIntegerToFloat does.

Calibration data: ``--per-corpus`` clips of each of the eight corpora (seeded), each clean, through the
telephone channel and in one random hotline rendition: unlabelled audio only, so no label reaches the ranges;
a corpus held out in leave-one-corpus-out still contributed its clips' ranges (a documented, label-free leak).
"""
import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "export"))
import tingxin_export as tx  # noqa: E402

RANGES = HERE / "runs" / "activation-ranges.json"


def block_linears(encoder):
    """{name relative to the encoder ('blocks.0.attn.query', ...): module} of the Linear layers quantised."""
    return {f"blocks.{i}.{n}": m for i, b in enumerate(encoder.blocks) for n, m in b.named_modules()
            if isinstance(m, nn.Linear)}


class Int8Linear(nn.Module):
    """A Linear layer as the static int8 graph computes it (see the module's docstring)."""

    def __init__(self, linear: nn.Linear, lo: float, hi: float):
        super().__init__()
        q, w_scale = tx.int8_weight(linear.weight.detach().numpy().T, per_channel=True)  # [in, out] as exported
        a_scale, a_zp = tx.uint8_activation(lo, hi)
        self.register_buffer("q", torch.from_numpy(q.astype(np.float64)))
        self.register_buffer("a_scale", torch.tensor(float(a_scale), dtype=torch.float32))
        self.zero_point = float(a_zp)
        self.register_buffer("scale", torch.from_numpy((a_scale * w_scale).astype(np.float32)))
        self.bias = None if linear.bias is None else nn.Parameter(linear.bias.detach().clone(), requires_grad=False)

    def forward(self, x):
        xq = torch.clamp(torch.round(x.float() / self.a_scale) + self.zero_point, 0, 255) - self.zero_point
        y = (xq.double() @ self.q).float() * self.scale
        return y if self.bias is None else y + self.bias


def quantize_(encoder, ranges):
    """Replaces every block Linear of ``encoder`` (in place) by its int8 emulation; returns the encoder."""
    for name, linear in block_linears(encoder).items():
        if name not in ranges:
            raise SystemExit(f"no activation range for {name}: rerun int8.py calibrate")
        parent, attr = name.rsplit(".", 1)
        setattr(encoder.get_submodule(parent), attr, Int8Linear(linear, *ranges[name]))
    return encoder


def load_ranges(path=RANGES):
    if not Path(path).exists():
        raise SystemExit(f"{path} not found: run recipes/train-whisper/int8.py calibrate first")
    return {k: tuple(v) for k, v in json.loads(Path(path).read_text())["ranges"].items()}


def onnx_ranges(onnx_path, encoder, ranges):
    """The ranges keyed by the exported graph's weight initializers (what quantize_int8 reads): each
    block Linear's initializer is the one holding exactly its transposed weight; blocks the graph was cut
    before have none (quantize_int8 refuses a graph MatMul left without a range)."""
    import onnx
    from onnx import numpy_helper
    inits = [(i.name, numpy_helper.to_array(i)) for i in onnx.load(str(onnx_path)).graph.initializer]
    out = {}
    for name, linear in block_linears(encoder).items():
        w = linear.weight.detach().numpy().T
        hits = [n for n, a in inits if a.shape == w.shape and np.array_equal(a, w)]
        if len(hits) > 1:
            raise SystemExit(f"{name}: {len(hits)} initializers of the graph hold its weight (need one)")
        if hits:
            out[hits[0]] = ranges[name]
    return out


@torch.no_grad()
def calibrate(per_corpus, seed):
    import augment
    import data
    import embed
    encoder = embed.load_encoder()
    linears = block_linears(encoder)
    seen = {n: [float("inf"), float("-inf")] for n in linears}

    def hook(name):
        def record(module, inputs):
            r = seen[name]
            r[0] = min(r[0], float(inputs[0].min()))
            r[1] = max(r[1], float(inputs[0].max()))
        return record

    for n, m in linears.items():
        m.register_forward_pre_hook(hook(n))
    rng = random.Random(seed)
    clips = []
    for corpus in data.CORPUS_ORDER:
        listed = data.list_corpus(corpus)
        clips += rng.sample(listed, min(per_corpus, len(listed)))
    for i, clip in enumerate(clips):
        wav = data.trim_silence(data.load_16k(clip["path"]))
        for rendition in ("clean", "telephone", "aug"):
            x = wav if rendition == "clean" else augment.telephone(wav) if rendition == "telephone" \
                else augment.random_augment(wav, seed * 100003 + i)
            mel = embed.logmel(x)
            encoder.layer_states(mel[None], torch.tensor([mel.shape[1]]))
    return {"about": "Activation range (min, max) of the input of every Whisper tiny.en block Linear, over the "
                     "calibration clips, clean, telephone and one random hotline rendition each; int8.py calibrate.",
            "seed": seed, "clips_per_corpus": per_corpus, "clips": len(clips),
            "renditions": ["clean", "telephone", "random hotline"],
            "ranges": {n: [round(lo, 6), round(hi, 6)] for n, (lo, hi) in seen.items()}}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["calibrate", "graph-ranges"])
    ap.add_argument("paths", nargs="*", help="graph-ranges: MODEL.onnx OUT.json")
    ap.add_argument("--per-corpus", type=int, default=40, help="calibration clips per corpus")
    ap.add_argument("--seed", type=int, default=20261205)
    args = ap.parse_args()
    torch.set_num_threads(1)
    if args.mode == "graph-ranges":
        if len(args.paths) != 2:
            raise SystemExit("graph-ranges needs MODEL.onnx OUT.json")
        import embed
        ranges = onnx_ranges(args.paths[0], embed.load_encoder(), load_ranges())
        Path(args.paths[1]).write_text(json.dumps({"ranges": ranges}, indent=1) + "\n")
        print(f"wrote {args.paths[1]}: ranges of {len(ranges)} MatMuls of {args.paths[0]}")
        return
    out = calibrate(args.per_corpus, args.seed)
    RANGES.parent.mkdir(exist_ok=True)
    RANGES.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {RANGES}: {len(out['ranges'])} layers from {out['clips']} clips x 3 renditions")


if __name__ == "__main__":
    main()
