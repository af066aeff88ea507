"""Per-call normalisation, measured as the SDK could run it: causal, shrunk towards the training population, and
tested on calls that stay negative.

    OMP_NUM_THREADS=1 /usr/bin/python3 recipes/train-whisper/percall.py --name NAME --prior 3,10,30

The earlier per-speaker standardisation (``evaluate.py --norm speaker``) used all of a speaker's clips, future
ones included, and could not show its risk: in the acted corpora every speaker acts every emotion, so a caller who
sounds negative from the first word, standardised towards their own mean, would drift towards neutral. Here:

* A *call* is up to --call-length clips of one speaker in one rendition, in a seeded random order. The segment i
  of a call is centred by the call so far (itself included), shrunk towards the training population's mean mu
  with a prior weight of k segments: x'_i = x_i - m_i + mu, m_i = (x_1 + ... + x_i + k mu) / (i + k).
  k = infinity is no normalisation: the shipped configuration (checked: its AUCs equal runs/loco-NAME.json's).
* The head (the configuration, seed and training renditions of runs/loco-NAME.json) is trained
  leave-one-corpus-out on centred calls of the seven other corpora and calibrated by the same cross-fitted Platt
  fit as ``evaluate.py loco``.
* The held-out corpus is scored three ways: *mixed calls* (each speaker's clips in random order: AUC,
  flagged share, ECE), *calls that stay negative* (only a speaker's negative clips: recall of negative speech)
  and *calls that stay not negative* (flagged share).
Writes runs/percall-NAME.json.
"""
import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
from scipy.special import expit
from sklearn.metrics import roc_auc_score

import data
import evaluate
import heads

HERE = Path(__file__).resolve().parent
RUNS = HERE / "runs"
TEST = ["clean", "telephone", "aug0"]


# How the held-out corpus is scored: mixed calls, calls that stay negative, calls that stay not negative.
WAYS = {"mixed": None, "stay_negative": lambda x: x["negative"] == 1, "stay_not_negative": lambda x: x["negative"] == 0}


def test_renditions(cache, test_idx):
    """The renditions of TEST cached for every clip of ``test_idx``, as (index, name)."""
    names = cache["renditions"]
    return [(names.index(n), n) for n in TEST if n in names and bool(cache["present"][test_idx, names.index(n)].all())]


def calls(clips, idx, length, rng, keep=None):
    """Clip indices grouped into calls: each speaker's clips (those ``keep`` accepts) shuffled, cut into calls of
    at most ``length``."""
    out = []
    by_speaker = {}
    for i in idx:
        if keep is None or keep(clips[i]):
            by_speaker.setdefault((clips[i]["corpus"], clips[i]["speaker"]), []).append(i)
    for key in sorted(by_speaker):
        members = np.array(by_speaker[key])
        rng.shuffle(members)
        out += [members[s:s + length] for s in range(0, len(members), length)]
    return out


def centred(x, mu, k):
    """[n, F] segments of one call in order -> centred by the call so far, shrunk towards ``mu`` (k segments)."""
    if math.isinf(k):
        return x
    counts = torch.arange(1, len(x) + 1, dtype=x.dtype)[:, None]
    m = (torch.cumsum(x, 0) + k * mu) / (counts + k)
    return x - m + mu


def centred_all(X, call_list, renditions, mu, k):
    """A copy of X [N, R, F] with every listed call centred in each of ``renditions`` (indices)."""
    out = X.clone()
    for call in call_list:
        t = torch.from_numpy(call)
        for r in renditions:
            out[t, r] = centred(X[t, r], mu, k)
    return out


