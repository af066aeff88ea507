"""The eight emotional speech corpora this recipe trains and validates on: where each comes from, how to
extract it, and one label map per corpus (its own labels -> the common emotion set, and which are negative).

    # extract the six GitHub corpora into one folder (EmoDB and CASIA are read where they are):
    /usr/bin/python3 recipes/train-whisper/data.py extract --corpora /work/corpora --mirror /work/.mirror
    # list every clip with its corpus, speaker and labels (writes CORPORA/index.tsv):
    /usr/bin/python3 recipes/train-whisper/data.py index --corpora /work/corpora

``--mirror DIR`` holds one git repository per corpus as ``DIR/<owner>+<name>/repo`` (the layout the
project's snapshot fetcher writes); any clone works (``--git-dir-<corpus> PATH``), since extraction is
``git --git-dir=REPO archive COMMIT PATHS | tar -x`` of the pinned commit. Corpus audio never enters the
project's repository. Environment: TINGXIN_CORPORA (the folder), EMODB and CASIA (their folders; default
../shared/data/emodb and ../shared/data/casia next to the repository).

Negative, as the project defines it: anger, sadness, fear, disgust and boredom. Not negative: neutral,
calm, happiness and surprise (TESS's "pleasant surprise" included). The common emotion set merges calm
into neutral (RAVDESS calm, TurEV-DB's "sakin" recordings), since only two corpora have it and neither has
both reliably apart from the other.
"""
import argparse
import csv
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile
import torch
from scipy import signal
import torchaudio.functional as AF

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
EMODB = Path(os.environ.get("EMODB", REPO.parent / "shared" / "data" / "emodb"))
CASIA = Path(os.environ.get("CASIA", REPO.parent / "shared" / "data" / "casia"))
CORPORA = Path(os.environ.get("TINGXIN_CORPORA", REPO.parent / "corpora"))
SAMPLE_RATE = 16000

# The common emotion set: the order of the model's emotion head.
EMOTIONS = ["anger", "boredom", "disgust", "fear", "happiness", "sadness", "surprise", "neutral"]
CHINESE = {"anger": "愤怒", "boredom": "厌倦", "disgust": "厌恶", "fear": "恐惧", "happiness": "快乐",
           "sadness": "悲伤", "surprise": "惊讶", "neutral": "中性"}
NEGATIVE = {"anger", "sadness", "fear", "disgust", "boredom"}
ANGRY_SAD = {"anger", "sadness"}

# corpus -> source. Git corpora: (owner/name, commit, paths); licences as their publishers state them.
CORPUS_ORDER = ["casia", "emodb", "ravdess", "tess", "savee", "nemo", "ased", "turev"]
SOURCES = {
    "emodb": {"language": "German", "licence": "CC0-1.0 (audEERING's audb packaging)",
              "what": "../shared/data/emodb: the 2.0 s / 22,050 Hz altered public copy (see its README)"},
    "casia": {"language": "Mandarin", "licence": "none stated: research use only, never redistributed",
              "what": "../shared/data/casia: the 1,200-clip, 4-speaker public subset (see its README)"},
    "ravdess": {"repo": "ZenvilleErasmus/RAVDESS-emotions-speech-audio-only",
                "commit": "29dc10e08b419f805a29c691c4dbc03da0b2b43e", "paths": ["Audio_Speech_Actors_01-24"],
                "language": "English (North American)", "licence": "CC BY-NC-SA 4.0"},
    "tess": {"repo": "deepxzy/Toronto-emotional-speech-set", "commit": "acdd3c415ef6ffa55dd51a65493b98699dbe14cf",
             "paths": ["datasets/train", "datasets/testnew"], "language": "English (Canadian)",
             "licence": "CC BY-NC-ND 4.0"},
    "savee": {"repo": "robertjkeck2/EmoNet", "commit": "976f8503dd4bc85aea45918db585ffe83bbcf3ec",
              "paths": ["data/SAVEE"], "language": "English (British)", "licence": "none stated: research use only"},
    "nemo": {"repo": "amu-cai/nEMO", "commit": "66de9999a8f2f605eb5f64841790aa5cb0877782",
             "paths": ["samples", "data.tsv", "LICENSE"], "language": "Polish", "licence": "CC BY-NC-SA 4.0"},
    "ased": {"repo": "wgwangang/ASED_V1", "commit": "3feb6d25ec1a88d770594c88d2c4e6cae5c0d046",
             "paths": ["01Neutral", "02Fearful", "03Happy", "04Sad", "05Angry"], "language": "Amharic",
             "licence": "none stated: research use only"},
    "turev": {"repo": "Xeonen/TurEV-DB", "commit": "be9873eccbc40538acbeb5e67c718bda96763cf3",
              "paths": ["Sound Source"], "language": "Turkish (single words)", "licence": "CC BY-NC-ND 4.0"},
}

