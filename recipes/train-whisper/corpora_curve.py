"""How held-out accuracy grows with the number of training corpora: the evidence behind the model card's "more
varied corpora are the direct remedy".

    OMP_NUM_THREADS=1 /usr/bin/python3 recipes/train-whisper/corpora_curve.py --name NAME [--draws 3]

For each held-out corpus C and each m = 1..7, the shipped head configuration (runs/loco-NAME.json: configuration,
seed, training renditions) is trained on m of the other seven corpora (--draws seeded random subsets of size m; the
one subset for m = 7, which is the LOCO run itself: checked, its AUC must equal the run's) and tested on C, clean.
AUC only: it needs no calibration, so no corpus's labels reach another's figure. Writes runs/corpora-curve-NAME.json:
per C and m the AUCs of the draws, and per m their mean over the held-out corpora, with the least-squares slope of
the mean AUC against log2(m) (AUC gained per doubling of the training corpora).
"""
import argparse
import itertools
import json
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import roc_auc_score

import data
import evaluate
import heads

HERE = Path(__file__).resolve().parent
RUNS = HERE / "runs"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--name", default="mlp256-d12-cleanaug")
    ap.add_argument("--draws", type=int, default=3, help="random subsets per size m (fewer where fewer exist)")
    ap.add_argument("--held", default=",".join(data.CORPUS_ORDER))
    args = ap.parse_args()
    torch.set_num_threads(1)
    run = json.loads((RUNS / f"loco-{args.name}.json").read_text())
    cfg = heads.HeadConfig(**{**heads.HeadConfig().dict(), **run["config"]})
    cache = evaluate.load_cache()
    clips = cache["clips"]
    present = evaluate.train_renditions(cache, run["train_renditions"])
    X = heads.features(cache["emb"], cfg.depths, cfg.stats)
    out = {"name": args.name, "draws": args.draws, "config": cfg.dict(), "held": {}}
    target = RUNS / f"corpora-curve-{args.name}.json"
    for c in args.held.split(","):
        others = [d for d in data.CORPUS_ORDER if d != c]
        test_idx = [i for i, x in enumerate(clips) if x["corpus"] == c]
        y = np.array([clips[i]["negative"] for i in test_idx])
        rng = np.random.default_rng([cfg.seed, data.CORPUS_ORDER.index(c)])
        per_m = {}
        for m in range(1, len(others) + 1):
            subsets = list(itertools.combinations(others, m))
            picks = rng.choice(len(subsets), min(args.draws, len(subsets)), replace=False)
            rows = []
            for k in sorted(picks):
                train = set(subsets[k])
                train_idx = [i for i, x in enumerate(clips) if x["corpus"] in train]
                if len({clips[i]["negative"] for i in train_idx}) < 2:
                    continue  # a corpus without both classes cannot train the negative head alone
                t0 = time.time()
                head = heads.train_head(X, clips, train_idx, cfg, present)
                z, _ = heads.predict(head, X[test_idx, 0])
                rows.append({"train": sorted(train), "auc": float(roc_auc_score(y, z))})
                print(f"{c:8s} m={m} {'+'.join(sorted(train)):60s} AUC {rows[-1]['auc']:.3f} ({time.time() - t0:.0f} s)",
                      flush=True)
            per_m[str(m)] = rows
        want = run["summary"][c]["clean"]["auc"]
        got = per_m[str(len(others))][0]["auc"]
        if abs(got - want) > 1e-4:
            raise SystemExit(f"{c}: all seven corpora give AUC {got:.5f}, the LOCO run {want:.5f}")
        out["held"][c] = per_m
        target.write_text(json.dumps(out, indent=1) + "\n")
    sizes = sorted({int(m) for per_m in out["held"].values() for m in per_m})
    mean = {m: float(np.mean([np.mean([r["auc"] for r in per_m[str(m)]]) for per_m in out["held"].values()
                              if per_m[str(m)]])) for m in sizes}
    slope = float(np.polyfit(np.log2(sizes), [mean[m] for m in sizes], 1)[0])
    out["mean_auc_by_m"] = mean
    out["auc_per_doubling"] = slope
    target.write_text(json.dumps(out, indent=1) + "\n")
    print("mean AUC by number of training corpora: " + ", ".join(f"{m}: {a:.3f}" for m, a in mean.items())
          + f"; +{slope:.3f} per doubling")
    print(f"wrote {target.relative_to(HERE)}")


if __name__ == "__main__":
    main()
