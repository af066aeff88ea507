"""Partial fine-tuning of the encoder, measured against the frozen encoder (issue 14 asks for "frozen or
partly tuned, your measured choice").

Method: LP-FT (Kumar et al. 2022, "Fine-tuning can distort pretrained features and underperform
out-of-distribution"): for a held-out corpus, the shipped configuration's head is first trained on the frozen
encoder's pooled states, exactly as ``evaluate.py loco`` trains it (same seed, same data: the "LP" head); then
Whisper block 2, the last block the 1.2.0 graph runs, and that head are tuned together at a small learning
rate on the same training corpora and renditions (the "FT" model). Starting from a trained head keeps the
first gradients from distorting the pretrained block, which is what hurts out-of-distribution accuracy when
a randomly initialised head is tuned with the encoder. Block 1 and everything below stay frozen, so the
residual stream after block 1 is computed once per clip and rendition and cached (``frames``); tuning then
runs only block 2 and the head.

    # 1. block 1's output for every clip, clean / aug0 / telephone (about 2.5 GB float16; one process per core)
    nice -n 10 /usr/bin/python3 recipes/train-whisper/finetune.py frames --shard 0/2 &
    nice -n 10 /usr/bin/python3 recipes/train-whisper/finetune.py frames --shard 1/2
    # 2. LP against LP-FT for some held-out corpora (writes runs/finetune-NAME.json)
    nice -n 10 /usr/bin/python3 recipes/train-whisper/finetune.py loco --held casia,emodb,turev --name b2

The frames are the same renditions ``embed.py`` pools (same trimming, features and seeds), so their pooled
statistics at depths 1 and 2 must equal the embedding cache's: ``frames`` checks that for every chunk it writes.
AUC only: a held-out corpus's calibration needs every other corpus's held-out logits (``evaluate.py``), and
the comparison reads AUC, as the selection rules of 1.1.0 and 1.2.0 do.
"""
import argparse
import copy
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import roc_auc_score

import data
import embed
import evaluate
import heads
import model
from embed import CACHE

HERE = Path(__file__).resolve().parent
RUNS = HERE / "runs"
FRAMES = CACHE / "frames"
RENDITIONS = ["clean", "aug0", "telephone"]
TUNED_BLOCK = 1  # index into encoder.blocks: Whisper's block 2 (depth 2 = the residual stream after it)
# The shipped head (train.sh's HEAD): depths 1, 2, mean and std, 256-unit MLP, clean + aug0.
SHIPPED = dict(depths=[1, 2], hidden=256, dropout=0.3)


def frames_path(rendition, corpus):
    return FRAMES / f"{rendition}-{corpus}.pt"


@torch.no_grad()
def block1_states(enc, mel):
    """[frames, 384]: the residual stream after Whisper block 1 (depth 1) of one segment."""
    states, _ = enc.layer_states(mel[None], torch.tensor([mel.shape[1]]), n_blocks=TUNED_BLOCK)
    return states[-1][0]


def pooled(x, valid):
    """x [B, T, C], valid [B, T] bool (a prefix of each row) -> [B, 2, C]: the shipped graph's pooling."""
    return model.masked_mean_std(x, valid.sum(1))


def make_frames(shard):
    torch.set_num_threads(1)
    enc = embed.load_encoder()
    clips = data.list_all()
    cache = evaluate.load_cache()
    FRAMES.mkdir(parents=True, exist_ok=True)
    names = embed.renditions(1)
    sizes = {c: sum(x["corpus"] == c for x in clips) for c in data.CORPUS_ORDER}
    t0 = time.time()
    for r in RENDITIONS:
        for c in sorted(data.CORPUS_ORDER, key=lambda c: -sizes[c]):
            out = frames_path(r, c)
            if out.exists() or not embed.claim(out):
                continue
            k = names.index(r)
            index = [j for j, x in enumerate(clips) if x["corpus"] == c]
            parts, lengths = [], []
            for ci in index:
                wav = data.trim_silence(data.load_16k(clips[ci]["path"]))
                s = block1_states(enc, embed.logmel(embed.render(wav, r, 7919 * ci + k)))
                parts.append(s.to(torch.float16))
                lengths.append(s.shape[0])
            frames = torch.cat(parts)
            lengths = torch.tensor(lengths)
            check_against_cache(enc, cache, r, index, frames, lengths)
            torch.save({"paths": [clips[j]["path"] for j in index], "frames": frames, "lengths": lengths},
                       out.with_suffix(".part"))
            out.with_suffix(".part").rename(out)
            out.with_suffix(".claim").unlink()
            print(f"shard {shard}: {r} {c} ({len(index)} clips, {frames.shape[0]} frames) done at "
                  f"{time.time() - t0:.0f} s", flush=True)


