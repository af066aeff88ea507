"""Leave-one-speaker-out evaluation and final training of the default model.

    # LOSO over the 10 EmoDB speakers (never a random split), clean and telephone test channel:
    nice -n 10 /usr/bin/python3 recipes/train-default/train.py loso --arch cnn
    nice -n 10 /usr/bin/python3 recipes/train-default/train.py loso --arch prosody
    # Final model on all 10 speakers with the chosen configuration (cnn-long, see MODEL_CARD.md):
    nice -n 10 /usr/bin/python3 recipes/train-default/train.py final --arch cnn-long

Needs the cache from features.py. Seeded: same command, same numbers (CPU, torch 1.13, TRAIN_THREADS threads, default 1).
Writes runs/loso-<arch>.json (metrics, confusion matrices, per-clip probabilities) or runs/final-<arch>.pt.
"""
import argparse
import json
import time

import numpy as np
import torch
from torch import nn

import common
import models
import prosody

HP = {
    "cnn": {"channels": 64, "hidden": 64, "dropout": 0.3, "dilations": [1, 2, 3], "time_pool": 2, "epochs": 30,
            "lr": 3e-3, "weight_decay": 1e-3, "batch": 32},
    # The same CNN trained 50 % longer.
    "cnn-long": {"channels": 64, "hidden": 64, "dropout": 0.3, "dilations": [1, 2, 3], "time_pool": 2, "epochs": 45,
                 "lr": 3e-3, "weight_decay": 1e-3, "batch": 32},
    # The same CNN with SpecAugment-style masking of fbank bands and frames during training.
    "cnn-sa": {"channels": 64, "hidden": 64, "dropout": 0.3, "dilations": [1, 2, 3], "time_pool": 2, "epochs": 30,
               "lr": 3e-3, "weight_decay": 1e-3, "batch": 32,
               "specaug": {"freq_masks": 2, "freq_width": 8, "time_masks": 2, "time_width": 10}},
    "stats": {"channels": 64, "hidden": 64, "dropout": 0.3, "dilations": [], "epochs": 60, "lr": 3e-3,
              "weight_decay": 1e-3, "batch": 32},
    "prosody": {"hidden": 64, "dropout": 0.3, "epochs": 200, "lr": 3e-3, "weight_decay": 1e-3, "batch": 64},
}
SEED = 20240607
THREADS = int(__import__("os").environ.get("TRAIN_THREADS", "1"))  # the published figures used 1


def load_cache():
    cache = torch.load(common.CACHE / "features.pt")
    # One padded tensor per rendition, built once: batches are then plain indexing.
    t_max = max(m.shape[0] for mats in cache["fbank"].values() for m in mats)
    cache["padded"] = {v: pad_batch(m, t_max) for v, m in cache["fbank"].items()}
    return cache


def class_weights(y, n):
    counts = np.bincount(y, minlength=n).astype(np.float64)
    w = counts.sum() / (n * np.maximum(counts, 1))
    return torch.tensor(w, dtype=torch.float32)


def pad_batch(mats, t_max=0):
    lengths = torch.tensor([m.shape[0] for m in mats], dtype=torch.int64)
    out = torch.zeros(len(mats), max(t_max, int(lengths.max())), mats[0].shape[1])
    for i, m in enumerate(mats):
        out[i, : m.shape[0]] = m
    return out, lengths


def gather(cache, variant_names, clip_idx):
    """Padded features of clip_idx[i] in rendition variant_names[i], cut to the longest valid length."""
    lengths = torch.stack([cache["padded"][v][1][i] for v, i in zip(variant_names, clip_idx)])
    t = int(lengths.max())
    x = torch.stack([cache["padded"][v][0][i, :t] for v, i in zip(variant_names, clip_idx)])
    return x, lengths


