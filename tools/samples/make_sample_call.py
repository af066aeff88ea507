#!/usr/bin/python3
"""Assembles Tingxin's sample call from EmoDB clips.

The sample is NOT a real hotline call. It is acted German speech from the Berlin Database of Emotional
Speech (EmoDB, CC0-1.0 per audEERING's packaging): one female speaker (08) plays the caller, one male
speaker (03) the operator, in turns joined by pauses with light background noise. The caller drifts from
neutral through sadness, fear and anger back to sadness and neutral, so a timeline has something to show.

Writes, next to each other (default examples/samples/):
  sample-call.wav          mono, 16 kHz, 16-bit PCM: both voices mixed, as a one-channel recording
  sample-call-stereo.wav   two channels, 8 kHz, 16-bit PCM (telephone rate): caller on channel 0,
                           operator on channel 1, as hotlines that record each party apart
  sample-call.json         the timeline: every clip, its speaker, channel, emotion, start and end

Steps, per clip: read (22,050 Hz mono 16-bit, the corpus copy's format), trim the zero padding that the
copy added (leading and trailing exact zeros), resample to 16 kHz with a polyphase filter
(scipy.signal.resample_poly, 320/441), fade 10 ms in and out (the copy cut some clips mid-word), and place
it on the timeline. Noise: white noise low-passed at 4 kHz, 52 dB below full scale (RMS), seeded.
Deterministic: the same corpus gives the same files, byte for byte.

Usage: /usr/bin/python3 tools/samples/make_sample_call.py [--emodb ../shared/data/emodb] [--out examples/samples]
"""
import argparse
import json
import os

import numpy as np
import scipy.signal
import soundfile as sf

RATE = 16000
EMOTIONS = {"W": "anger", "L": "boredom", "E": "disgust", "A": "fear", "F": "happiness", "T": "sadness",
            "N": "neutral"}
CALLER, OPERATOR = "caller", "operator"

# (speaker, clips): each entry is a turn; clips within a turn are joined by short pauses.
TURNS = [
    (OPERATOR, ["03a01Nc"]),
    (CALLER, ["08a01Na", "08a02Na"]),
    (OPERATOR, ["03a04Nc"]),
    (CALLER, ["08a02Tb", "08a04Tb"]),
    (OPERATOR, ["03a02Nc"]),
    (CALLER, ["08a05Ta", "08a01Ab", "08a02Ac"]),
    (OPERATOR, ["03a07Nc"]),
    (CALLER, ["08a01Wa", "08a02Wc", "08a04Wc"]),
    (OPERATOR, ["03b01Nb"]),
    (CALLER, ["08a07Ta", "08b02Tc"]),
    (OPERATOR, ["03b02Na"]),
    (CALLER, ["08a04Nc"]),
]
LEAD_SECONDS = 0.6
IN_TURN_PAUSE = (0.35, 0.6)
TURN_PAUSE = (0.7, 1.1)
NOISE_DBFS = -52.0
SEED = 20251125


def load_clip(path):
    x, sr = sf.read(path, dtype="float64")
    if x.ndim != 1 or sr != 22050:
        raise SystemExit(f"{path}: expected 22,050 Hz mono, got {sr} Hz, shape {x.shape}")
    nz = np.nonzero(x)[0]
    x = x[nz[0]:nz[-1] + 1]  # the copy's zero padding, never speech
    y = scipy.signal.resample_poly(x, 320, 441)
    fade = int(0.010 * RATE)
    ramp = np.linspace(0.0, 1.0, fade)
    y[:fade] *= ramp
    y[-fade:] *= ramp[::-1]
    return y


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--emodb", default=os.path.join(os.path.dirname(__file__), "../../../shared/data/emodb"))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "../../examples/samples"))
    args = ap.parse_args()
    rng = np.random.default_rng(SEED)

    placed = []  # (start sample, speaker, clip name, samples)
    t = int(LEAD_SECONDS * RATE)
    for turn_index, (speaker, clips) in enumerate(TURNS):
        if turn_index > 0:
            t += int(rng.uniform(*TURN_PAUSE) * RATE)
        for i, name in enumerate(clips):
            if i > 0:
                t += int(rng.uniform(*IN_TURN_PAUSE) * RATE)
            y = load_clip(os.path.join(args.emodb, name + ".wav"))
            placed.append((t, speaker, name, y))
            t += len(y)
    total = t + int(LEAD_SECONDS * RATE)

    voices = {CALLER: np.zeros(total), OPERATOR: np.zeros(total)}
    for start, speaker, _, y in placed:
        voices[speaker][start:start + len(y)] += y

    def noise():
        n = rng.standard_normal(total)
        b, a = scipy.signal.butter(4, 4000, fs=RATE)
        n = scipy.signal.lfilter(b, a, n)
        return n * (10 ** (NOISE_DBFS / 20) / np.sqrt(np.mean(n ** 2)))

    mono = voices[CALLER] + voices[OPERATOR] + noise()
    stereo16 = np.stack([voices[CALLER] + noise(), voices[OPERATOR] + noise()], axis=1)
    peak = max(np.max(np.abs(mono)), np.max(np.abs(stereo16)))
    gain = min(1.0, 0.89 / peak)  # -1 dBFS at most; keeps the corpus's loudness between emotions
    mono *= gain
    stereo16 *= gain
    stereo8 = scipy.signal.resample_poly(stereo16, 1, 2, axis=0)

    os.makedirs(args.out, exist_ok=True)
    sf.write(os.path.join(args.out, "sample-call.wav"), mono, RATE, subtype="PCM_16")
    sf.write(os.path.join(args.out, "sample-call-stereo.wav"), stereo8, RATE // 2, subtype="PCM_16")
    timeline = {
        "description": "Sample call assembled from EmoDB clips by tools/samples/make_sample_call.py; acted "
                       "German speech, not a real call.",
        "durationSeconds": round(total / RATE, 3),
        "gain": round(gain, 6),
        "clips": [{"clip": name + ".wav", "speaker": speaker, "emodbSpeaker": name[:2],
                   "channel": 0 if speaker == CALLER else 1, "emotion": EMOTIONS[name[5]],
                   "start": round(start / RATE, 3), "end": round((start + len(y)) / RATE, 3)}
                  for start, speaker, name, y in placed],
    }
    with open(os.path.join(args.out, "sample-call.json"), "w", encoding="utf-8") as f:
        json.dump(timeline, f, indent=2)
        f.write("\n")
    print(f"{total / RATE:.2f} s, {len(placed)} clips, gain {gain:.3f}")


if __name__ == "__main__":
    main()