# Per-corpus label maps: the corpus's own label -> the common set.
LABEL_MAPS = {
    "emodb": {"W": "anger", "L": "boredom", "E": "disgust", "A": "fear", "F": "happiness", "T": "sadness",
              "N": "neutral"},
    "casia": {"angry": "anger", "fear": "fear", "happy": "happiness", "neutral": "neutral", "sad": "sadness",
              "surprise": "surprise"},
    "ravdess": {"01": "neutral", "02": "neutral", "03": "happiness", "04": "sadness", "05": "anger", "06": "fear",
                "07": "disgust", "08": "surprise"},  # 02 = calm
    "tess": {"angry": "anger", "disgust": "disgust", "fear": "fear", "happy": "happiness", "neutral": "neutral",
             "ps": "surprise", "pleasant_surprise": "surprise", "pleasant_surprised": "surprise", "sad": "sadness"},
    "savee": {"a": "anger", "d": "disgust", "f": "fear", "h": "happiness", "n": "neutral", "sa": "sadness",
              "su": "surprise"},
    "nemo": {"anger": "anger", "fear": "fear", "happiness": "happiness", "neutral": "neutral", "sadness": "sadness",
             "surprised": "surprise"},
    "ased": {"n1": "neutral", "f2": "fear", "h3": "happiness", "s4": "sadness", "a5": "anger"},
    "turev": {"Angry": "anger", "Calm": "neutral", "Happy": "happiness", "Sad": "sadness"},
}


def git_dir(mirror: Path, repo: str) -> Path:
    d = mirror / repo.replace("/", "+") / "repo"
    return d / ".git" if (d / ".git").is_dir() else d


def extract(corpus: str, git: Path, corpora: Path) -> None:
    src = SOURCES[corpus]
    dest = corpora / corpus
    if dest.exists():
        print(f"{corpus}: {dest} exists, left as it is")
        return
    part = corpora / (corpus + ".part")
    part.mkdir(parents=True, exist_ok=False)
    archive = subprocess.Popen(["git", f"--git-dir={git}", "archive", src["commit"], *src["paths"]],
                               stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(part)], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        raise SystemExit(f"{corpus}: git archive failed for {git}")
    part.rename(dest)
    print(f"{corpus}: extracted {src['repo']}@{src['commit'][:7]} into {dest}")


def _clip(path, corpus, speaker, raw):
    emotion = LABEL_MAPS[corpus][raw]
    return {"path": str(path), "corpus": corpus, "speaker": f"{corpus}:{speaker}", "raw_label": raw,
            "emotion": emotion, "negative": int(emotion in NEGATIVE), "angry_sad": int(emotion in ANGRY_SAD)}


def list_corpus(corpus: str, corpora: Path = None):
    """Every clip of a corpus as dicts (path, corpus, speaker, raw_label, emotion, negative, angry_sad)."""
    root = corpora or CORPORA
    clips = []
    if corpus == "emodb":
        for f in sorted(EMODB.glob("*.wav")):
            clips.append(_clip(f, corpus, f.stem[:2], f.stem[5]))
    elif corpus == "casia":
        for f in sorted(CASIA.glob("*/*/*.wav")):
            clips.append(_clip(f, corpus, f.parent.parent.name, f.parent.name))
    elif corpus == "ravdess":
        for f in sorted((root / corpus).glob("Audio_Speech_Actors_01-24/Actor_*/*.wav")):
            parts = f.stem.split("-")  # modality-channel-emotion-intensity-statement-repetition-actor
            clips.append(_clip(f, corpus, parts[6], parts[2]))
    elif corpus == "tess":
        seen = set()
        for f in sorted((root / corpus).glob("datasets/*/**/*.wav")):
            stem = f.stem
            if f.parent.name == "testnew":  # e.g. 100testYAF_hall_sad8, 751testOA_bite_neutral48
                stem = stem.split("test", 1)[1].rstrip("0123456789")
            speaker, word, raw = stem.split("_", 2)
            speaker = {"OA": "OAF"}.get(speaker, speaker)
            raw = raw.lower()
            key = (speaker, word.lower(), LABEL_MAPS[corpus][raw])
            if key in seen:
                continue  # the same recording listed twice
            seen.add(key)
            clips.append(_clip(f, corpus, speaker, raw))
    elif corpus == "savee":
        for f in sorted((root / corpus).glob("data/SAVEE/*.wav")):
            speaker, rest = f.stem.split("_")
            clips.append(_clip(f, corpus, speaker, rest.rstrip("0123456789")))
    elif corpus == "nemo":
        with open(root / corpus / "data.tsv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                clips.append(_clip(root / corpus / "samples" / row["file_id"], corpus, row["speaker_id"].strip(),
                                   row["emotion"]))
    elif corpus == "ased":
        for f in sorted((root / corpus).glob("0*/*.wav")):
            parts = f.stem.split("-")  # emotion+folder, sentence, repetition, gender, speaker
            clips.append(_clip(f, corpus, parts[4], parts[0].lower()))
    elif corpus == "turev":
        for f in sorted((root / corpus).glob("Sound Source/*/*.wav")):
            clips.append(_clip(f, corpus, f.stem.split("_")[0], f.parent.name))
    else:
        raise ValueError(corpus)
    if not clips:
        raise SystemExit(f"{corpus}: no clips found (extract it first: data.py extract)")
    return clips


