#!/usr/bin/python3
"""Reference feature vectors for sentiment-core's io.github.tingxin.core.features tests.

Run with Debian's interpreter (torch 1.13, torchaudio 0.13.1, numpy 1.24, soundfile):

    nice -n 10 /usr/bin/python3 tools/reference/features/make_reference.py \
        --emodb ../shared/data/emodb \
        --out sentiment-core/src/test/resources/reference/features

References:
  * kaldi-fbank / kaldi-mfcc: torchaudio.compliance.kaldi.fbank / .mfcc, dither 0, run in float64 on the
    float32 signal, with torchaudio's float32 floor (torch.finfo(torch.float32).eps, what Kaldi and
    torchaudio use for float input) patched in for _get_epsilon. Why float64: in float32 torchaudio's own
    rounding noise swamps the quiet mel bins of frames holding a strong tone (chirp, harmonic tone):
    float32 torchaudio differs from the exact value by up to 0.011 on log-mel and 0.04 on MFCC there, so
    no independent implementation can agree with float32 torchaudio to 1e-3 on such signals. Each case
    records that float32-vs-exact difference as "torch_float32_diff".
    Tingxin's extras are applied as documented in docs/model-package.md: waveform_scale multiplies the
    input first; lfr_m/lfr_n follow FunASR's apply_lfr (copied below); cmvn global is (x-mean)/sqrt(var),
    cmvn utterance is the same with the utterance's mean and population variance (floored at 1e-10).
    Tingxin's MFCC default use_energy is true (the recipe table), so it is passed explicitly.
  * whisper-logmel: openai-whisper's log_mel_spectrogram (audio.py) with pad_or_trim, rewritten here with
    torch.stft; the mel filterbank is torchaudio.functional.melscale_fbanks(norm='slaney',
    mel_scale='slaney'), which is librosa.filters.mel (the source of whisper's mel_filters.npz); the script
    checks it against the librosa formula written out in numpy.
  * waveform: wav2vec2 = Hugging Face Wav2Vec2FeatureExtractor.zero_mean_unit_var_norm
    ((x - mean) / sqrt(var + 1e-7)); layer-norm = torch.nn.functional.layer_norm(x, x.shape, eps=1e-5).

Output: signals.f32 and features.f32 (little-endian float32, concatenated) and index.json describing
each signal and case (offsets in floats). Whisper cases padded to many seconds store only the frames up
to the end of the signal (plus a margin) and the constant value every later frame must have ('tail').
"""
import argparse
import json
import math
import os

import numpy as np
import soundfile
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi
import torchaudio.functional as taf

torch.set_num_threads(1)


def signals(emodb):
    rng = np.random.default_rng(20261125)
    out = {}

    def add(name, x, rate):
        out[name] = (np.asarray(x, dtype=np.float32), rate)

    for rate, n in ((16000, 12000), (16000, 5019), (8000, 12345)):
        add(f"noise_{rate}_{n}", 0.1 * rng.standard_normal(n), rate)
    for rate, n in ((16000, 18000), (8000, 9000)):
        t = np.arange(n) / rate
        f0, f1, dur = 100.0, 0.45 * rate, n / rate
        phase = 2 * np.pi * (f0 * t + (f1 - f0) / (2 * dur) * t * t)
        add(f"chirp_{rate}_{n}", 0.5 * np.sin(phase), rate)
    n = 14000
    t = np.arange(n) / 16000
    tone = sum(0.3 / k * np.sin(2 * np.pi * 220 * k * t + k) for k in range(1, 8))
    add("harmonic_16000_14000", tone + 0.01 * rng.standard_normal(n), 16000)
    add("silence_16000_8000", 1e-5 * rng.standard_normal(8000), 16000)
    n = 12000
    t = np.arange(n) / 16000
    add("clipped_16000_12000", np.clip(3.0 * np.sin(2 * np.pi * 330 * t) * np.sin(2 * np.pi * 2 * t), -1, 1)
        + 0.0, 16000)
    # Real speech: EmoDB clips (22.05 kHz copies) resampled, cut to their first seconds to keep files small.
    for name, seconds, rates in (("03a01Wa.wav", 1.25, (16000, 8000)), ("08a01Ab.wav", 0.8, (16000,))):
        x, sr = soundfile.read(os.path.join(emodb, name), dtype="float32")
        wav = torch.from_numpy(x)
        for rate in rates:
            y = taf.resample(wav, sr, rate).numpy()[: int(seconds * rate)]
            add(f"emodb_{name[:7]}_{rate}", y, rate)
    return out


