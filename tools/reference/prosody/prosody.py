"""Interpretable prosodic features of one utterance (16 kHz, full scale 1.0).

Frame-level pitch by normalised autocorrelation (40 ms frames, 10 ms hop, 60-500 Hz, Praat's octave cost
0.01, parabolic peak interpolation, 5-frame median smoothing), frame energy, and from them utterance statistics:
pitch level/spread/range/slope (semitones re 100 Hz), energy dynamics, jitter and shimmer (frame-based
approximations of Praat's local jitter/shimmer), voicing strength (harmonicity proxy), speaking rate
(syllable nuclei per second, de Jong & Wempe style energy peaks in voiced frames), pauses, and two spectral
voice-quality measures (alpha ratio, spectral centroid).
"""
import numpy as np

SR = 16000
FRAME = 640  # 40 ms
HOP = 160  # 10 ms
F0_MIN, F0_MAX = 60.0, 500.0
VOICING = 0.45
OCTAVE_COST = 0.01

NAMES = [
    "f0_mean_st", "f0_std_st", "f0_p5_st", "f0_p95_st", "f0_range_st", "f0_slope_st_per_s", "f0_delta_abs_st",
    "voiced_fraction", "energy_mean_rel_db", "energy_std_db", "energy_range_db", "energy_slope_db_per_s",
    "energy_delta_abs_db", "jitter_local", "shimmer_local", "shimmer_db", "voicing_strength",
    "syllable_rate_per_s", "articulation_rate_per_s", "pause_count_per_s", "pause_fraction",
    "mean_pause_s", "alpha_ratio_db", "spectral_centroid_hz", "duration_s",
]


