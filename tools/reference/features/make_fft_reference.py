#!/usr/bin/python3
"""Reference FFTs for sentiment-core's LaneFft, FloatLaneFft and the power spectra built on them.

Run with Debian's interpreter (numpy 1.24, torch 1.13):

    /usr/bin/python3 tools/reference/features/make_fft_reference.py \
        --out sentiment-core/src/test/resources/reference/fft

Cases (numpy.fft in float64 on float32 inputs; torch.fft must agree to 1e-9, checked here):
  * "complex": numpy.fft.fft of complex inputs of every size 1..40 and of larger sizes made of 2, 3, 4
    and 5, and of sizes with other prime factors (which Tingxin hands to JTransforms).
  * "power": abs(numpy.fft.rfft(x))**2 of real inputs of even sizes (bins 0..N/2), the frame sizes the
    extractors use (400 and 512 at 16 kHz, 200 and 256 at 8 kHz) and others.

Output: inputs.f32 (little-endian float32: complex inputs interleaved re, im), outputs.f64 (little-endian
float64: complex outputs interleaved), index.json with each case's kind, size and offsets (in values).
"""
import argparse
import json
import os

import numpy as np
import torch

COMPLEX_SIZES = list(range(1, 41)) + [45, 48, 50, 60, 64, 75, 80, 81, 96, 100, 120, 125, 128, 200, 243, 256,
                                      49, 77, 97, 121, 202, 343]
POWER_SIZES = [2, 4, 6, 8, 10, 12, 16, 18, 20, 24, 30, 32, 50, 64, 96, 100, 128, 160, 200, 256, 320, 400,
               480, 512, 1000, 1024, 14, 22, 26, 98, 202, 1102]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = np.random.default_rng(20261205)
    inputs, outputs, cases = [], [], []
    n_in = n_out = 0
    for n in COMPLEX_SIZES:
        z = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np.complex64)
        x = z.astype(np.complex128)
        y = np.fft.fft(x)
        t = torch.fft.fft(torch.from_numpy(x)).numpy()
        assert np.max(np.abs(y - t)) <= 1e-9 * np.sum(np.abs(x)), n
        flat_in = np.stack([z.real, z.imag], axis=1).reshape(-1).astype(np.float32)
        flat_out = np.stack([y.real, y.imag], axis=1).reshape(-1)
        cases.append({"kind": "complex", "size": n, "input": n_in, "output": n_out})
        inputs.append(flat_in)
        outputs.append(flat_out)
        n_in += flat_in.size
        n_out += flat_out.size
    for n in POWER_SIZES:
        # speech-like: a decaying harmonic series plus noise, with a DC offset
        k = np.arange(n)
        x = (0.05 + sum(np.sin(2 * np.pi * h * 7.3 * k / n + h) / h for h in range(1, 6))
             + 0.01 * rng.standard_normal(n)).astype(np.float32)
        y = np.abs(np.fft.rfft(x.astype(np.float64))) ** 2
        t = torch.fft.rfft(torch.from_numpy(x.astype(np.float64))).abs().numpy() ** 2
        assert np.max(np.abs(y - t)) <= 1e-9 * np.max(y), n
        cases.append({"kind": "power", "size": n, "input": n_in, "output": n_out})
        inputs.append(x)
        outputs.append(y)
        n_in += x.size
        n_out += y.size
    os.makedirs(args.out, exist_ok=True)
    np.concatenate(inputs).astype("<f4").tofile(os.path.join(args.out, "inputs.f32"))
    np.concatenate(outputs).astype("<f8").tofile(os.path.join(args.out, "outputs.f64"))
    index = {"generator": "tools/reference/features/make_fft_reference.py", "numpy": np.__version__,
             "torch": torch.__version__, "cases": cases}
    with open(os.path.join(args.out, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")
    print(f"{len(cases)} cases, {n_in} input and {n_out} output values")


if __name__ == "__main__":
    main()