def list_all(corpora: Path = None):
    return [c for corpus in CORPUS_ORDER for c in list_corpus(corpus, corpora)]


# ------------------------------------------------------------------------------------------------ audio


def load_16k(path) -> torch.Tensor:
    """A clip at full scale 1.0, channels averaged, resampled to 16 kHz: torchaudio's windowed sinc, or, where
    the reduced rate ratio is large (TESS: 24,414 Hz = 12,207 : 8,000), SciPy's polyphase filter, since
    torchaudio builds an 8,000 x 12,227 kernel for every such call."""
    x, sr = soundfile.read(str(path), dtype="float32", always_2d=True)
    x = x.mean(axis=1) if x.shape[1] > 1 else x[:, 0].copy()
    if sr == SAMPLE_RATE:
        return torch.from_numpy(x)
    g = math.gcd(sr, SAMPLE_RATE)
    if sr // g > 1000:
        return torch.from_numpy(signal.resample_poly(x, SAMPLE_RATE // g, sr // g).astype(np.float32))
    return AF.resample(torch.from_numpy(x), sr, SAMPLE_RATE)


def trim_silence(wav: torch.Tensor, top_db: float = 40.0, margin_s: float = 0.1) -> torch.Tensor:
    """Drops leading and trailing stretches quieter than ``top_db`` below the clip's loudest 25 ms frame (and
    exact zero padding), keeping ``margin_s`` around the speech: what a voice activity detector hands the
    model. Clips with no such frames are returned unchanged."""
    n = wav.shape[0]
    frame, hop = 400, 160
    if n < frame:
        return wav
    frames = wav.unfold(0, frame, hop)
    db = 10 * torch.log10(frames.pow(2).mean(1).clamp(min=1e-12))
    loud = torch.nonzero(db > db.max() - top_db)
    if loud.numel() == 0:
        return wav
    margin = int(margin_s * SAMPLE_RATE)
    start = max(0, int(loud[0]) * hop - margin)
    end = min(n, int(loud[-1]) * hop + frame + margin)
    return wav[start:end].clone()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["extract", "index"])
    ap.add_argument("--corpora", default=str(CORPORA))
    ap.add_argument("--mirror", default=str(REPO.parent / ".mirror"))
    for c in SOURCES:
        if "repo" in SOURCES[c]:
            ap.add_argument(f"--git-dir-{c}", default=None)
    args = ap.parse_args()
    corpora = Path(args.corpora)
    if args.command == "extract":
        corpora.mkdir(parents=True, exist_ok=True)
        for c, src in SOURCES.items():
            if "repo" in src:
                git = getattr(args, f"git_dir_{c}") or git_dir(Path(args.mirror), src["repo"])
                extract(c, Path(git), corpora)
    clips = list_all(corpora)
    with open(corpora / "index.tsv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(clips[0].keys()), delimiter="\t")
        w.writeheader()
        w.writerows(clips)
    for corpus in CORPUS_ORDER:
        cs = [c for c in clips if c["corpus"] == corpus]
        counts = {e: sum(c["emotion"] == e for c in cs) for e in EMOTIONS}
        print(f"{corpus}: {len(cs)} clips, {len({c['speaker'] for c in cs})} speakers, "
              + ", ".join(f"{e} {n}" for e, n in counts.items() if n))


if __name__ == "__main__":
    sys.exit(main())