def _frames(x):
    n = 1 + max(0, (len(x) - FRAME) // HOP)
    idx = np.arange(FRAME)[None, :] + HOP * np.arange(n)[:, None]
    return x[idx]


def frame_tracks(x):
    """Per-frame f0 (Hz, 0 unvoiced), voicing strength, energy dB, peak amplitude, power spectrum."""
    x = np.asarray(x, dtype=np.float64)
    if len(x) < FRAME:
        x = np.pad(x, (0, FRAME - len(x)))
    fr = _frames(x)
    fr = fr - fr.mean(axis=1, keepdims=True)
    energy_db = 10 * np.log10(np.mean(fr ** 2, axis=1) + 1e-10)
    peak = np.abs(fr).max(axis=1)
    win = np.hanning(FRAME)
    nfft = 2048
    spec_w = np.fft.rfft(fr * win, n=nfft)
    power = np.abs(spec_w) ** 2
    # Autocorrelation of the windowed frame divided by the window's own autocorrelation (Boersma 1993).
    ac = np.fft.irfft(power, n=nfft)[:, :FRAME]
    wac = np.fft.irfft(np.abs(np.fft.rfft(win, n=nfft)) ** 2, n=nfft)[:FRAME]
    ac = ac / np.maximum(ac[:, :1], 1e-12) / (wac / wac[0])
    lo, hi = int(SR / F0_MAX), int(SR / F0_MIN)
    seg = ac[:, lo:hi + 1]
    # Praat's octave cost: prefer shorter lags by OCTAVE_COST per octave, against subharmonic picks where
    # the window's autocorrelation is small and the normalised values get noisy.
    k = np.argmax(seg - OCTAVE_COST * np.log2(F0_MIN * np.arange(lo, hi + 1) / SR), axis=1)
    strength = seg[np.arange(len(k)), k]
    lag = (k + lo).astype(np.float64)
    # Parabolic interpolation around the peak.
    kk = np.clip(k + lo, lo + 1, hi - 1)
    a, b, c = ac[np.arange(len(k)), kk - 1], ac[np.arange(len(k)), kk], ac[np.arange(len(k)), kk + 1]
    den = a - 2 * b + c
    shift = np.where(np.abs(den) > 1e-12, 0.5 * (a - c) / np.where(np.abs(den) > 1e-12, den, 1), 0.0)
    lag = kk + np.clip(shift, -0.5, 0.5)
    f0 = SR / lag
    loud = energy_db > energy_db.max() - 35.0
    voiced = (strength > VOICING) & loud
    f0 = np.where(voiced, f0, 0.0)
    # Median smoothing of voiced runs against octave jumps.
    sm = f0.copy()
    for i in range(len(f0)):
        if f0[i] > 0:
            w = f0[max(0, i - 2): i + 3]
            w = w[w > 0]
            sm[i] = np.median(w)
    return sm, np.where(voiced, strength, 0.0), energy_db, peak, power, loud


def _slope(t, v):
    if len(v) < 3:
        return 0.0
    t = t - t.mean()
    return float((t * (v - v.mean())).sum() / max((t * t).sum(), 1e-12))


def features(x):
    """The NAMES features of one utterance as a float32 vector."""
    f0, strength, edb, peak, power, loud = frame_tracks(x)
    n = len(f0)
    t = np.arange(n) * HOP / SR
    dur = len(x) / SR
    v = f0 > 0
    out = {}
    if v.sum() >= 2:
        st = 12 * np.log2(f0[v] / 100.0)
        out["f0_mean_st"] = st.mean()
        out["f0_std_st"] = st.std()
        out["f0_p5_st"], out["f0_p95_st"] = np.percentile(st, [5, 95])
        out["f0_range_st"] = out["f0_p95_st"] - out["f0_p5_st"]
        out["f0_slope_st_per_s"] = _slope(t[v], st)
        # consecutive voiced frames only
        pair = v[1:] & v[:-1]
        st_all = 12 * np.log2(np.where(v, f0, 100.0) / 100.0)
        d = np.abs(np.diff(st_all))[pair]
        out["f0_delta_abs_st"] = d.mean() if len(d) else 0.0
        periods = np.where(v, 1.0 / np.maximum(f0, 1e-6), 0.0)
        dp = np.abs(np.diff(periods))[pair]
        out["jitter_local"] = dp.mean() / periods[v].mean() if len(dp) else 0.0
        da = np.abs(np.diff(peak))[pair]
        out["shimmer_local"] = da.mean() / max(peak[v].mean(), 1e-9) if len(da) else 0.0
        ddb = np.abs(np.diff(20 * np.log10(peak + 1e-9)))[pair]
        out["shimmer_db"] = ddb.mean() if len(ddb) else 0.0
        out["voicing_strength"] = strength[v].mean()
    else:
        for k in ["f0_mean_st", "f0_std_st", "f0_p5_st", "f0_p95_st", "f0_range_st", "f0_slope_st_per_s",
                  "f0_delta_abs_st", "jitter_local", "shimmer_local", "shimmer_db", "voicing_strength"]:
            out[k] = 0.0
    out["voiced_fraction"] = v.mean()
    e = edb[loud]
    out["energy_mean_rel_db"] = e.mean() - edb.max()
    out["energy_std_db"] = e.std()
    out["energy_range_db"] = np.percentile(e, 95) - np.percentile(e, 5)
    out["energy_slope_db_per_s"] = _slope(t[loud], e)
    out["energy_delta_abs_db"] = np.abs(np.diff(edb)).mean() if n > 1 else 0.0
    # Syllable nuclei: local energy maxima in voiced frames, >= 2 dB above the preceding dip,
    # within 25 dB of the loudest frame, at least 100 ms apart.
    sm = np.convolve(edb, np.ones(5) / 5, mode="same")
    peaks, last, dip = 0, -100, sm[0] if n else 0.0
    for i in range(1, n - 1):
        dip = min(dip, sm[i])
        if sm[i] >= sm[i - 1] and sm[i] > sm[i + 1] and v[i] and sm[i] > edb.max() - 25 and sm[i] - dip >= 2.0 \
                and i - last >= 10:
            peaks += 1
            last, dip = i, sm[i]
    speech = edb > edb.max() - 30.0
    out["syllable_rate_per_s"] = peaks / max(dur, 1e-3)
    out["articulation_rate_per_s"] = peaks / max(speech.sum() * HOP / SR, 1e-3)
    # Pauses: runs of >= 100 ms of non-speech frames between the first and last speech frame.
    idx = np.nonzero(speech)[0]
    pauses = []
    if len(idx):
        inner = ~speech[idx[0]: idx[-1] + 1]
        run = 0
        for s in list(inner) + [False]:
            if s:
                run += 1
            else:
                if run >= 10:
                    pauses.append(run * HOP / SR)
                run = 0
    out["pause_count_per_s"] = len(pauses) / max(dur, 1e-3)
    out["pause_fraction"] = sum(pauses) / max(dur, 1e-3)
    out["mean_pause_s"] = float(np.mean(pauses)) if pauses else 0.0
    freqs = np.fft.rfftfreq(2048, 1 / SR)
    pw = power[loud].sum(axis=0)
    low = pw[(freqs >= 50) & (freqs < 1000)].sum()
    high = pw[(freqs >= 1000) & (freqs < 5000)].sum()
    out["alpha_ratio_db"] = 10 * np.log10((high + 1e-12) / (low + 1e-12))
    out["spectral_centroid_hz"] = float((pw * freqs).sum() / max(pw.sum(), 1e-12))
    out["duration_s"] = dur
    return np.array([out[k] for k in NAMES], dtype=np.float32)