def run(cache, X, cfg, present, k, length, seed, train_corpora):
    clips = cache["clips"]
    names = cache["renditions"]
    train_r = [r for r in range(len(names)) if bool(present[:, r].any())]
    result = {}
    for c in train_corpora:
        t0 = time.time()
        train_idx = [i for i, x in enumerate(clips) if x["corpus"] != c and x["corpus"] in train_corpora]
        test_idx = [i for i, x in enumerate(clips) if x["corpus"] == c]
        mu = X[train_idx, 0].mean(0)
        rng = np.random.default_rng([seed, data.CORPUS_ORDER.index(c)])
        Xtr = centred_all(X, calls(clips, train_idx, length, rng), train_r, mu, k)
        head = heads.train_head(Xtr, clips, train_idx, cfg, present)
        rends = test_renditions(cache, test_idx)
        res = {"predictions": {}}
        for way, keep in WAYS.items():
            call_list = calls(clips, test_idx, length, rng, keep)
            order = np.concatenate(call_list)
            Xte = centred_all(X, call_list, [r for r, _ in rends], mu, k)
            for r, rend in rends:
                if way != "mixed" and rend != "clean":
                    continue
                z, _ = heads.predict(head, Xte[torch.from_numpy(order), r])
                res["predictions"][f"{way}/{rend}"] = {"index": order.tolist(), "z": np.round(z, 5).tolist()}
        result[c] = res
        print(f"  k={k} {c:8s} trained and scored in {time.time() - t0:.0f} s", flush=True)
    return summarise(result, clips)


def run_logits(cache, X, cfg, present, priors, length, seed, train_corpora):
    """As ``run``, but the shipped head (trained without normalisation) is kept and its negative *logit* is centred
    per call instead of the pooled states: z'_i = z_i - m_i + mu, m_i = (z_1 + ... + z_i + k mu) / (i + k), mu the
    head's mean logit over its training clips. Needs nothing from the graph but its output, so an SDK could apply it
    to any model's scores. The calls are those ``run`` builds (same seeds), each k calibrated by the same
    cross-fitted Platt fit. Returns {k label: summary}."""
    clips = cache["clips"]
    raw = {}
    for c in train_corpora:
        t0 = time.time()
        train_idx = [i for i, x in enumerate(clips) if x["corpus"] != c and x["corpus"] in train_corpora]
        test_idx = [i for i, x in enumerate(clips) if x["corpus"] == c]
        rng = np.random.default_rng([seed, data.CORPUS_ORDER.index(c)])
        calls(clips, train_idx, length, rng)  # the training calls: drawn only to keep the generator where run() has it
        head = heads.train_head(X, clips, train_idx, cfg, present)
        mu = float(np.mean(heads.predict(head, X[train_idx, 0])[0]))
        rends = test_renditions(cache, test_idx)
        raw[c] = {"mu": mu, "ways": {}}
        for way, keep in WAYS.items():
            call_list = calls(clips, test_idx, length, rng, keep)
            order = np.concatenate(call_list)
            for r, rend in rends:
                if way != "mixed" and rend != "clean":
                    continue
                z, _ = heads.predict(head, X[torch.from_numpy(order), r])
                raw[c]["ways"][f"{way}/{rend}"] = (order, [len(x) for x in call_list], np.asarray(z, dtype=np.float64))
        print(f"  logits {c:8s} trained and scored in {time.time() - t0:.0f} s", flush=True)
    out = {}
    for k in priors:
        result = {}
        for c, r in raw.items():
            result[c] = {"predictions": {}}
            for key, (order, sizes, z) in r["ways"].items():
                parts = np.split(torch.from_numpy(z)[:, None], np.cumsum(sizes)[:-1])
                mu = torch.tensor([r["mu"]], dtype=torch.float64)
                zc = torch.cat([centred(p, mu, k) for p in parts])[:, 0].numpy()
                result[c]["predictions"][key] = {"index": order.tolist(), "z": np.round(zc, 5).tolist()}
        out["none" if math.isinf(k) else f"{k:g}"] = summarise(result, clips)
    return out


