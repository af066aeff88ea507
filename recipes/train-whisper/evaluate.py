"""Validation that cannot flatter: leave-one-corpus-out (LOCO) for every corpus and leave-speakers-out
inside each corpus (LOSO), on the embedding cache, seeded.

    nice -n 10 /usr/bin/python3 recipes/train-whisper/evaluate.py loco --name NAME [head options]
    nice -n 10 /usr/bin/python3 recipes/train-whisper/evaluate.py loso --name NAME [head options]

LOCO: for each corpus C (CASIA and EmoDB first), the head is trained on the seven other corpora (the
renditions --train-renditions names) and tested on every clip of C, clean and, where the cache holds them for
all of C, through the evaluation telephone channel and in C's random hotline rendition aug0 (speed, noise,
gain, jittered telephone band: augment.py). C's clips never reach training in any rendition. Its calibration
is fitted on the out-of-corpus logits (every test rendition pooled) of the seven other LOCO runs' held-out
corpora, never on C's labels.
LOSO: inside each corpus, speaker-disjoint folds (one speaker per fold where the corpus has at most ten
speakers; RAVDESS and ASED in ten folds of whole speakers); each fold's head is trained on every other
corpus and the corpus's other speakers. Its calibration is the corpus's LOCO calibration (fitted without
its labels; run ``loco`` with the same --name first).
No random split anywhere. Writes runs/<mode>-<name>.json: configuration, per-corpus metrics (clean,
telephone, aug0), confusion matrices and per-clip predictions.
"""
import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import roc_auc_score

import data
import heads
from embed import CACHE

HERE = Path(__file__).resolve().parent
RUNS = HERE / "runs"
# Those in the cache for every test clip are used; clean-int8 is the clean clip through the static int8 encoder
# (int8.py) that the package ships, so the held-out figures are also measured as the shipped graph computes them.
TEST_RENDITIONS = ["clean", "telephone", "aug0", "clean-int8"]
THRESHOLD = 0.5


def load_cache():
    cache = torch.load(CACHE / "embeddings.pt")
    clips = cache["clips"]
    if [c["path"] for c in clips] != [c["path"] for c in data.list_all()]:
        raise SystemExit("the embedding cache was built from another clip list: rerun embed.py")
    return cache


def normalise(X, clips, by):
    """Per-group standardisation of the pooled states (``speaker`` or ``corpus``): the group's mean and
    standard deviation over its clips' clean rendition (its own unlabelled audio), applied to every rendition. Measured to see what
    state kept per caller (speaker) or per deployment (corpus) would buy; the SDK scores segments alone."""
    if by == "none":
        return X
    keys = np.array([c[by] for c in clips])
    out = X.clone()
    for k in np.unique(keys):
        m = torch.from_numpy(np.nonzero(keys == k)[0])
        g = X[m, 0]
        out[m] = (X[m] - g.mean(0)) / g.std(0).clamp(min=1e-4)
    return out


def with_prosody(X, cache, names, present):
    """X with the prosodic features ``names`` of each clip's rendition appended (cache/prosody.pt; a ``-int8``
    rendition is the same audio as its float one). Renditions the prosody cache lacks are withdrawn from
    ``present`` (training) and must not be tested."""
    if not names:
        return X, present
    p = torch.load(CACHE / "prosody.pt")
    if p["paths"] != [c["path"] for c in cache["clips"]]:
        raise SystemExit("the prosody cache was built from another clip list: rerun prosody_cache.py")
    unknown = sorted(set(names) - set(p["names"]))
    if unknown:
        raise SystemExit(f"unknown prosodic features {unknown}; known: {p['names']}")
    cols = [p["names"].index(n) for n in names]
    P = torch.zeros(X.shape[0], X.shape[1], len(cols))
    present = present.clone()
    for r, rend in enumerate(cache["renditions"]):
        base = rend.removesuffix("-int8")
        if base in p["renditions"]:
            P[:, r] = p["features"][:, p["renditions"].index(base)][:, cols]
        else:
            present[:, r] = False
    return torch.cat([X, P], -1), present


def ece(p, y, bins=10):
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        m = which == b
        if m.any():
            total += m.mean() * abs(p[m].mean() - y[m].mean())
    return float(total)