def whisper_filters(n_mels, n_fft, sr):
    fb = taf.melscale_fbanks(n_fft // 2 + 1, 0.0, sr / 2.0, n_mels, sr, norm="slaney", mel_scale="slaney").T
    # librosa.filters.mel written out (htk=False, norm='slaney'): the two must agree.
    def hz_to_mel(f):
        f = np.asarray(f, dtype=np.float64)
        mel = f / (200.0 / 3)
        return np.where(f >= 1000, 15.0 + np.log(np.maximum(f, 1e-10) / 1000) / (np.log(6.4) / 27), mel)

    def mel_to_hz(m):
        m = np.asarray(m, dtype=np.float64)
        return np.where(m >= 15.0, 1000 * np.exp(np.log(6.4) / 27 * (m - 15.0)), 200.0 / 3 * m)

    fftfreqs = np.linspace(0, sr / 2, 1 + n_fft // 2)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(0), hz_to_mel(sr / 2), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fftfreqs[None, :]
    w = np.zeros((n_mels, len(fftfreqs)))
    for i in range(n_mels):
        w[i] = np.maximum(0, np.minimum(-ramps[i] / fdiff[i], ramps[i + 2] / fdiff[i + 1]))
    w *= (2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels]))[:, None]
    assert np.max(np.abs(w - fb.numpy())) < 1e-6, "melscale_fbanks differs from librosa's formula"
    return fb


def whisper_logmel(x, sr, n_mels, n_fft, hop, pad_seconds):
    audio = torch.from_numpy(x)
    if pad_seconds > 0:  # whisper.audio.pad_or_trim
        length = int(round(pad_seconds * sr))
        audio = audio[:length] if audio.shape[0] > length else torch.nn.functional.pad(audio, (0, length - audio.shape[0]))
    window = torch.hann_window(n_fft)
    stft = torch.stft(audio, n_fft, hop, window=window, return_complex=True)
    magnitudes = stft[..., :-1].abs() ** 2
    mel_spec = whisper_filters(n_mels, n_fft, sr) @ magnitudes
    log_spec = torch.clamp(mel_spec, min=1e-10).log10()
    log_spec = torch.maximum(log_spec, log_spec.max() - 8.0)
    log_spec = (log_spec + 4.0) / 4.0
    return log_spec.T.contiguous().numpy()  # frames x n_mels, as Tingxin returns it