def spec_augment(x, lengths, sa, gen):
    """Masks random fbank bands and frame spans of each item with the item's per-bin mean (which the model's
    utterance normalisation maps to zero)."""
    x = x.clone()
    for i in range(x.shape[0]):
        n = int(lengths[i])
        mean = x[i, :n].mean(0)
        for _ in range(sa["freq_masks"]):
            w = int(gen.integers(0, sa["freq_width"] + 1))
            f0 = int(gen.integers(0, x.shape[2] - w + 1))
            x[i, :n, f0:f0 + w] = mean[f0:f0 + w]
        for _ in range(sa["time_masks"]):
            w = int(gen.integers(0, sa["time_width"] + 1))
            t0 = int(gen.integers(0, max(1, n - w + 1)))
            x[i, t0:min(n, t0 + w)] = mean
    return x


def build(arch, hp, n_prosody=None):
    if arch == "prosody":
        return models.ProsodyNet(n_prosody, hp["hidden"], hp["dropout"])
    return models.FbankNet(64, hp["channels"], hp["hidden"], hp["dropout"], tuple(hp["dilations"]),
                           time_pool=hp.get("time_pool", 1))


def train_model(arch, cache, train_idx, seed, log_prefix=""):
    """Trains on clips train_idx; each epoch visits every clip once in a randomly chosen rendition."""
    hp = HP[arch]
    common.seed_everything(seed)
    gen = np.random.default_rng(seed)
    clips = cache["clips"]
    variants = cache["variants"]
    y_emo = np.array([clips[i]["emotion"] for i in train_idx])
    y_neg = np.array([clips[i]["negative"] for i in train_idx])
    w_emo, w_neg = class_weights(y_emo, 7), class_weights(y_neg, 2)
    ce_emo, ce_neg = nn.CrossEntropyLoss(weight=w_emo), nn.CrossEntropyLoss(weight=w_neg)
    norm = None
    if arch == "prosody":
        allx = torch.cat([cache["prosody"][v][train_idx] for v in variants])
        norm = (allx.mean(0), allx.std(0).clamp(min=1e-6))
    model = build(arch, hp, len(cache["prosody_names"]))
    opt = torch.optim.AdamW(model.parameters(), lr=hp["lr"], weight_decay=hp["weight_decay"])
    steps_per_epoch = int(np.ceil(len(train_idx) / hp["batch"]))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=hp["lr"], total_steps=hp["epochs"] * steps_per_epoch,
                                                pct_start=0.2)
    t0 = time.time()
    for epoch in range(hp["epochs"]):
        model.train()
        order = gen.permutation(len(train_idx))
        rend = gen.integers(0, len(variants), size=len(train_idx))
        total = 0.0
        for s in range(0, len(order), hp["batch"]):
            b = order[s: s + hp["batch"]]
            ye = torch.from_numpy(y_emo[b])
            yn = torch.from_numpy(y_neg[b])
            if arch == "prosody":
                x = torch.stack([cache["prosody"][variants[rend[j]]][train_idx[j]] for j in b])
                out_n, out_e = model((x - norm[0]) / norm[1])
            else:
                x, lengths = gather(cache, [variants[rend[j]] for j in b], train_idx[b])
                if "specaug" in hp:
                    x = spec_augment(x, lengths, hp["specaug"], gen)
                out_n, out_e = model(x, lengths)
            loss = ce_emo(out_e, ye) + ce_neg(out_n, yn)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * len(b)
        if epoch % 10 == 9 or epoch == hp["epochs"] - 1:
            print(f"{log_prefix}epoch {epoch + 1}/{hp['epochs']} loss {total / len(order):.3f}"
                  f" ({time.time() - t0:.0f} s)", flush=True)
    model.eval()
    return model, norm


@torch.no_grad()
def predict(arch, model, norm, cache, idx, variant):
    if arch == "prosody":
        x = cache["prosody"][variant][idx]
        out_n, out_e = model((x - norm[0]) / norm[1])
    else:
        x, lengths = gather(cache, [variant] * len(idx), idx)
        out_n, out_e = model(x, lengths)
    return torch.softmax(out_n.double(), 1).numpy(), torch.softmax(out_e.double(), 1).numpy()


