#!/usr/bin/env python3
"""Short real speech for the tests of issue 15 (no speech is dropped, however short).

Writes sentiment-onnx/src/test/resources/io/github/tingxin/onnx/short/<name>.wav: the first 1.10 s of speech of
three EmoDB clips (CC0; different speakers and emotions), from the public 2.0 s / 22,050 Hz copy in
../shared/data/emodb with its zero padding trimmed (leading and trailing samples with |x| < 1e-4, as the
default model's recipe trims them), kept at 22,050 Hz 16-bit mono so the Java tests exercise the resampler.
The tests cut each to 0.3, 0.6, 0.9 and 1.1 s (prefixes) and also pass them through a telephone channel
(8 kHz mu-law) themselves.

Run: nice -n 10 /usr/bin/python3 tools/reference/make_short_speech.py [EMODB_DIR]
"""
import os
import sys

import numpy as np
import soundfile as sf

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EMODB = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "emodb")
OUT = os.path.join(ROOT, "sentiment-onnx", "src", "test", "resources", "io", "github", "tingxin", "onnx", "short")
CLIPS = ["03a01Wa", "08a02Tb", "16a04Ab"]  # anger (m), sadness (f), fear (f)
SECONDS = 1.10
PAD_THRESHOLD = 1e-4


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in CLIPS:
        x, sr = sf.read(os.path.join(EMODB, name + ".wav"), dtype="float64")
        assert sr == 22050 and x.ndim == 1, (name, sr, x.shape)
        idx = np.nonzero(np.abs(x) > PAD_THRESHOLD)[0]
        x = x[idx[0]: idx[-1] + 1]
        n = int(round(SECONDS * sr))
        assert len(x) >= n, f"{name}: only {len(x) / sr:.2f} s of speech"
        sf.write(os.path.join(OUT, name + ".wav"), x[:n], sr, subtype="PCM_16")
        print(f"{name}: {len(x) / sr:.2f} s of speech, wrote the first {SECONDS} s")


if __name__ == "__main__":
    main()
