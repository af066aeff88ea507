"""Builds the prosody cache: for every clip of the eight corpora, in the renditions evaluate.py trains and
tests on (clean, the evaluation telephone channel, the random hotline rendition aug0), the interpretable
prosodic features that Tingxin's ``ProsodicFeatures`` computes (``tools/reference/prosody/prosody.py``, the
Python reference it is tested against): pitch level, spread, range and slope, voicing, energy dynamics,
jitter, shimmer, speaking rate, pauses, alpha ratio and spectral centroid.

    OMP_NUM_THREADS=1 /usr/bin/python3 recipes/train-whisper/prosody_cache.py --shard 0/2 &   # one per core
    OMP_NUM_THREADS=1 /usr/bin/python3 recipes/train-whisper/prosody_cache.py --shard 1/2
    OMP_NUM_THREADS=1 /usr/bin/python3 recipes/train-whisper/prosody_cache.py --merge   # cache/prosody.pt

Each clip is prepared exactly as embed.py prepares it (full scale, 16 kHz, trimmed, rendition k of clip i
seeded 7919 * i + k), so ``evaluate.py --prosody`` joins the two caches row by row. Used to measure whether
prosody beside the encoder's states helps on corpora the head never saw; the shipped graph does not take it.
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "tools" / "reference" / "prosody"))
import prosody  # noqa: E402
import data  # noqa: E402
from embed import CACHE, render, renditions  # noqa: E402

RENDITIONS = ["clean", "telephone", "aug0"]


def chunk_path(rendition, corpus):
    return CACHE / "prosody" / f"{rendition}-{corpus}.npy"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shard", default="0/1", help="i/n: this process takes every n-th chunk from the i-th")
    ap.add_argument("--merge", action="store_true", help="join the chunks into cache/prosody.pt")
    args = ap.parse_args()
    clips = data.list_all()
    names = renditions(1)
    sizes = {c: sum(x["corpus"] == c for x in clips) for c in data.CORPUS_ORDER}
    # largest chunks first, dealt in turn, so that the shards finish together
    work = sorted(((r, c) for r in RENDITIONS for c in data.CORPUS_ORDER), key=lambda w: -sizes[w[1]])
    if args.merge:
        missing = [chunk_path(r, c).name for r, c in work if not chunk_path(r, c).exists()]
        if missing:
            raise SystemExit(f"missing chunks: {missing}")
        feats = np.zeros((len(clips), len(RENDITIONS), len(prosody.NAMES)), dtype=np.float32)
        for k, r in enumerate(RENDITIONS):
            for c in data.CORPUS_ORDER:
                index = [i for i, x in enumerate(clips) if x["corpus"] == c]
                feats[index, k] = np.load(chunk_path(r, c))
        torch.save({"paths": [c["path"] for c in clips], "renditions": RENDITIONS, "names": prosody.NAMES,
                    "features": torch.from_numpy(feats)}, CACHE / "prosody.pt")
        print(f"wrote {CACHE / 'prosody.pt'}: {feats.shape}")
        return
    i, n = (int(v) for v in args.shard.split("/"))
    (CACHE / "prosody").mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    for r, c in work[i::n]:
        out = chunk_path(r, c)
        if out.exists():
            continue
        k = names.index(r)
        index = [j for j, x in enumerate(clips) if x["corpus"] == c]
        rows = np.empty((len(index), len(prosody.NAMES)), dtype=np.float32)
        for j, ci in enumerate(index):
            wav = data.trim_silence(data.load_16k(clips[ci]["path"]))
            rows[j] = prosody.features(render(wav, r, 7919 * ci + k).numpy())
        np.save(out.with_suffix(".part.npy"), rows)
        out.with_suffix(".part.npy").rename(out)
        print(f"shard {args.shard}: {r} {c} ({len(index)} clips) done at {time.time() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