def metrics(clips, idx, p_neg, p_emo):
    yn = np.array([clips[i]["negative"] for i in idx])
    ye = np.array([clips[i]["emotion"] for i in idx])
    pn, pe = p_neg.argmax(1), p_emo.argmax(1)
    f1n = common.f1_per_class(yn, pn, 2)
    not_bored = ye != 1
    f1n_nb = common.f1_per_class(yn[not_bored], pn[not_bored], 2)
    return {
        "binary_macro_f1": float(np.mean(f1n)), "negative_f1": f1n[1],
        "binary_accuracy": float((yn == pn).mean()),
        "binary_macro_f1_without_boredom_clips": float(np.mean(f1n_nb)),
        "emotion_uar": common.uar(ye, pe, 7), "emotion_accuracy": float((ye == pe).mean()),
        "binary_confusion": common.confusion(yn, pn, 2).tolist(),
        "emotion_confusion": common.confusion(ye, pe, 7).tolist(),
    }


def loso(arch):
    torch.set_num_threads(THREADS)
    cache = load_cache()
    clips = cache["clips"]
    preds = {ch: {"neg": np.zeros((len(clips), 2)), "emo": np.zeros((len(clips), 7))}
             for ch in ["clean", "telephone"]}
    per_fold = {}
    t0 = time.time()
    for k, spk in enumerate(common.SPEAKERS):
        test = np.array([i for i, c in enumerate(clips) if c["speaker"] == spk])
        train = np.array([i for i, c in enumerate(clips) if c["speaker"] != spk])
        model, norm = train_model(arch, cache, train, SEED + k, log_prefix=f"[{arch} fold {spk}] ")
        per_fold[spk] = {}
        for ch in preds:
            pn, pe = predict(arch, model, norm, cache, test, ch)
            preds[ch]["neg"][test], preds[ch]["emo"][test] = pn, pe
            per_fold[spk][ch] = {k2: v for k2, v in metrics(clips, test, pn, pe).items()
                                 if not k2.endswith("confusion")}
        print(f"[{arch} fold {spk}] clean UAR {per_fold[spk]['clean']['emotion_uar']:.3f}"
              f" bin-F1 {per_fold[spk]['clean']['binary_macro_f1']:.3f}; telephone UAR"
              f" {per_fold[spk]['telephone']['emotion_uar']:.3f} bin-F1"
              f" {per_fold[spk]['telephone']['binary_macro_f1']:.3f} ({time.time() - t0:.0f} s)", flush=True)
    all_idx = np.arange(len(clips))
    result = {"arch": arch, "hyper_parameters": HP[arch], "seed": SEED, "split": "leave-one-speaker-out, 10 folds",
              "command": f"nice -n 10 /usr/bin/python3 recipes/train-default/train.py loso --arch {arch}",
              "pooled": {ch: metrics(clips, all_idx, preds[ch]["neg"], preds[ch]["emo"]) for ch in preds},
              "per_fold": per_fold, "seconds": time.time() - t0,
              "predictions": {ch: {"names": [c["name"] for c in clips], "negative": preds[ch]["neg"].round(5).tolist(),
                                   "emotion": preds[ch]["emo"].round(5).tolist()} for ch in preds}}
    for ch in preds:
        m = result["pooled"][ch]
        result[ch + "_fold_mean"] = {k2: float(np.mean([per_fold[s][ch][k2] for s in per_fold]))
                                     for k2 in ["binary_macro_f1", "negative_f1", "emotion_uar"]}
        print(f"{arch} LOSO pooled {ch}: binary macro-F1 {m['binary_macro_f1']:.3f}, negative F1 {m['negative_f1']:.3f},"
              f" 7-class UAR {m['emotion_uar']:.3f}")
    out = common.HERE / "runs" / f"loso-{arch}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    print("wrote", out)


def final(arch):
    torch.set_num_threads(THREADS)
    cache = load_cache()
    clips = cache["clips"]
    model, norm = train_model(arch, cache, np.arange(len(clips)), SEED + 100, log_prefix=f"[{arch} final] ")
    out = common.HERE / "runs" / f"final-{arch}.pt"
    torch.save({"arch": arch, "hp": HP[arch], "state_dict": model.state_dict(), "norm": norm,
                "seconds": cache["seconds"]}, out)
    print("wrote", out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["loso", "final"])
    ap.add_argument("--arch", choices=list(HP), required=True)
    args = ap.parse_args()
    (loso if args.mode == "loso" else final)(args.arch)


if __name__ == "__main__":
    main()
