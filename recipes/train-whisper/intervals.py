"""How far the held-out figures could move with other voices: 95 % intervals by a two-stage speaker bootstrap
(draw a corpus's speakers with replacement, then each drawn speaker's clips with replacement), for the shipped
configuration's LOCO figures (AUC, share of not-negative speech flagged at the default threshold), clean, and its
LOSO figures (binary macro-F1, AUC, emotion UAR), clean and through the telephone channel.

    OMP_NUM_THREADS=1 /usr/bin/python3 recipes/train-whisper/intervals.py --name mlp256-d12-cleanaug

Reads runs/loco-NAME.json and runs/loso-NAME.json (their per-clip predictions); writes runs/intervals-NAME.json
for card.py. Seeded. The voices, not the clips, are the unit: clips of one speaker are not independent, and a
corpus of four speakers is four samples of how people speak, however many clips it has. With two speakers (TESS)
the interval says little beyond the spread between the two.
"""
import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

import data
import evaluate

HERE = Path(__file__).resolve().parent
RUNS = HERE / "runs"


def figures(y, p, emotion=None, emotion_pred=None):
    """AUC, flagged share and binary macro-F1 of negative probabilities ``p`` against labels ``y``; with the true
    and predicted emotion indices, also the emotion UAR (mean recall over the emotions present)."""
    d = evaluate.decisions(p, y)
    out = {"auc": float(roc_auc_score(y, p)), "flagged_not_negative": d["flagged_not_negative"],
           "binary_macro_f1": d["binary_macro_f1"]}
    if emotion is not None:
        out["emotion_uar"] = float(np.mean([(emotion_pred[emotion == e] == e).mean() for e in np.unique(emotion)]))
    return out


def speaker_bootstrap(y, p, speakers, draws, rng, emotion=None, emotion_pred=None):
    """{figure: [low, high]} (2.5 and 97.5 percentiles) over ``draws`` two-stage resamples; draws where one class
    is missing are redrawn."""
    groups = [np.nonzero(speakers == s)[0] for s in np.unique(speakers)]
    out = {k: [] for k in figures(y, p, emotion, emotion_pred)}
    while len(out["auc"]) < draws:
        pick = rng.integers(0, len(groups), len(groups))
        idx = np.concatenate([g[rng.integers(0, len(g), len(g))] for g in (groups[k] for k in pick)])
        if not 0 < y[idx].mean() < 1:
            continue
        picked = (emotion[idx], emotion_pred[idx]) if emotion is not None else (None, None)
        for k, v in figures(y[idx], p[idx], *picked).items():
            out[k].append(v)
    return {k: [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))] for k, v in out.items()}


def emotions(clips, idx, logits):
    """True and predicted emotion indices of clips ``idx``, the prediction the arg-max among the emotions those
    clips have (as evaluate.metrics takes it for a corpus whose emotions were all trained)."""
    emotion = np.array([data.EMOTIONS.index(clips[i]["emotion"]) for i in idx])
    return emotion, evaluate.restricted_argmax(logits, np.unique(emotion))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--draws", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=20261205)
    args = ap.parse_args()
    clips = data.list_all()
    rng = np.random.default_rng(args.seed)
    out = {"name": args.name, "draws": args.draws, "seed": args.seed, "loco": {}, "loso": {}}
    for mode in ("loco", "loso"):
        path = RUNS / f"{mode}-{args.name}.json"
        if not path.exists():
            continue
        for c, res in json.loads(path.read_text())["result"].items():
            idx = res["test_index"]
            y = np.array([clips[i]["negative"] for i in idx])
            speakers = np.array([clips[i]["speaker"] for i in idx])
            # LOSO: every emotion was trained, so the 7-class UAR targets are read here, clean and telephone
            renditions = ["clean"] + (["telephone"] if mode == "loso" and "telephone" in res["predictions"] else [])
            for rendition in renditions:
                pred = res["predictions"][rendition]
                p = np.asarray(pred["p_negative"])
                emo = emotions(clips, idx, np.asarray(pred["emotion_logits"])) if mode == "loso" else (None, None)
                row = {"speakers": int(len(np.unique(speakers))), "clips": len(idx), **figures(y, p, *emo),
                       "interval": speaker_bootstrap(y, p, speakers, args.draws, rng, *emo)}
                stored = res["channels"][rendition]
                # the stored probabilities are rounded to 5 decimals, which ties a few pairs
                if abs(stored["auc"] - row["auc"]) > 1e-5 or stored["flagged_not_negative"] != row["flagged_not_negative"] \
                        or ("emotion_uar" in row and abs(stored["emotion_uar"] - row["emotion_uar"]) > 1e-9):
                    raise SystemExit(f"{c} {rendition}: the figures recomputed from {path.name}'s predictions differ "
                                     "from its own")
                out[mode][c if rendition == "clean" else f"{c}-{rendition}"] = row
                iv = row["interval"]
                print(f"{mode} {c}-{rendition} {row['speakers']:2d} speakers " + " ".join(
                    f"{k} {row[k]:.3f} [{iv[k][0]:.3f}, {iv[k][1]:.3f}]" for k in iv), flush=True)
    (RUNS / f"intervals-{args.name}.json").write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote runs/intervals-{args.name}.json")


if __name__ == "__main__":
    main()
