"""Exports the leave-one-corpus-out model of one held-out corpus as a Tingxin package, for checking what a
deployment does with a model on speech it never heard (``tingxin model recalibrate``: the recipe README,
*Recalibration by the SDK, end to end*).

    OMP_NUM_THREADS=1 /usr/bin/python3 recipes/train-whisper/loco_package.py --held casia --out DIR

The head is trained exactly as ``evaluate.py loco`` trains the held-out corpus's head (runs/loco-NAME.json: its
configuration, seed and training renditions; every corpus but the held-out one), and takes that run's calibration
for the corpus (fitted on the other corpora's out-of-corpus logits). Before writing it checks that the head
reproduces the run's own logits for the held-out clips, so the package is the model the LOCO figures describe.
The package is a research artefact like the default model (non-commercial, see the model card) and is written
only where ``--out`` says, never into the repository's resources.
"""
import argparse
import dataclasses
import json
import sys
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "export"))
import tingxin_export as tx  # noqa: E402
import data  # noqa: E402
import embed  # noqa: E402
import evaluate  # noqa: E402
import heads  # noqa: E402
import model as mdl  # noqa: E402
import package  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--held", required=True, choices=data.CORPUS_ORDER)
    ap.add_argument("--name", default="mlp256-d12-cleanaug")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} exists and is not empty")
    torch.set_num_threads(1)
    run = json.loads((HERE / "runs" / f"loco-{args.name}.json").read_text())
    cfg = heads.HeadConfig(**{**heads.HeadConfig().dict(), **run["config"]})
    cache = evaluate.load_cache()
    clips = cache["clips"]
    present = evaluate.train_renditions(cache, run["train_renditions"])
    X = heads.features(cache["emb"], cfg.depths, cfg.stats)
    res = run["result"][args.held]
    train_idx = [i for i, x in enumerate(clips) if x["corpus"] != args.held]
    head = heads.train_head(X, clips, train_idx, cfg, present)
    z, _ = heads.predict(head, X[res["test_index"], 0])
    worst = float(np.abs(np.asarray(z) - np.asarray(res["predictions"]["clean"]["z_uncalibrated"])).max())
    if worst > 1e-3:
        raise SystemExit(f"the retrained head differs from runs/loco-{args.name}.json by {worst} in logits")
    cal = res["calibration"]
    head.temperature.fill_(cal["temperature"])
    head.bias.fill_(cal["bias"])
    model = mdl.build(embed.CACHE / "whisper-tiny-en-encoder.pt", head.state_dict(), cfg)
    others = [c for c in data.CORPUS_ORDER if c != args.held]
    spec = package.manifest_spec(cfg, f"leave-one-corpus-out: {args.held} held out (runs/loco-{args.name}.json)",
                                 1.0, 6.0, run["train_renditions"])
    spec = dataclasses.replace(
        spec, name=f"{package.NAME}-loco-{args.held}", version=package.VERSION,
        description=(f"The leave-one-corpus-out model of {package.NAME} {package.VERSION} with {args.held} held out: "
                     f"the same configuration trained on {', '.join(others)} only, calibrated on their out-of-corpus "
                     f"logits. For checking tools on speech the model never heard; not for use on calls. "
                     "Non-commercial research use only (see the default model's card)."),
        trained_on=f"{', '.join(others)} (every corpus of {package.NAME} but {args.held})",
        command=f"recipes/train-whisper/loco_package.py --held {args.held} --name {args.name}")
    mels = [torch.randn(80, 230), torch.randn(80, 157)]
    x, lengths = tx.to_model_input([m.T for m in mels], mdl.LAYOUT)
    out.mkdir(parents=True, exist_ok=True)
    tx.export_package(model, spec, str(out), x, lengths, random_weights=False)
    (out / "MODEL_CARD.md").write_text(
        f"# {spec.name} {spec.version}\n\n{spec.description}\n\nHead logits reproduce runs/loco-{args.name}.json "
        f"within {worst:.1e}; calibration temperature {cal['temperature']:.4f}, bias {cal['bias']:.4f}.\n")
    print(f"wrote {out} (logits within {worst:.1e} of the LOCO run)")


if __name__ == "__main__":
    main()