def f1(y, pred, cls):
    tp = int(((pred == cls) & (y == cls)).sum())
    fp = int(((pred == cls) & (y != cls)).sum())
    fn = int(((pred != cls) & (y == cls)).sum())
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def decisions(p, y):
    """The figures of negative probabilities ``p`` against labels ``y`` (0/1) at the default threshold, and ECE."""
    y = np.asarray(y)
    pred = (np.asarray(p) >= THRESHOLD).astype(int)
    return {"binary_macro_f1": (f1(y, pred, 0) + f1(y, pred, 1)) / 2, "negative_f1": f1(y, pred, 1),
            "flagged_not_negative": float(pred[y == 0].mean()), "recall_negative": float(pred[y == 1].mean()),
            "ece": ece(p, y)}


def softmax(e):
    e = e - e.max(1, keepdims=True)
    p = np.exp(e)
    return p / p.sum(1, keepdims=True)


def restricted_argmax(emo_logits, classes):
    """[n] the predicted emotion index: the arg-max of the logits among ``classes`` only."""
    restricted = np.full_like(emo_logits, -np.inf)
    restricted[:, classes] = emo_logits[:, classes]
    return restricted.argmax(1)


def metrics(clips, idx, p_neg, emo_logits, trained_emotions):
    """Metrics of one test set (clips ``idx``) from calibrated negative probabilities and emotion logits."""
    y = np.array([clips[i]["negative"] for i in idx])
    emo = np.array([data.EMOTIONS.index(clips[i]["emotion"]) for i in idx])
    present = sorted(set(emo.tolist()))
    usable = [c for c in present if data.EMOTIONS[c] in trained_emotions]
    keep = np.isin(emo, usable)
    emo_pred = restricted_argmax(emo_logits, usable)
    recalls = {data.EMOTIONS[c]: float((emo_pred[emo == c] == c).mean()) for c in usable}
    probs = softmax(emo_logits[:, usable])
    angry_sad = np.array([clips[i]["angry_sad"] for i in idx])
    as_cols = [k for k, c in enumerate(usable) if data.EMOTIONS[c] in data.ANGRY_SAD]
    conf = np.zeros((len(usable), len(usable)), dtype=int)
    for t, p_ in zip(emo[keep], emo_pred[keep]):
        conf[usable.index(t), usable.index(p_)] += 1
    out = {
        "clips": len(idx), "negative_share": float(y.mean()),
        "auc": float(roc_auc_score(y, p_neg)) if 0 < y.mean() < 1 else None,
        **decisions(p_neg, y), "mean_p_negative": float(p_neg.mean()),
        "emotion_classes": [data.EMOTIONS[c] for c in usable],
        "emotion_uar": float(np.mean(list(recalls.values()))), "emotion_recalls": recalls,
        "emotion_confusion": conf.tolist(),
        "untrained_classes_excluded": [data.EMOTIONS[c] for c in present if c not in usable],
        "angry_sad_auc_emotion_head": float(roc_auc_score(angry_sad, probs[:, as_cols].sum(1)))
        if as_cols and 0 < angry_sad.mean() < 1 else None,
        "angry_sad_auc_negative_head": float(roc_auc_score(angry_sad, p_neg)) if 0 < angry_sad.mean() < 1 else None,
    }
    return out


def calibrated(head, x):
    z, e = heads.predict(head, x)
    return 1 / (1 + np.exp(-z)), e


def train_renditions(cache, which):
    """[N, R] bool: the renditions training may draw from: ``all`` those in the cache (a rendition may be cached
    for some corpora only), or a comma-separated list (``clean``, ``clean,telephone,aug0``), each of which must be
    cached for every clip, so that every training corpus sees the same mix."""
    names = cache["renditions"]
    present = cache["present"].clone()
    for r, name in enumerate(names):
        if name.endswith("-int8"):
            present[:, r] = False  # test renditions only: training sees the float encoder's states
    if which == "all":
        return present
    wanted = which.split(",")
    missing = [r for r in wanted if r not in names or r.endswith("-int8") or not bool(present[:, names.index(r)].all())]
    if missing or "clean" not in wanted:
        raise SystemExit(f"--train-renditions {which}: needs clean, and every rendition cached for every clip "
                         f"(missing or partial: {missing}; cached: {names})")
    for r, name in enumerate(names):
        if name not in wanted:
            present[:, r] = False
    return present


