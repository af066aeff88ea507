"""What a deployment's own recalibration buys: the shipped model's negative probability recalibrated on a few
labelled clips of a population, and measured on that population's other speakers.

    /usr/bin/python3 recipes/train-whisper/recalibrate.py --name mlp256-d12-cleanaug

The shipped calibration is fitted on out-of-corpus logits pooled over seven corpora; on a corpus it never heard,
the main error is that corpus's own offset of the logits (model card, *Where targets are missed*), which no
global calibration removes. A hotline can remove it with consented, labelled speech of its own callers. This
script measures how much labelled speech that takes, on the per-clip predictions the evaluation already wrote:

* ``loco``: for each held-out corpus C, the predictions of the head trained without C (runs/loco-NAME.json), with
  C's cross-fitted calibration. C's speakers are split into the folds ``evaluate.py loso`` uses; for each fold,
  N clips drawn at random from C's *other* speakers (labelled local speech) refit the calibration, and the fold's
  own speakers are scored with it. So every figure is on voices the recalibration never heard, in a corpus the
  head never heard.
* ``loso`` (EmoDB, CASIA: runs/loso-NAME.json): the same, on the leave-speakers-out predictions (heads that
  know the corpus, not the voice). Each fold's recalibration is fitted on the other folds' held-out predictions;
  those came from heads that were trained with this fold's speakers, so the fold's labels reach its two
  calibration numbers through the other folds' heads (the usual cross-fitted calibration, stated here).

The recalibration is fitted on the shipped calibrated logit l = logit(p): ``bias`` (p' = sigmoid(l + c)) or
``platt`` (p' = sigmoid(l / T + c)), by plain maximum likelihood (the labelled set's own negative share; see
``heads.fit_calibration``). Each size N is drawn DRAWS times (seeded); draws without both classes are drawn again.
AUC does not change (a monotone map per fold). The SDK needs no new code for the decisions: p' >= 0.5 exactly
where p >= sigmoid(-c T), so ``--negative-threshold`` / ``RecognizerSettings.negativeThreshold`` set to that value
gives the recalibrated decisions; the probabilities it reports stay the shipped ones.
Writes runs/recalibration-NAME.json.
"""
import argparse
import json
from pathlib import Path

import numpy as np
from scipy.special import expit

import data
import evaluate
import heads

HERE = Path(__file__).resolve().parent
RUNS = HERE / "runs"
SIZES = [25, 50, 100, 200, 0]  # 0: all of the other speakers' clips
RENDITIONS = ["clean", "telephone", "aug0"]


def logit(p):
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p) - np.log1p(-p)


def shipped_logits(res, rend, mode):
    """The calibrated logit l = logit(p) the shipped calibration gives each test clip of one result."""
    if mode == "loco":
        cal = res["calibration"]
        return np.asarray(res["predictions"][rend]["z_uncalibrated"]) / cal["temperature"] + cal["bias"]
    return logit(res["predictions"][rend]["p_negative"])


def recalibrated(l, y, speakers, folds, size, how, rng):
    """One draw: each fold's clips rescored by a calibration fitted on ``size`` clips of the other folds."""
    p = np.empty_like(l)
    fits = []
    for held in folds:
        test = np.isin(speakers, held)
        pool = np.nonzero(~test)[0]
        while True:
            pick = pool if size == 0 or size >= len(pool) else rng.choice(pool, size, replace=False)
            if 0 < y[pick].mean() < 1:
                break
        t, c = heads.fit_calibration(l[pick], y[pick], how, balanced=False)
        p[test] = expit(l[test] / t + c)
        fits.append((t, c))
    return p, fits


def corpus_figures(res, clips, corpus, mode, draws, seed):
    idx = res["test_index"]
    y = np.array([clips[i]["negative"] for i in idx], dtype=np.float64)
    speakers = np.array([clips[i]["speaker"] for i in idx])
    folds = evaluate.speaker_folds(clips, corpus)
    out = {"clips": len(idx), "negative_share": float(y.mean()), "folds": len(folds), "renditions": {}}
    for rend in RENDITIONS:
        if rend not in res["predictions"]:
            continue
        l = shipped_logits(res, rend, mode)
        shipped = evaluate.decisions(expit(l), y)
        if abs(shipped["ece"] - res["channels"][rend]["ece"]) > 1e-3:  # the logits are the run's own predictions
            raise SystemExit(f"{mode} {corpus} {rend}: ECE {shipped['ece']:.4f} from the logits, "
                             f"{res['channels'][rend]['ece']:.4f} in the run")
        rows = {"shipped": shipped}
        for how in ("bias", "platt"):
            for size in SIZES:
                rng = np.random.default_rng([seed, SIZES.index(size), RENDITIONS.index(rend)])
                runs = []
                thresholds = []
                for _ in range(1 if size == 0 else draws):
                    p, fits = recalibrated(l, y, speakers, folds, size, how, rng)
                    runs.append(evaluate.decisions(p, y))
                    thresholds += [float(expit(-c * t)) for t, c in fits]
                keys = runs[0].keys()
                rows[f"{how}-{size or 'all'}"] = {
                    **{k: float(np.mean([r[k] for r in runs])) for k in keys},
                    "ece_p90": float(np.percentile([r["ece"] for r in runs], 90)),
                    "flagged_p90": float(np.percentile([r["flagged_not_negative"] for r in runs], 90)),
                    "equivalent_threshold_range": [min(thresholds), max(thresholds)],
                    "draws": len(runs)}
        out["renditions"][rend] = rows
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--name", default="mlp256-d12-cleanaug")
    ap.add_argument("--draws", type=int, default=20)
    ap.add_argument("--seed", type=int, default=20261205)
    args = ap.parse_args()
    clips = data.list_all()
    result = {"name": args.name, "draws": args.draws, "seed": args.seed, "sizes": SIZES, "loco": {}, "loso": {}}
    for mode in ("loco", "loso"):
        run = json.loads((RUNS / f"{mode}-{args.name}.json").read_text())
        if run.get("norm", "none") != "none":
            raise SystemExit(f"{mode}-{args.name} was normalised per group: not the shipped configuration")
        for corpus, res in run["result"].items():
            fig = corpus_figures(res, clips, corpus, mode, args.draws, args.seed)
            result[mode][corpus] = fig
            clean = fig["renditions"]["clean"]
            print(f"{mode} {corpus:8s} ECE shipped {clean['shipped']['ece']:.3f} "
                  + " ".join(f"{k} {v['ece']:.3f}/{v['flagged_not_negative']:.3f}/{v['binary_macro_f1']:.3f}"
                             for k, v in clean.items() if k != "shipped"), flush=True)
    out = RUNS / f"recalibration-{args.name}.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
