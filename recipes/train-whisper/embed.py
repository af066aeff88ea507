"""Builds the embedding cache: for every clip of the eight corpora and every rendition (clean, the
evaluation telephone channel, N seeded random hotline augmentations) the Whisper tiny.en encoder's
residual stream pooled over the valid frames (mean and standard deviation) at every depth.

    nice -n 10 /usr/bin/python3 recipes/train-whisper/embed.py --shard 0/2 &   # one process per core
    nice -n 10 /usr/bin/python3 recipes/train-whisper/embed.py --shard 1/2
    nice -n 10 /usr/bin/python3 recipes/train-whisper/embed.py --merge       # cache/embeddings.pt
    # one rendition for some corpora only (about 10 min of one core for EmoDB + CASIA):
    nice -n 10 /usr/bin/python3 recipes/train-whisper/embed.py --renditions telephone --corpora emodb,casia

Each clip is loaded at full scale, resampled to 16 kHz, trimmed of leading/trailing silence
(data.trim_silence: what a VAD hands the model), rendered, turned into Tingxin's ``whisper-logmel`` features
exactly as the Java extractor computes them for one segment (80 bins, no 30 s padding, the clip's own
maximum for the 8-unit floor, L / 160 frames), and run through the encoder at its own length (positional
embedding sliced to it). Depths: 0 = after the convolutions and positional embedding, 1-4 = after each
block, 5 = block 4 through ``ln_post`` (the encoder's output). Stored as float16, one file per rendition and
corpus (cache/emb/, a run resumes where it stopped), merged into [clips, renditions, 6, 2, 384].
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
import model  # noqa: E402

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
    """[6, 2, 384]: mean and std over the valid frames of the residual stream at each depth, pooled as the
    shipped graph pools them (``model.masked_mean_std``)."""
    lengths = torch.tensor([mel.shape[1]])
    states, frames = enc.layer_states(mel[None], lengths)
    states = states + [enc.ln_post(states[-1])]
    return torch.cat([model.masked_mean_std(s, frames) for s in states])


def load_encoder():
    return tx.whisper_backbone(checkpoint=str(CACHE / "whisper-tiny-en-encoder.pt")).eval()


def claim(out):
    """Takes a chunk for this process (several processes share the work list); a claim whose process is gone
    is taken over."""
    lock = out.with_suffix(".claim")
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        try:
            os.kill(int(lock.read_text() or 0), 0)
            return False
        except (ProcessLookupError, ValueError):
            lock.unlink()
            return claim(out)
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    return True


def chunk_path(rendition, corpus):
    return CACHE / "emb" / f"{rendition}-{corpus}.pt"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shard", default="0/1", help="i/n: a name for this process's log; processes share the work")
    ap.add_argument("--augment", type=int, default=1, help="random augmented renditions per clip")
    ap.add_argument("--corpora", default=",".join(data.CORPUS_ORDER),
                    help="comma-separated corpora to embed (default: all eight)")
    ap.add_argument("--renditions", default=None,
                    help="comma-separated renditions to embed (default: clean, telephone, aug0..)")
    ap.add_argument("--merge", action="store_true", help="join the chunks into cache/embeddings.pt")
    ap.add_argument("--int8", action="store_true",
                    help="through the static int8 encoder (int8.py; runs/activation-ranges.json): renditions "
                         "'NAME-int8', test renditions only (evaluate.py never trains on them)")
    args = ap.parse_args()
    corpora = args.corpora.split(",")
    unknown = set(corpora) - set(data.CORPUS_ORDER)
    if unknown:
        raise SystemExit(f"unknown corpora {sorted(unknown)}; known: {data.CORPUS_ORDER}")
    clips = data.list_all()
    names = renditions(args.augment)
    # Work in chunks of one rendition of one corpus, clean first, each saved on its own: a run can be resumed,
    # and experiments can start on the clean chunks.
    sizes = {c: sum(x["corpus"] == c for x in clips) for c in data.CORPUS_ORDER}
    wanted = args.renditions.split(",") if args.renditions else names
    work = [(r, c) for r in wanted for c in sorted(corpora, key=lambda c: -sizes[c])]
    if args.merge:
        # A rendition may be present for some corpora only (telephone: EmoDB, CASIA, TESS): `present`
        # [clips, renditions] says which rows hold an embedding; the others are zero and must not be read.
        if not all(chunk_path("clean", c).exists() for c in data.CORPUS_ORDER):
            raise SystemExit("the clean rendition is missing for some corpora")
        done = [r for r in names + [n + "-int8" for n in names]
                if any(chunk_path(r, c).exists() for c in data.CORPUS_ORDER)]
        emb = torch.zeros(len(clips), len(done), 6, 2, 384, dtype=torch.float16)
        present = torch.zeros(len(clips), len(done), dtype=torch.bool)
        seconds = torch.empty(len(clips))
        for k, r in enumerate(done):
            for c in data.CORPUS_ORDER:
                if not chunk_path(r, c).exists():
                    continue
                part = torch.load(chunk_path(r, c))
                index = [i for i, x in enumerate(clips) if x["corpus"] == c]
                if part["paths"] != [clips[i]["path"] for i in index]:
                    raise SystemExit(f"{chunk_path(r, c)} was made from another clip list")
                emb[index, k] = part["emb"]
                present[index, k] = True
                seconds[index] = part["seconds"]
        torch.save({"clips": clips, "renditions": done, "emb": emb, "present": present, "seconds": seconds,
                    "whisper": WHISPER}, CACHE / "embeddings.pt")
        have = {r: sorted({clips[i]["corpus"] for i in range(len(clips)) if present[i, k]})
                for k, r in enumerate(done)}
        print(f"wrote {CACHE / 'embeddings.pt'}: {tuple(emb.shape)}, renditions {have}")
        return
    torch.set_num_threads(1)
    enc = load_encoder()
    if args.int8:
        import int8
        enc = int8.quantize_(enc, int8.load_ranges())
    (CACHE / "emb").mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    for r, c in work:
        out = chunk_path(r + ("-int8" if args.int8 else ""), c)
        if out.exists() or not claim(out):
            continue
        k = names.index(r)
        index = [j for j, x in enumerate(clips) if x["corpus"] == c]
        emb = torch.empty(len(index), 6, 2, 384, dtype=torch.float16)
        seconds = torch.empty(len(index))
        for j, ci in enumerate(index):
            wav = data.trim_silence(data.load_16k(clips[ci]["path"]))
            seconds[j] = wav.shape[0] / data.SAMPLE_RATE
            emb[j] = pooled_states(enc, logmel(render(wav, r, 7919 * ci + k))).to(torch.float16)
        torch.save({"paths": [clips[j]["path"] for j in index], "emb": emb, "seconds": seconds}, out.with_suffix(".part"))
        out.with_suffix(".part").rename(out)
        out.with_suffix(".claim").unlink()
        print(f"shard {args.shard}: {r} {c} ({len(index)} clips) done at {time.time() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