def test_renditions(cache, idx):
    """The test renditions (clean, telephone, aug0) present for every clip of ``idx``, as (index, name)."""
    return [(r, name) for r, name in enumerate(cache["renditions"])
            if name in TEST_RENDITIONS and bool(cache["present"][idx, r].all())]


def pooled_logits(result, clips, exclude=()):
    """Uncalibrated out-of-corpus negative logits and labels of a LOCO result, every corpus but ``exclude``,
    every test rendition."""
    zs, ys = [], []
    for d, res in result.items():
        if d in exclude:
            continue
        y = [clips[i]["negative"] for i in res["test_index"]]
        for rend, pred in res["predictions"].items():
            if rend.endswith("-int8"):
                continue  # the float figures' calibration must not depend on whether int8 was measured
            zs.append(np.asarray(pred["z_uncalibrated"]))
            ys.append(np.asarray(y))
    return np.concatenate(zs), np.concatenate(ys)


def run_loco(cache, X, cfg, calibration, corpora, train_corpora, present):
    """Each corpus held out in turn; the head's calibration for held-out corpus C is fitted on the
    uncalibrated logits the other runs gave the other held-out corpora (each predicted by a head that never
    saw it): C's labels never reach C's predictions or its calibration."""
    clips = cache["clips"]
    result = {}
    for c in corpora:
        if c in train_corpora and len(train_corpora) == 1:
            continue  # the single training corpus cannot be left out
        t0 = time.time()
        train_idx = [i for i, x in enumerate(clips) if x["corpus"] != c and x["corpus"] in train_corpora]
        test_idx = [i for i, x in enumerate(clips) if x["corpus"] == c]
        head = heads.train_head(X, clips, train_idx, cfg, present)
        res = {"predictions": {}, "test_index": test_idx,
               "trained_emotions": sorted({clips[i]["emotion"] for i in train_idx})}
        for r, rend in test_renditions(cache, test_idx):
            z, e = heads.predict(head, X[test_idx, r])
            res["predictions"][rend] = {"z_uncalibrated": np.round(z, 5).tolist(), "emotion_logits": np.round(e, 4).tolist()}
        result[c] = res
        print(f"LOCO {c:8s} trained in {time.time() - t0:.0f} s", flush=True)
    for c, res in result.items():
        if calibration == "none" or len(result) < 2:
            t, b = 1.0, 0.0
        else:
            t, b = heads.fit_calibration(*pooled_logits(result, clips, exclude=(c,)), calibration)
        res["calibration"] = {"temperature": t, "bias": b}
        res["channels"] = {}
        for rend, pred in res["predictions"].items():
            z = np.asarray(pred["z_uncalibrated"])
            p = 1 / (1 + np.exp(-(z / t + b)))
            pred["p_negative"] = np.round(p, 5).tolist()
            res["channels"][rend] = metrics(clips, res["test_index"], p, np.asarray(pred["emotion_logits"]),
                                            set(res["trained_emotions"]))
        m = res["channels"]["clean"]
        others = "".join(f" | {rend} AUC {ch['auc']:.3f} flagged {ch['flagged_not_negative']:.3f}"
                         for rend, ch in res["channels"].items() if rend != "clean")
        print(f"LOCO {c:8s} AUC {m['auc']:.3f} macroF1 {m['binary_macro_f1']:.3f} negF1 {m['negative_f1']:.3f} "
              f"flagged {m['flagged_not_negative']:.3f} ECE {m['ece']:.3f} UAR {m['emotion_uar']:.3f} "
              f"({len(m['emotion_classes'])} cl){others} | T {t:.2f} b {b:.2f}", flush=True)
    return result


def speaker_folds(clips, corpus, max_folds=10):
    speakers = sorted({x["speaker"] for x in clips if x["corpus"] == corpus})
    k = min(max_folds, len(speakers))
    return [speakers[f::k] for f in range(k)]


