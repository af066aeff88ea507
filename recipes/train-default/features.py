"""Builds the feature cache: for every clip and every rendition (clean, the evaluation telephone channel,
N seeded random hotline augmentations) the Kaldi fbank matrix and the prosodic feature vector.

    nice -n 10 /usr/bin/python3 recipes/train-default/features.py [--augment 4]

Writes recipes/train-default/cache/features.pt (git-ignored). Deterministic: variant k of clip i uses seed
1000 * i + k.
"""
import argparse
import time

import torch

import common
import prosody


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--augment", type=int, default=4, help="random augmented renditions per clip")
    ap.add_argument("--prosody-only", action="store_true",
                    help="recompute only the prosodic features of an existing cache (same renditions)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    clips = common.list_corpus()
    variants = ["clean", "telephone"] + [f"aug{k}" for k in range(args.augment)]
    old = torch.load(common.CACHE / "features.pt") if args.prosody_only else None
    if old is not None and old["variants"] != variants:
        raise SystemExit(f"cache has renditions {old['variants']}, not {variants}")
    fb = {v: [] for v in variants}
    pros = {v: [] for v in variants}
    lengths = []
    t0 = time.time()
    for i, c in enumerate(clips):
        wav = common.trim_padding(common.load_16k(c["path"]))
        lengths.append(wav.shape[0] / common.SAMPLE_RATE)
        for k, v in enumerate(variants):
            if v == "clean":
                x = wav
            elif v == "telephone":
                x = common.telephone(wav)
            else:
                x = common.random_augment(wav, 1000 * i + k)
            fb[v].append(old["fbank"][v][i] if old is not None else common.fbank(x).to(torch.float32))
            pros[v].append(torch.from_numpy(prosody.features(x.numpy())))
        if i % 50 == 0:
            print(f"{i}/{len(clips)} clips, {time.time() - t0:.0f} s", flush=True)
    common.CACHE.mkdir(exist_ok=True)
    torch.save({"clips": clips, "variants": variants, "fbank": fb,
                "prosody": {v: torch.stack(p) for v, p in pros.items()}, "prosody_names": prosody.NAMES,
                "seconds": lengths, "fbank_options": common.FBANK_OPTIONS},
               common.CACHE / "features.pt")
    s = sorted(lengths)
    print(f"done in {time.time() - t0:.0f} s; trimmed clip length min {s[0]:.2f} s, p5 {s[len(s)//20]:.2f} s,"
          f" median {s[len(s)//2]:.2f} s, max {s[-1]:.2f} s")


if __name__ == "__main__":
    main()
