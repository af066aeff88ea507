#!/usr/bin/python3
"""An int8 twin of a Tingxin model package, for the int8-versus-fp32 comparison (issue 19): every MatMul
with a constant weight (attention projections, MLPs, heads; convolutions stay float32) quantised by
recipes/export's graph-edit quantiser (DynamicQuantizeLinear + MatMulInteger, as ONNX Runtime's
quantize_dynamic writes; no Python onnxruntime needed).

    /usr/bin/python3 sentiment-bench/scripts/quantize-package.py IN OUT [--per-channel] [--activation-ranges JSON]

--activation-ranges: a JSON object {weight initializer name: [min, max]} of each quantised MatMul's activation
input, measured on calibration speech (recipes/train-whisper/calibrate.py writes it for the default model):
the activations are then quantised with those fixed ranges (static int8, batch-invariant) instead of at run
time, and the name gets "-static".

OUT must not exist (nothing is overwritten). OUT/tingxin-model.json is IN's with "-int8" (and
"-int8pc" per channel) added to the name and a sentence to the description; MODEL_CARD.md is IN's with a
note that the figures in it were measured on the float model, not on this one. Check accuracy before use.
"""
import argparse
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "recipes", "export"))
import tingxin_export as tx  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--per-channel", action="store_true", help="one weight scale per output column")
    ap.add_argument("--activation-ranges", help="JSON {weight initializer: [min, max]}: static activations")
    a = ap.parse_args()
    if os.path.exists(a.out):
        raise SystemExit(f"{a.out} exists; give a new folder (nothing is overwritten)")
    manifest_path = os.path.join(a.src, "tingxin-model.json")
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    model = os.path.join(a.src, "model.onnx")
    if not os.path.isfile(model):
        raise SystemExit(f"{model} not found: give an unpacked model package folder")
    os.makedirs(a.out)
    try:
        ranges = None
        if a.activation_ranges:
            with open(a.activation_ranges, encoding="utf-8") as f:
                ranges = {k: tuple(v) for k, v in json.load(f)["ranges"].items()}
        n = tx.quantize_int8(model, os.path.join(a.out, "model.onnx"), per_channel=a.per_channel,
                                     activation_ranges=ranges)
        if n == 0:
            raise SystemExit("no MatMul with a constant weight to quantise; nothing written")
        suffix = ("-int8pc" if a.per_channel else "-int8") + ("-static" if ranges else "")
        manifest["name"] = manifest["name"] + suffix
        manifest["description"] = (manifest.get("description", "") + f" int8 twin: {n} MatMuls quantised "
                                   f"({'per output column' if a.per_channel else 'per tensor'}, "
                                   f"{'static (calibrated)' if ranges else 'dynamic'} activations) by "
                                   "sentiment-bench/scripts/quantize-package.py.").strip()
        with open(os.path.join(a.out, "tingxin-model.json"), "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=2, ensure_ascii=False)
            f.write("\n")
        card = os.path.join(a.src, manifest.get("provenance", {}).get("modelCard", "MODEL_CARD.md"))
        if os.path.isfile(card):
            with open(card, encoding="utf-8") as f:
                text = f.read()
            with open(os.path.join(a.out, os.path.basename(card)), "w", encoding="utf-8") as f:
                f.write(f"> **int8 twin of {manifest['name'][:-len(suffix)]}** ({n} MatMuls quantised). The figures "
                        "below were measured on the float model; see sentiment-bench/results/inference.md for "
                        "this one.\n\n" + text)
        for extra in os.listdir(a.src):
            if extra not in ("model.onnx", "tingxin-model.json", os.path.basename(card)):
                src = os.path.join(a.src, extra)
                (shutil.copytree if os.path.isdir(src) else shutil.copy2)(src, os.path.join(a.out, extra))
    except BaseException:
        shutil.rmtree(a.out, ignore_errors=True)  # ours: made above
        raise
    print(f"wrote {a.out} ({n} MatMuls int8{' per channel' if a.per_channel else ''})")


if __name__ == "__main__":
    main()