@torch.no_grad()
def check_against_cache(enc, cache, rendition, index, frames, lengths):
    """The cached frames, pooled at depth 1 and run through the frozen block 2 and pooled at depth 2, must
    give the embedding cache's pooled states (both float16 copies of the same float32 computation)."""
    r = cache["renditions"].index(rendition)
    starts = torch.cumsum(lengths, 0) - lengths
    worst = 0.0
    for j in range(0, len(index), max(1, len(index) // 25)):  # every 25th clip or so: the check is a forward pass
        x = frames[starts[j]: starts[j] + lengths[j]].float()[None]
        valid = torch.ones(1, x.shape[1], dtype=torch.bool)
        got = torch.stack([pooled(x, valid)[0], pooled(enc.blocks[TUNED_BLOCK](x, valid), valid)[0]])
        want = cache["emb"][index[j], r, 1:3].float()
        worst = max(worst, float(((got - want).abs() / (want.abs() + 0.05)).max()))
    if worst > 0.02:
        raise SystemExit(f"{rendition}: cached frames disagree with embeddings.pt (worst relative {worst:.4f}): "
                         f"they were not made from the same clips, renditions or encoder")


def load_frames(corpora, renditions):
    """{rendition: (frames [sum T, 384] float16, starts [N], lengths [N])} over all clips; clips of other corpora
    have length 0."""
    clips = data.list_all()
    out = {}
    for r in renditions:
        n = len(clips)
        lengths = torch.zeros(n, dtype=torch.long)
        starts = torch.zeros(n, dtype=torch.long)
        chunks, offset = [], 0
        for c in corpora:
            part = torch.load(frames_path(r, c))
            index = [i for i, x in enumerate(clips) if x["corpus"] == c]
            if part["paths"] != [clips[i]["path"] for i in index]:
                raise SystemExit(f"{frames_path(r, c)} was made from another clip list")
            lengths[index] = part["lengths"]
            starts[index] = offset + torch.cumsum(part["lengths"], 0) - part["lengths"]
            offset += part["frames"].shape[0]
            chunks.append(part["frames"])
        out[r] = (torch.cat(chunks), starts, lengths)
    return out


def batch_of(frames, items):
    """items: [(rendition, clip)] -> x [B, T, 384] float32 (zero padded), valid [B, T]."""
    lens = [int(frames[r][2][i]) for r, i in items]
    x = torch.zeros(len(items), max(lens), 384)
    valid = torch.zeros(len(items), max(lens), dtype=torch.bool)
    for b, ((r, i), n) in enumerate(zip(items, lens)):
        s = int(frames[r][1][i])
        x[b, :n] = frames[r][0][s: s + n].float()
        valid[b, :n] = True
    return x, valid


def features(block, x, valid):
    """The head's input from block 1's output: pooled depth 1 and depth 2 (after ``block``), [B, 4 * 384] in
    heads.features' order (depth 1 mean, std, depth 2 mean, std)."""
    return torch.cat([pooled(x, valid), pooled(block(x, valid), valid)], 1).flatten(1)


class Tuned(torch.nn.Module):
    def __init__(self, block, head):
        super().__init__()
        self.block, self.head = block, head

    def forward(self, x, valid):
        return self.head(features(self.block, x, valid))


def length_batches(lengths, order, size, rng):
    """``order`` cut into batches of ``size`` clips of similar length (sorted inside windows of 50 batches),
    in random order: little padding, still shuffled."""
    out = []
    window = 50 * size
    for s in range(0, len(order), window):
        w = order[s: s + window]
        w = w[np.argsort(lengths[w], kind="stable")]
        out += [w[k: k + size] for k in range(0, len(w), size)]
    rng.shuffle(out)
    return out


def fine_tune(model, frames, clips, idx, present_names, args):
    """LP-FT's second stage: block and head together, AdamW, linear warm-up then cosine decay; every clip once
    per epoch in one rendition drawn among ``present_names``; the loss heads.py trains the head with."""
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    idx = np.asarray(idx)
    y_neg = torch.tensor([clips[i]["negative"] for i in idx], dtype=torch.float32)
    y_emo = torch.tensor([data.EMOTIONS.index(clips[i]["emotion"]) for i in idx])
    wb, we = heads.loss_weights(clips, idx)
    mask = heads.class_masks(clips, idx)
    lengths = frames["clean"][2][idx].numpy()
    groups = [{"params": model.block.parameters(), "lr": args.lr_block},
              {"params": [p for n, p in model.head.named_parameters()], "lr": args.lr_head}]
    opt = torch.optim.AdamW(groups, weight_decay=args.weight_decay)
    per_epoch = math.ceil(len(idx) / args.batch)
    total = args.epochs * per_epoch
    warm = max(1, int(0.06 * total))
    base = [g["lr"] for g in opt.param_groups]
    model.train()
    step, t0, running = 0, time.time(), []
    for epoch in range(args.epochs):
        pick = rng.integers(0, len(present_names), size=len(idx))
        for b in length_batches(lengths, rng.permutation(len(idx)), args.batch, rng):
            scale = (step + 1) / warm if step < warm else 0.5 * (1 + math.cos(math.pi * (step - warm) / (total - warm)))
            for g, lr in zip(opt.param_groups, base):
                g["lr"] = lr * scale
            x, valid = batch_of(frames, [(present_names[pick[k]], idx[k]) for k in b])
            z, e = model(x, valid)
            bt = torch.from_numpy(b)
            loss = heads.head_loss(z, e, y_neg[bt], y_emo[bt], wb[bt], we[bt], mask[bt])
            opt.zero_grad()
            loss.backward()
            opt.step()
            running.append(float(loss))
            step += 1
            if step % 100 == 0:
                print(f"  step {step}/{total} loss {np.mean(running[-100:]):.4f} ({time.time() - t0:.0f} s)", flush=True)
    return model.eval()


@torch.no_grad()
def predict(model, frames, rendition, idx, batch=64):
    lengths = frames[rendition][2][idx].numpy()
    order = np.argsort(lengths, kind="stable")
    z = np.empty(len(idx))
    for s in range(0, len(idx), batch):
        k = order[s: s + batch]
        x, valid = batch_of(frames, [(rendition, idx[j]) for j in k])
        z[k] = model(x, valid)[0].numpy()
    return z


def auc(clips, idx, z):
    return float(roc_auc_score([clips[i]["negative"] for i in idx], z))


def run(args):
    torch.set_num_threads(args.threads)
    cache = evaluate.load_cache()
    clips = cache["clips"]
    cfg = heads.HeadConfig(**SHIPPED, seed=args.seed)
    present = evaluate.train_renditions(cache, "clean,aug0")
    X = heads.features(cache["emb"], cfg.depths, cfg.stats)
    enc = embed.load_encoder()
    frames = load_frames(data.CORPUS_ORDER, RENDITIONS)
    out_path = RUNS / f"finetune-{args.name}.json"
    result = json.loads(out_path.read_text())["result"] if out_path.exists() else {}
    for held in args.held.split(","):
        t0 = time.time()
        train_idx = [i for i, x in enumerate(clips) if x["corpus"] != held]
        test_idx = [i for i, x in enumerate(clips) if x["corpus"] == held]
        lp = heads.train_head(X, clips, train_idx, cfg, present)
        row = {"lp": {}, "lp_frames": {}, "ft": {}}
        for rend in RENDITIONS:
            r = cache["renditions"].index(rend)
            row["lp"][rend] = auc(clips, test_idx, heads.predict(lp, X[test_idx, r])[0])
        model = Tuned(copy.deepcopy(enc.blocks[TUNED_BLOCK]), copy.deepcopy(lp))
        for rend in RENDITIONS:  # the LP head through the frames path: what FT starts from
            row["lp_frames"][rend] = auc(clips, test_idx, predict(model.eval(), frames, rend, test_idx))
        print(f"{held}: LP AUC " + " ".join(f"{k} {v:.3f}" for k, v in row["lp"].items())
              + " | via frames " + " ".join(f"{k} {v:.3f}" for k, v in row["lp_frames"].items()), flush=True)
        fine_tune(model, frames, clips, train_idx, ["clean", "aug0"], args)
        for rend in RENDITIONS:
            row["ft"][rend] = auc(clips, test_idx, predict(model, frames, rend, test_idx))
        row["seconds"] = time.time() - t0
        print(f"{held}: FT AUC " + " ".join(f"{k} {v:.3f}" for k, v in row["ft"].items())
              + f" ({row['seconds']:.0f} s)", flush=True)
        result[held] = row
        out_path.write_text(json.dumps({"name": args.name, "config": {k: v for k, v in vars(args).items()
                                                                      if k not in ("mode", "held", "shard")},
                                        "head": cfg.dict(), "result": result}, indent=1) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["frames", "loco"])
    ap.add_argument("--shard", default="0/1")
    ap.add_argument("--held", default="casia,emodb,turev")
    ap.add_argument("--name", default="b2")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr-block", type=float, default=3e-5)
    ap.add_argument("--lr-head", type=float, default=1e-4)
    ap.add_argument("--weight-decay", type=float, default=1e-2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seed", type=int, default=heads.HeadConfig().seed)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    if args.mode == "frames":
        make_frames(args.shard)
    else:
        run(args)


if __name__ == "__main__":
    main()