def apply_lfr(inputs, lfr_m, lfr_n):  # FunASR funasr/frontends/wav_frontend.py
    LFR_inputs = []
    T = inputs.shape[0]
    T_lfr = int(np.ceil(T / lfr_n))
    left_padding = np.tile(inputs[0], ((lfr_m - 1) // 2, 1))
    inputs = np.vstack((left_padding, inputs))
    T = T + (lfr_m - 1) // 2
    for i in range(T_lfr):
        if lfr_m <= T - i * lfr_n:
            LFR_inputs.append((inputs[i * lfr_n:i * lfr_n + lfr_m]).reshape(1, -1))
        else:
            num_padding = lfr_m - (T - i * lfr_n)
            frame = (inputs[i * lfr_n:]).reshape(-1)
            for _ in range(num_padding):
                frame = np.hstack((frame, inputs[-1]))
            LFR_inputs.append(frame.reshape(1, -1))
    return np.vstack(LFR_inputs).astype(np.float32)


_FLOAT32_EPS = torch.finfo(torch.float32).eps
kaldi._get_epsilon = lambda device, dtype: torch.tensor(_FLOAT32_EPS, device=device, dtype=dtype)

EXTRAS = ("waveform_scale", "dither_seed", "lfr_m", "lfr_n", "cmvn", "cmvn_means", "cmvn_vars")


def kaldi_features(kind, x, sr, opts, dtype=torch.float64):
    kw = {k: v for k, v in opts.items() if k not in EXTRAS}
    kw["sample_frequency"] = float(sr)
    if kind == "kaldi-mfcc" and "use_energy" not in kw:
        kw["use_energy"] = True
    wav = torch.from_numpy(x * np.float32(opts.get("waveform_scale", 1.0))).to(dtype).unsqueeze(0)
    fn = kaldi.fbank if kind == "kaldi-fbank" else kaldi.mfcc
    feats = fn(wav, **kw).numpy().astype(np.float64)
    if "lfr_m" in opts or "lfr_n" in opts:
        feats = apply_lfr(feats, opts.get("lfr_m", 1), opts.get("lfr_n", 1))
    cmvn = opts.get("cmvn", "none")
    if cmvn == "global":
        feats = (feats - np.array(opts["cmvn_means"], dtype=np.float64)) / np.sqrt(np.array(opts["cmvn_vars"]))
    elif cmvn == "utterance":
        mean = feats.mean(axis=0, dtype=np.float64)
        var = np.maximum(((feats - mean) ** 2).mean(axis=0), 1e-10)
        feats = (feats - mean) / np.sqrt(var)
    return np.asarray(feats, dtype=np.float32)


def waveform_features(x, opts):
    mode = opts.get("normalize", "none")
    if mode == "wav2vec2":
        y = (x - x.mean()) / np.sqrt(x.var() + 1e-7)
    elif mode == "layer-norm":
        t = torch.from_numpy(x)
        y = torch.nn.functional.layer_norm(t, t.shape, eps=1e-5).numpy()
    else:
        y = x
    return np.asarray(y, dtype=np.float32).reshape(-1, 1)


def cases(sigs):
    s16 = [k for k, (_, r) in sigs.items() if r == 16000]
    s8 = [k for k, (_, r) in sigs.items() if r == 8000]
    out = []
    fb, mf, wh, wf = "kaldi-fbank", "kaldi-mfcc", "whisper-logmel", "waveform"
    # Defaults and the common bin counts on every signal.
    for s in s16 + s8:
        out.append((fb, s, {}))
        out.append((mf, s, {}))
    for s in s16:
        out.append((fb, s, {"num_mel_bins": 80}))
    for s in s8:
        out.append((fb, s, {"num_mel_bins": 40}))
        out.append((mf, s, {"num_mel_bins": 40, "num_ceps": 20, "use_energy": False}))
    rich = ["harmonic_16000_14000", "noise_16000_5019", "emodb_03a01Wa_16000", "silence_16000_8000",
            "clipped_16000_12000", "chirp_8000_9000"]
    for s in rich:
        for w in ("povey", "hamming", "hanning", "rectangular", "blackman"):
            out.append((fb, s, {"window_type": w, "num_mel_bins": 40, "snip_edges": False}))
        out.append((fb, s, {"num_mel_bins": 80, "snip_edges": False, "use_energy": True}))
        out.append((fb, s, {"num_mel_bins": 40, "use_power": False}))
        out.append((fb, s, {"use_energy": True, "raw_energy": False, "htk_compat": True}))
        out.append((fb, s, {"use_energy": True, "energy_floor": 0.0, "num_mel_bins": 23}))
        out.append((mf, s, {"use_energy": False}))
        out.append((mf, s, {"snip_edges": False, "window_type": "hamming", "num_mel_bins": 40, "num_ceps": 20}))
        out.append((mf, s, {"htk_compat": True, "use_energy": False}))
        out.append((mf, s, {"htk_compat": True, "use_energy": True, "cepstral_lifter": 0.0, "raw_energy": False}))
    for s in ("emodb_03a01Wa_16000", "chirp_16000_18000"):
        out.append((fb, s, {"num_mel_bins": 80, "round_to_power_of_two": False, "blackman_coeff": 0.4,
                            "window_type": "blackman"}))
        out.append((fb, s, {"num_mel_bins": 64, "low_freq": 60.0, "high_freq": -400.0,
                            "preemphasis_coefficient": 0.0, "remove_dc_offset": False}))
        out.append((fb, s, {"num_mel_bins": 40, "frame_length": 32.0, "frame_shift": 12.5, "subtract_mean": True}))
        out.append((fb, s, {"num_mel_bins": 80, "waveform_scale": 32768.0, "dither": 0.0}))
        out.append((mf, s, {"subtract_mean": True, "high_freq": 7000.0, "frame_shift": 20.0}))
        out.append((fb, s, {"num_mel_bins": 80, "waveform_scale": 32768.0, "lfr_m": 7, "lfr_n": 6}))
        out.append((fb, s, {"num_mel_bins": 40, "cmvn": "utterance"}))
    rng = np.random.default_rng(7)
    means = [round(float(v), 4) for v in rng.normal(10.0, 2.0, 80 * 7)]
    variances = [round(float(v), 4) for v in rng.uniform(1.0, 9.0, 80 * 7)]
    out.append((fb, "emodb_03a01Wa_16000", {"num_mel_bins": 80, "waveform_scale": 32768.0, "lfr_m": 7,
                                            "lfr_n": 6, "cmvn": "global", "cmvn_means": means,
                                            "cmvn_vars": variances}))
    for s in ("noise_16000_12000", "chirp_16000_18000", "harmonic_16000_14000", "emodb_03a01Wa_16000",
              "silence_16000_8000", "clipped_16000_12000"):
        out.append((wh, s, {"pad_to_seconds": 0}))
        out.append((wh, s, {"pad_to_seconds": 0, "n_mels": 128}))
    out.append((wh, "chirp_16000_18000", {"pad_to_seconds": 1.0}))
    out.append((wh, "chirp_16000_18000", {"pad_to_seconds": 2.0, "n_mels": 128}))
    out.append((wh, "emodb_03a01Wa_16000", {}))
    out.append((wh, "harmonic_16000_14000", {"n_mels": 128, "pad_to_seconds": 30}))
    for s in ("noise_16000_5019", "emodb_03a01Wa_16000"):
        for mode in ("none", "wav2vec2", "layer-norm"):
            out.append((wf, s, {"normalize": mode}))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--emodb", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    sigs = signals(args.emodb)
    index = {"generator": "tools/reference/features/make_reference.py",
             "versions": {"torch": torch.__version__, "torchaudio": torchaudio.__version__, "numpy": np.__version__},
             "signals": [], "cases": []}
    sig_blob, feat_blob = [], []
    sig_off = feat_off = 0
    for name, (x, rate) in sigs.items():
        index["signals"].append({"name": name, "rate": rate, "offset": sig_off, "length": len(x)})
        sig_blob.append(x)
        sig_off += len(x)
    for i, (kind, sname, opts) in enumerate(cases(sigs)):
        x, rate = sigs[sname]
        if kind == "whisper-logmel":
            feats = whisper_logmel(x, rate, opts.get("n_mels", 80), 400, 160, opts.get("pad_to_seconds", 30))
        elif kind == "waveform":
            feats = waveform_features(x, opts)
        else:
            feats = kaldi_features(kind, x, rate, opts)
            torch32 = kaldi_features(kind, x, rate, opts, torch.float32)
            torch32_diff = float(np.max(np.abs(torch32 - feats))) if feats.size else 0.0
        case = {"id": i, "type": kind, "signal": sname, "options": opts, "frames": int(feats.shape[0]),
                "dim": int(feats.shape[1]), "log": kind != "waveform" and opts.get("use_log_fbank", True)}
        if kind.startswith("kaldi"):
            case["torch_float32_diff"] = torch32_diff
        stored = feats
        if kind == "whisper-logmel" and feats.shape[0] > len(x) // 160 + 4:
            keep = len(x) // 160 + 4
            tail = feats[keep:]
            value = float(tail[0, 0])
            assert np.all(tail == value), "the padded tail is not constant"
            case["tail"] = {"from": keep, "value": value}
            stored = feats[:keep]
        case["offset"] = feat_off
        case["stored_frames"] = int(stored.shape[0])
        feat_blob.append(np.ascontiguousarray(stored, dtype=np.float32).reshape(-1))
        feat_off += stored.size
        index["cases"].append(case)
    np.concatenate(sig_blob).astype("<f4").tofile(os.path.join(args.out, "signals.f32"))
    np.concatenate(feat_blob).astype("<f4").tofile(os.path.join(args.out, "features.f32"))
    with open(os.path.join(args.out, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")
    print(f"{len(index['cases'])} cases, {sig_off} signal floats, {feat_off} feature floats")


if __name__ == "__main__":
    main()
