"""Builds the embedding cache: for every clip of the eight corpora and every rendition (clean, the
evaluation telephone channel, N seeded random hotline augmentations) the Whisper tiny.en encoder's
residual stream pooled over the valid frames (mean and standard deviation) at every depth.

    nice -n 10 /usr/bin/python3 recipes/train-whisper/embed.py --shard 0/2 &   # one process per core
    nice -n 10 /usr/bin/python3 recipes/train-whisper/embed.py --shard 1/2
    nice -n 10 /usr/bin/python3 recipes/train-whisper/embed.py --merge

Each clip is loaded at full scale, resampled to 16 kHz, trimmed of leading/trailing silence
(data.trim_silence: what a VAD hands the model), rendered, turned into Tingxin's ``whisper-logmel`` features
exactly as the Java extractor computes them for one segment (80 bins, no 30 s padding, the clip's own
maximum for the 8-unit floor, L / 160 frames), and run through the encoder at its own length (positional
embedding sliced to it). Depths: 0 = after the convolutions and positional embedding, 1-4 = after each
block, 5 = block 4 through ``ln_post`` (the encoder's output). Stored as float16 [clips, renditions, 6, 2, 384].
Deterministic: rendition k of clip i uses seed 7919 * i + k.
"""
import argparse
import os
import sys
import time
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "export"))
import tingxin_export as tx  # noqa: E402
import augment  # noqa: E402
import data  # noqa: E402

CACHE = Path(os.environ.get("TINGXIN_WHISPER_CACHE", str(HERE / "cache")))
WHISPER = {"n_mels": 80, "n_fft": 400, "hop_length": 160, "pad_to_seconds": 0}


def renditions(n_aug):
    return ["clean", "telephone"] + [f"aug{k}" for k in range(n_aug)]


def render(wav, name, seed):
    if name == "clean":
        return wav
    if name == "telephone":
        return augment.telephone(wav)
    return augment.random_augment(wav, seed)


def logmel(wav):
    """[80, frames] Tingxin whisper-logmel of one segment."""
    return tx.whisper_logmel_features(wav, sample_rate=data.SAMPLE_RATE, **WHISPER).T.contiguous()


@torch.no_grad()
def pooled_states(enc, mel):
    """[6, 2, 384]: mean and std over the valid frames of the residual stream at each depth."""
    lengths = torch.tensor([mel.shape[1]])
    states, _ = enc.layer_states(mel[None], lengths)
    states = states + [enc.ln_post(states[-1])]
    out = torch.empty(len(states), 2, states[0].shape[2])
    for d, s in enumerate(states):
        out[d, 0] = s[0].mean(0)
        out[d, 1] = s[0].std(0, unbiased=False)
    return out


def load_encoder():
    return tx.whisper_backbone(checkpoint=str(CACHE / "whisper-tiny-en-encoder.pt")).eval()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shard", default="0/1", help="i/n: this process takes clips i, i+n, ...")
    ap.add_argument("--augment", type=int, default=1, help="random augmented renditions per clip")
    ap.add_argument("--limit", type=int, default=0, help="only the first clips of the shard (timing)")
    ap.add_argument("--merge", action="store_true", help="join the shards into cache/embeddings.pt")
    args = ap.parse_args()
    clips = data.list_all()
    names = renditions(args.augment)
    if args.merge:
        n = len(list(CACHE.glob("embeddings-*of*.pt")))
        parts = [torch.load(CACHE / f"embeddings-{i}of{n}.pt") for i in range(n)]
        emb = torch.empty(len(clips), len(names), 6, 2, 384, dtype=torch.float16)
        seconds = torch.empty(len(clips))
        for p in parts:
            if p["renditions"] != names or p["n_clips"] != len(clips):
                raise SystemExit("shards were made with other settings")
            emb[p["index"]] = p["emb"]
            seconds[p["index"]] = p["seconds"]
        done = torch.zeros(len(clips), dtype=torch.bool)
        for p in parts:
            done[p["index"]] = True
        if not bool(done.all()):
            raise SystemExit(f"{int((~done).sum())} clips missing from the shards")
        torch.save({"clips": clips, "renditions": names, "emb": emb, "seconds": seconds, "whisper": WHISPER},
                   CACHE / "embeddings.pt")
        print(f"wrote {CACHE / 'embeddings.pt'}: {tuple(emb.shape)}")
        return
    torch.set_num_threads(1)
    i, n = map(int, args.shard.split("/"))
    index = list(range(i, len(clips), n))
    if args.limit:
        index = index[: args.limit]
    enc = load_encoder()
    emb = torch.empty(len(index), len(names), 6, 2, 384, dtype=torch.float16)
    seconds = torch.empty(len(index))
    t0 = time.time()
    for j, ci in enumerate(index):
        wav = data.trim_silence(data.load_16k(clips[ci]["path"]))
        seconds[j] = wav.shape[0] / data.SAMPLE_RATE
        for k, r in enumerate(names):
            emb[j, k] = pooled_states(enc, logmel(render(wav, r, 7919 * ci + k))).to(torch.float16)
        if j % 200 == 0:
            print(f"shard {args.shard}: {j}/{len(index)} clips, {time.time() - t0:.0f} s", flush=True)
    out = CACHE / (f"embeddings-{i}of{n}.pt" if not args.limit else f"timing-{i}of{n}.pt")
    torch.save({"index": torch.tensor(index), "renditions": names, "n_clips": len(clips), "emb": emb,
                "seconds": seconds}, out)
    print(f"shard {args.shard}: {len(index)} clips in {time.time() - t0:.0f} s -> {out}")


if __name__ == "__main__":
    main()