def run_loso(cache, X, cfg, calibration, corpora, loco, train_corpora, present):
    """Speaker-disjoint folds inside each corpus; each fold's head is trained on every other corpus and the
    corpus's other speakers. Calibration: the corpus's own LOCO calibration (fitted without its labels)."""
    clips = cache["clips"]
    result = {}
    for c in corpora:
        if c not in train_corpora:
            continue
        t0 = time.time()
        if c in loco:
            t, b = loco[c]["calibration"]["temperature"], loco[c]["calibration"]["bias"]
        elif calibration != "none":  # a single training corpus has no LOCO run of its own: the others' logits
            t, b = heads.fit_calibration(*pooled_logits(loco, clips, exclude=(c,)), calibration)
        else:
            t, b = 1.0, 0.0
        folds = speaker_folds(clips, c)
        all_idx = [i for i, x in enumerate(clips) if x["corpus"] == c]
        rends = test_renditions(cache, all_idx)
        order, preds = [], {rend: ([], []) for _, rend in rends}
        for held in folds:
            train_idx = [i for i, x in enumerate(clips)
                         if x["corpus"] in train_corpora and not (x["corpus"] == c and x["speaker"] in held)]
            test_idx = [i for i, x in enumerate(clips) if x["corpus"] == c and x["speaker"] in held]
            head = heads.train_head(X, clips, train_idx, cfg, present)
            order += test_idx
            for r, rend in rends:
                z, e = heads.predict(head, X[test_idx, r])
                preds[rend][0].append(1 / (1 + np.exp(-(z / t + b))))
                preds[rend][1].append(e)
        trained = set(data.EMOTIONS)
        res = {"folds": folds, "calibration": {"temperature": t, "bias": b}, "channels": {}, "predictions": {},
               "test_index": order}
        for _, rend in rends:
            p, e = np.concatenate(preds[rend][0]), np.concatenate(preds[rend][1])
            res["channels"][rend] = metrics(clips, order, p, e, trained)
            res["predictions"][rend] = {"p_negative": np.round(p, 5).tolist(), "emotion_logits": np.round(e, 4).tolist()}
        result[c] = res
        m = res["channels"]["clean"]
        mt = res["channels"].get("telephone")
        print(f"LOSO {c:8s} ({len(folds)} folds) AUC {m['auc']:.3f} macroF1 {m['binary_macro_f1']:.3f} "
              f"flagged {m['flagged_not_negative']:.3f} ECE {m['ece']:.3f} UAR {m['emotion_uar']:.3f}"
              + (f" | tel macroF1 {mt['binary_macro_f1']:.3f} UAR {mt['emotion_uar']:.3f}" if mt else "")
              + f" {time.time() - t0:.0f} s", flush=True)
    return result


def final(cache, X, cfg, calibration, name, present, train_which):
    """The shipped head: trained on all eight corpora; calibrated on the out-of-corpus logits of the LOCO
    run of the same configuration (every corpus predicted by a head that never saw it)."""
    clips = cache["clips"]
    run = json.loads((RUNS / f"loco-{name}.json").read_text())
    if {**heads.HeadConfig().dict(), **run["config"]} != cfg.dict() or run["train_renditions"] != train_which:
        raise SystemExit(f"runs/loco-{name}.json was made with another configuration")
    loco = run["result"]
    if sorted(loco) != sorted(data.CORPUS_ORDER):
        raise SystemExit("the LOCO run must cover every corpus")
    t, b = heads.fit_calibration(*pooled_logits(loco, clips), calibration)
    head = heads.train_head(X, clips, list(range(len(clips))), cfg, present)
    head.temperature.fill_(t)
    head.bias.fill_(b)
    torch.save({"config": cfg.dict(), "calibration": {"mode": calibration, "temperature": t, "bias": b},
                "state_dict": head.state_dict(), "train_renditions": train_which}, RUNS / f"final-{name}.pt")
    print(f"wrote runs/final-{name}.pt (temperature {t:.3f}, bias {b:.3f})")


def summary(result):
    rows = {}
    for c, res in result.items():
        rows[c] = {ch: {k: v for k, v in m.items() if k not in ("emotion_confusion",)} for ch, m in res["channels"].items()}
    return rows


