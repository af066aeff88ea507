#!/usr/bin/env python3
"""Builds the voice activity detection test call: EmoDB clips joined with pauses and noise.

Writes sentiment-core/src/test/resources/io/github/tingxin/core/vad/vad-call-16k.wav (16 kHz, 16-bit mono)
and vad-call-16k.json with the known speech regions. Run from the repository root with Debian's python3:

    /usr/bin/python3 tools/reference/make_vad_fixture.py

The speech regions are found on each CLEAN clip before mixing (the clips are padded to 2 s in the
shared copy, see ../shared/data/emodb/README.md): 10 ms frames whose level is within 35 dB of the clip's
loudest frame, gaps under 300 ms closed, islands under 50 ms removed. The VAD runs on the noisy mix.
"""
import json
import os

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly, lfilter

EMODB = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared', 'data', 'emodb')
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'sentiment-core', 'src', 'test', 'resources', 'io',
                   'github', 'tingxin', 'core', 'vad')
RATE = 16000
FRAME = 160  # 10 ms

# Different speakers, sexes and emotions (file names encode them, see the corpus README).
CLIPS = ['03a01Wa', '08a01Ab', '09a01Fa', '10a01Nb', '11a02Ec', '13a01Lb', '14a02Tb', '15a01Wa', '16a04Ab',
         '12a02Nb']
PAUSES = [1.2, 0.8, 1.5, 0.45, 2.0, 1.0, 0.7, 1.6, 0.9, 1.3, 1.4]  # before each clip, and after the last
rng = np.random.default_rng(20261125)


def load(name):
    x, sr = sf.read(os.path.join(EMODB, name + '.wav'), dtype='float64')
    assert sr == 22050, sr
    return resample_poly(x, 320, 441)  # 22050 -> 16000


def speech_frames(x):
    n = len(x) // FRAME
    lev = np.array([10 * np.log10(np.mean(x[i * FRAME:(i + 1) * FRAME] ** 2) + 1e-12) for i in range(n)])
    on = lev > lev.max() - 35
    idx = np.flatnonzero(on)
    if len(idx) == 0:
        return on
    # close gaps shorter than 300 ms
    for a, b in zip(idx[:-1], idx[1:]):
        if 1 < b - a <= 30:
            on[a:b] = True
    # remove islands shorter than 50 ms
    i = 0
    while i < n:
        if on[i]:
            j = i
            while j < n and on[j]:
                j += 1
            if j - i < 5:
                on[i:j] = False
            i = j
        else:
            i += 1
    return on


def pink(n):
    # Voss-McCartney-like: white noise through a 1/f approximation filter (Paul Kellet's economy filter).
    w = rng.standard_normal(n)
    b = [0.049922035, -0.095993537, 0.050612699, -0.004408786]
    a = [1, -2.494956002, 2.017265875, -0.522189400]
    return lfilter(b, a, w)


def main():
    parts, truth = [], []
    pos = 0
    for name, pause in zip(CLIPS, PAUSES):
        gap = int(round(pause * RATE))
        parts.append(np.zeros(gap))
        pos += gap
        x = load(name)
        x = x / np.max(np.abs(x)) * 0.5
        on = speech_frames(x)
        # frames -> regions in the call (seconds)
        i = 0
        while i < len(on):
            if on[i]:
                j = i
                while j < len(on) and on[j]:
                    j += 1
                truth.append([(pos + i * FRAME) / RATE, (pos + j * FRAME) / RATE])
                i = j
            else:
                i += 1
        parts.append(x)
        pos += len(x)
    tail = int(round(PAUSES[len(CLIPS)] * RATE))
    parts.append(np.zeros(tail))
    clean = np.concatenate(parts)
    n = len(clean)

    speech_rms = np.sqrt(np.mean(np.concatenate([clean[int(a * RATE):int(b * RATE)] for a, b in truth]) ** 2))
    noise = pink(n)
    noise /= np.sqrt(np.mean(noise ** 2))
    # 20 dB SNR in the first half, 12 dB in the second (the floor must follow a noise that gets louder).
    gain = np.where(np.arange(n) < n // 2, speech_rms / 10 ** (20 / 20), speech_rms / 10 ** (12 / 20))
    mix = clean + noise * gain
    # A 300 ms white-noise burst inside the long 2 s pause: not speech.
    pause_start = sum(len(p) for p in parts[:8]) / RATE  # start of the 2.0 s pause before clip 5
    b0 = int((pause_start + 0.8) * RATE)
    mix[b0:b0 + int(0.3 * RATE)] += rng.standard_normal(int(0.3 * RATE)) * speech_rms * 0.25
    mix = np.clip(mix, -1, 1)
    os.makedirs(OUT, exist_ok=True)
    sf.write(os.path.join(OUT, 'vad-call-16k.wav'), mix.astype(np.float32), RATE, subtype='PCM_16')
    with open(os.path.join(OUT, 'vad-call-16k.json'), 'w') as f:
        json.dump({'sampleRate': RATE, 'seconds': n / RATE, 'clips': CLIPS,
                   'noiseBurst': [b0 / RATE, (b0 + int(0.3 * RATE)) / RATE],
                   'speech': [[round(a, 4), round(b, 4)] for a, b in truth]}, f, indent=1)
    print('wrote', n / RATE, 's,', len(truth), 'speech regions,',
          round(sum(b - a for a, b in truth), 2), 's of speech')


if __name__ == '__main__':
    main()