def summarise(result, clips):
    """Per held-out corpus: each way's figures, calibrated by the Platt fit on the other corpora's mixed calls."""
    summary = {}
    for c, res in result.items():
        zs, ys = [], []
        for d, other in result.items():
            if d == c:
                continue
            for key, pred in other["predictions"].items():
                if key.startswith("mixed/"):
                    zs.append(np.asarray(pred["z"]))
                    ys.append(np.array([clips[i]["negative"] for i in pred["index"]]))
        t, b = heads.fit_calibration(np.concatenate(zs), np.concatenate(ys), "platt")
        s = {"calibration": [t, b]}
        for key, pred in res["predictions"].items():
            y = np.array([clips[i]["negative"] for i in pred["index"]])
            p = expit(np.asarray(pred["z"]) / t + b)
            if key.startswith("mixed/"):
                s[key] = {"auc": float(roc_auc_score(y, p)), **evaluate.decisions(p, y)}
            else:  # one class only: its share of decisions at the threshold
                share = float((p >= evaluate.THRESHOLD).mean())
                which = "recall_negative" if key.startswith("stay_negative/") else "flagged_not_negative"
                s[key] = {which: share, "mean_p_negative": float(p.mean())}
        summary[c] = s
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prior", default="3,10,30", help="prior weights k (segments); infinity is always run")
    ap.add_argument("--call-length", type=int, default=30)
    ap.add_argument("--name", default="mlp256-d12-cleanaug", help="the LOCO run whose head configuration is used")
    ap.add_argument("--space", default="states", choices=["states", "logits"],
                    help="centre the pooled states (the head retrained on centred calls) or the shipped head's logit")
    args = ap.parse_args()
    torch.set_num_threads(1)
    shipped = json.loads((RUNS / f"loco-{args.name}.json").read_text())
    if shipped.get("norm", "none") != "none" or shipped["calibration"] != "platt":
        raise SystemExit(f"loco-{args.name} is not a Platt-calibrated run without group normalisation")
    cfg = heads.HeadConfig(**shipped["config"])
    cache = evaluate.load_cache()
    present = evaluate.train_renditions(cache, shipped["train_renditions"])
    X = heads.features(cache["emb"], cfg.depths, cfg.stats)
    out = {"name": args.name, "call_length": args.call_length, "seed": cfg.seed, "config": cfg.dict(),
           "space": args.space, "runs": {}}
    priors = [math.inf] + [float(v) for v in args.prior.split(",")]
    by_logit = (run_logits(cache, X, cfg, present, priors, args.call_length, cfg.seed, data.CORPUS_ORDER)
                if args.space == "logits" else None)
    target = RUNS / (f"percall-{args.name}.json" if args.space == "states" else f"percall-logits-{args.name}.json")
    for k in priors:
        label = "none" if math.isinf(k) else f"{k:g}"
        summary = (by_logit[label] if by_logit is not None
                   else run(cache, X, cfg, present, k, args.call_length, cfg.seed, data.CORPUS_ORDER))
        out["runs"][label] = summary
        if math.isinf(k):  # no normalisation must be the shipped LOCO run, clip for clip
            for c, s in summary.items():
                want = shipped["summary"][c]["clean"]["auc"]
                if abs(s["mixed/clean"]["auc"] - want) > 1e-4:
                    raise SystemExit(f"k=infinity {c}: AUC {s['mixed/clean']['auc']:.5f}, shipped run {want:.5f}")
        mean = lambda key, m: float(np.mean([s[key][m] for s in summary.values()]))
        print(f"k={label}: mixed clean AUC {mean('mixed/clean', 'auc'):.4f} tel {mean('mixed/telephone', 'auc'):.4f} "
              f"aug0 {mean('mixed/aug0', 'auc'):.4f} flagged {mean('mixed/clean', 'flagged_not_negative'):.3f} "
              f"ECE {mean('mixed/clean', 'ece'):.3f} | stay-negative recall {mean('stay_negative/clean', 'recall_negative'):.3f} "
              f"| stay-not-negative flagged {mean('stay_not_negative/clean', 'flagged_not_negative'):.3f}", flush=True)
        target.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {target.relative_to(HERE)}")


if __name__ == "__main__":
    main()