def prosody_names(option):
    if option != "all":
        return [n for n in option.split(",") if n]
    import prosody_cache
    return [n for n in prosody_cache.prosody.NAMES if n != "duration_s"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["loco", "loso", "final"])
    ap.add_argument("--name", required=True)
    ap.add_argument("--depths", default="2")
    ap.add_argument("--stats", default="mean,std", help="pooled statistics: mean, std or mean,std")
    ap.add_argument("--hidden", type=int, default=0)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--input-dropout", type=float, default=0.0)
    ap.add_argument("--unit-norm", action="store_true", help="scale each pooled 384-vector to unit length")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-2)
    ap.add_argument("--emotion-weight", type=float, default=1.0)
    ap.add_argument("--calibration", default="temperature", choices=["none", "temperature", "platt"])
    ap.add_argument("--corpora", default=",".join(data.CORPUS_ORDER))
    ap.add_argument("--norm", default="none", choices=["none", "speaker", "corpus"])
    ap.add_argument("--train-corpora", default=",".join(data.CORPUS_ORDER),
                    help="train only on these (e.g. emodb: the permissively licensed variant)")
    ap.add_argument("--train-renditions", default="all",
                    help="renditions training draws from: all in the cache (some may be partial), or a comma-separated "
                         "list each cached for every clip (clean; clean,telephone,aug0)")
    ap.add_argument("--seed", type=int, default=heads.HeadConfig().seed, help="initialisation and sampling seed")
    ap.add_argument("--balance", default="weights", choices=["weights", "sampling"],
                    help="corpora and classes balanced by loss weights (every clip once per epoch) or by sampling")
    ap.add_argument("--adversary", type=float, default=0.0,
                    help="weight of the corpus-adversarial loss through gradient reversal (0 = off; needs --hidden)")
    ap.add_argument("--members", type=int, default=1,
                    help="heads in an ensemble (seeds --seed, --seed + 1, ...; logits averaged, then calibrated)")
    ap.add_argument("--prosody", default="",
                    help="prosodic features appended to the states (prosody_cache.py): comma-separated names, or "
                         "'all' (every one but duration_s)")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    cfg = heads.HeadConfig(depths=[int(d) for d in args.depths.split(",")],
                           stats=[["mean", "std"].index(x) for x in args.stats.split(",")], hidden=args.hidden, dropout=args.dropout,
                           input_dropout=args.input_dropout, epochs=args.epochs, lr=args.lr,
                           weight_decay=args.weight_decay, emotion_weight=args.emotion_weight,
                           unit_norm=args.unit_norm, seed=args.seed, balance=args.balance,
                           adversary=args.adversary, members=args.members, prosody=prosody_names(args.prosody))
    cache = load_cache()
    present = train_renditions(cache, args.train_renditions)
    X = normalise(heads.features(cache["emb"], cfg.depths, cfg.stats), cache["clips"], args.norm)
    X, present = with_prosody(X, cache, cfg.prosody, present)
    corpora = args.corpora.split(",")
    train_corpora = args.train_corpora.split(",")
    RUNS.mkdir(exist_ok=True)
    t0 = time.time()
    if args.mode == "final":
        if args.norm != "none" or sorted(train_corpora) != sorted(data.CORPUS_ORDER) or cfg.prosody:
            raise SystemExit("the shipped model is trained on all eight corpora, on the states alone, without group "
                             "normalisation")
        final(cache, X, cfg, args.calibration, args.name, present, args.train_renditions)
        return
    if args.mode == "loco":
        result = run_loco(cache, X, cfg, args.calibration, corpora, train_corpora, present)
    else:
        loco = json.loads((RUNS / f"loco-{args.name}.json").read_text())["result"]
        result = run_loso(cache, X, cfg, args.calibration, corpora, loco, train_corpora, present)
    path = RUNS / f"{args.mode}-{args.name}.json"
    if args.mode == "loso" and path.exists():
        # LOSO runs may be split by --corpora over several processes: each adds its corpora to the file
        earlier = json.loads(path.read_text())
        if {**heads.HeadConfig().dict(), **earlier["config"]} != cfg.dict() or earlier["train_renditions"] != args.train_renditions:
            raise SystemExit(f"{path} was made with another configuration")
        result = {**{c: r for c, r in earlier["result"].items() if c not in result}, **result}
    out = {"mode": args.mode, "name": args.name, "config": cfg.dict(), "calibration": args.calibration, "norm": args.norm,
           "train_corpora": train_corpora,
           "train_renditions": args.train_renditions,
           "seconds": time.time() - t0, "threshold": THRESHOLD, "summary": summary(result), "result": result}
    path.write_text(json.dumps(out) + "\n")
    print(f"wrote runs/{args.mode}-{args.name}.json in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
