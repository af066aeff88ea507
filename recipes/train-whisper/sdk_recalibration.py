"""`tingxin model recalibrate`, end to end, on a corpus the model never heard: the SDK's own command, run the way
a deployment would run it, against the recipe's measurement of the same method (recalibrate.py).

    OMP_NUM_THREADS=1 /usr/bin/python3 recipes/train-whisper/loco_package.py --held casia --out /tmp/loco-casia
    OMP_NUM_THREADS=1 /usr/bin/python3 recipes/train-whisper/sdk_recalibration.py --held casia --package /tmp/loco-casia

Needs the CLI built (`mvn -o -q -pl tingxin-cli -am package -DskipTests`). For each leave-speakers-out fold of the
held-out corpus, the fold's speakers are the "new callers" and the corpus's other speakers the deployment's labelled
recordings: `tingxin model recalibrate --labels OTHERS.csv` writes a recalibrated package, and `tingxin analyze
--csv` scores the fold's own recordings with the package before and after. Every segment is scored by a
calibration that never heard its speaker, from a model that never heard its corpus. The figures (ECE, flagged share,
recall and macro-F1 at 0.5, pooled over the folds, per segment) go to runs/sdk-recalibration-HELD.json beside
recalibrate.py's figures for the same corpus (per clip, the recipe's trimmed clips; the SDK's segments come from its
voice activity detector, so the two agree closely, not to the digit). Labels CSVs and packages are written to a
temporary folder; no audio is copied.
"""
import argparse
import csv
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
import data  # noqa: E402
import evaluate  # noqa: E402

JAR = REPO / "tingxin-cli" / "target" / "tingxin.jar"


def tingxin(*args):
    """Runs the CLI. Exit 2 (some files could not be decoded and were left out, the rest done) is accepted: TESS
    holds AIFF files named .wav, which the recipe's soundfile reads and Tingxin refuses as not WAV."""
    r = subprocess.run(["java", "-jar", str(JAR), *map(str, args)], capture_output=True, text=True)
    if r.returncode not in (0, 2):
        raise SystemExit(f"tingxin {' '.join(map(str, args))} exited {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def scores(package, files):
    """Each file's segments' negative probabilities, as `tingxin analyze --csv` reports them."""
    out = {}
    for row in csv.DictReader(io.StringIO(tingxin("analyze", "--quiet", "--csv", "--model", package, *files))):
        out.setdefault(row["file"], []).append(float(row["negative_probability"]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--held", required=True, choices=data.CORPUS_ORDER)
    ap.add_argument("--package", required=True, help="loco_package.py's package for --held")
    ap.add_argument("--name", default="mlp256-d12-cleanaug")
    args = ap.parse_args()
    if not JAR.exists():
        raise SystemExit(f"{JAR} is missing: mvn -o -q -pl tingxin-cli -am package -DskipTests")
    every = evaluate.load_cache()["clips"]
    clips = [c for c in every if c["corpus"] == args.held]
    folds = evaluate.speaker_folds(every, args.held)  # recalibrate.py's folds
    work = Path(tempfile.mkdtemp(prefix="tingxin-sdk-recal-"))
    before, after, labels, fits = [], [], [], []
    split = 0
    unscored = 0
    for held in folds:
        others = [c for c in clips if c["speaker"] not in held]
        mine = [c for c in clips if c["speaker"] in held]
        tag = '-'.join(held).replace(':', '_')
        table = work / f"labels-{tag}.csv"
        with table.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["file", "negative"])
            for c in others:
                w.writerow([str(Path(c["path"]).resolve()), int(c["negative"])])
        out = work / f"package-{tag}"
        report = tingxin("model", "recalibrate", "--quiet", "--model", args.package, "--labels", table, "--out", out)
        cal = json.loads((out / "tingxin-model.json").read_text())["heads"][0]["calibration"]
        fits.append({"held": held, "labelled_files": len(others), **cal, "report": report.splitlines()[1:]})  # the first line names the temporary folder
        files = [str(Path(c["path"]).resolve()) for c in mine]
        b, a = scores(args.package, files), scores(out, files)
        for c, f in zip(mine, files):
            if f not in b or f not in a:
                unscored += 1  # not decodable by Tingxin, or no speech found in it
                continue
            split += len(b[f]) > 1
            before += b[f]
            after += a[f]
            labels += [c["negative"]] * len(b[f])
        print(f"fold {held}: temperature {cal['temperature']:.3f} offset {cal['offset']:.3f}", flush=True)
    y = np.asarray(labels)
    result = {"held": args.held, "package": Path(args.package).name, "segments": len(y), "clips": len(clips),
              "clips_in_several_segments": split, "clips_not_scored": unscored, "folds": fits,
              "sdk": {"shipped": evaluate.decisions(np.asarray(before), y),
                      "recalibrated": evaluate.decisions(np.asarray(after), y)}}
    rc = json.loads((HERE / "runs" / f"recalibration-{args.name}.json").read_text())["loco"][args.held]
    rows = rc["renditions"]["clean"]
    result["recipe"] = {"shipped": rows["shipped"], "recalibrated": rows["platt-all"]}
    path = HERE / "runs" / f"sdk-recalibration-{args.held}.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    for who in ("sdk", "recipe"):
        for k in ("shipped", "recalibrated"):
            m = result[who][k]
            print(f"{who:6s} {k:12s} ECE {m['ece']:.3f} flagged {m['flagged_not_negative']:.3f} "
                  f"recall {m['recall_negative']:.3f} macro-F1 {m['binary_macro_f1']:.3f}")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
