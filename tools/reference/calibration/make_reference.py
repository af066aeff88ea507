"""Reference figures for Tingxin's Java CalibrationFit (the fit behind `tingxin model recalibrate`): fresh,
seeded log-odds and labels, the training recipe's own Platt fit of them, unbalanced as a deployment's
recalibration is (recipes/train-whisper/heads.py fit_calibration(z, y, "platt", balanced=False), torch LBFGS),
and the recipe's expected calibration error (evaluate.py ece) before and after.

    /usr/bin/python3 tools/reference/calibration/make_reference.py

Writes sentiment-core/src/test/resources/io/github/tingxin/core/model/calibration-reference.json. The cases
differ in size, negative share, and how far the log-odds are from calibrated (too sharp, too flat, shifted);
labels are drawn from a known logistic model, so no case is separable.
"""
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "recipes" / "train-whisper"))
import heads  # noqa: E402
from evaluate import ece  # noqa: E402

OUT = REPO / "sentiment-core" / "src" / "test" / "resources" / "io" / "github" / "tingxin" / "core" / "model"

# (items, mean log-odds, spread, true slope a, true offset c): the labels follow sigmoid(a d + c).
CASES = [
    (60, -0.5, 2.0, 0.5, -0.3),    # few items, too sharp
    (250, 0.8, 1.5, 1.8, -1.2),    # too flat and shifted: most speech called negative
    (400, -1.5, 3.0, 0.35, 0.9),   # very sharp, too few negatives called
    (1000, 0.0, 1.0, 1.0, 0.0),    # calibrated already
    (333, 2.5, 4.0, 0.2, -0.4),    # wide, skewed
]


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def main():
    rng = np.random.default_rng(20261205)
    out = []
    for n, mean, spread, a, c in CASES:
        d = rng.normal(mean, spread, n) + rng.standard_t(4, n) * 0.3
        y = (rng.random(n) < sigmoid(a * d + c)).astype(np.float64)
        t, b = heads.fit_calibration(d, y, "platt", balanced=False)
        p_before = sigmoid(d)
        p_after = sigmoid(d / t + b)
        out.append({"logOdds": [float(v) for v in d], "negative": [bool(v) for v in y],
                    "temperature": t, "offset": b,
                    "eceBefore": ece(p_before, y), "eceAfter": ece(p_after, y)})
        print(f"n={n}: temperature {t:.6f} offset {b:.6f} ECE {out[-1]['eceBefore']:.4f} -> {out[-1]['eceAfter']:.4f}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "calibration-reference.json").write_text(json.dumps({
        "generator": "tools/reference/calibration/make_reference.py",
        "fit": "heads.fit_calibration(z, y, 'platt', balanced=False)", "ece": "evaluate.ece(p, y, bins=10)",
        "cases": out}, indent=1) + "\n")


if __name__ == "__main__":
    main()
