"""Exports the final model as Tingxin's bundled default package, writes its model card from the LOSO results,
and writes the Java equivalence fixtures (a few EmoDB clips and Python's probabilities for them).

    nice -n 10 /usr/bin/python3 recipes/train-default/export.py --arch cnn-long

Reads runs/final-<arch>.pt and runs/loso-*.json; writes
sentiment-models/src/main/resources/io/github/tingxin/models/default/{model.onnx,tingxin-model.json,MODEL_CARD.md}
and sentiment-models/src/test/resources/io/github/tingxin/models/equivalence/.
"""
import argparse
import datetime
import json
import time

import numpy as np
import onnx
import soundfile
import torch
import torchaudio

import common
import train

OPSET = 13
# Fixed equivalence set: one clip per emotion from different speakers (EmoDB, CC0), trimmed of the copy's
# zero padding, kept at the corpus rate of 22,050 Hz so the Java test exercises its resampler too.
EQUIVALENCE_CLIPS = ["03a01Wa", "08a02La", "09a05Ed", "10a01Ac", "11a05Fb", "13a02Ta", "16a04Nc", "14a04Wb"]


def build_final(arch):
    ckpt = torch.load(common.HERE / "runs" / f"final-{arch}.pt")
    model = train.build(arch, ckpt["hp"])
    model.load_state_dict(ckpt["state_dict"])
    model.eval()
    return model, ckpt


def export_onnx(model, path):
    feats = torch.randn(2, 160, 64)
    lengths = torch.tensor([160, 121], dtype=torch.int64)
    torch.onnx.export(model, (feats, lengths), str(path), input_names=["features", "lengths"],
                      output_names=["negative_logits", "emotion_logits"], opset_version=OPSET,
                      dynamic_axes={"features": {0: "batch", 1: "frames"}, "lengths": {0: "batch"},
                                    "negative_logits": {0: "batch"}, "emotion_logits": {0: "batch"}},
                      do_constant_folding=True)
    m = onnx.load(str(path))
    onnx.checker.check_model(m)
    return m


def manifest(arch, loso, seconds):
    clean, tel = loso["pooled"]["clean"], loso["pooled"]["telephone"]
    min_s = float(np.floor(min(seconds) * 10) / 10)
    emo_labels = [{"id": e[1], "english": e[2], "chinese": e[3], "negative": common.EMOTION_IS_NEGATIVE[i]}
                  for i, e in enumerate(common.EMOTIONS)]
    return {
        "formatVersion": 1,
        "name": "tingxin-emodb-cnn",
        "version": "1.0.0",
        "license": "CC0-1.0",
        "description": "Compact dilated 1-D CNN over 64-bin Kaldi log-mel fbank with masked utterance "
                       "normalisation and pooling, trained on all 10 speakers of EmoDB (acted German) with "
                       "telephone-band, mu-law, noise, gain and speed augmentation. Two heads: negative vs not "
                       "negative, and the 7 EmoDB emotions. Not validated on Chinese hotline calls; not a "
                       "clinical instrument. See MODEL_CARD.md.",
        "sampleRate": common.SAMPLE_RATE,
        "features": {"type": "kaldi-fbank", "options": common.FBANK_OPTIONS},
        "input": {"name": "features", "layout": "batch-time-feature", "lengths": "lengths", "fixedFrames": 0},
        "heads": [
            {"name": "negative", "task": "binary", "output": "negative_logits", "activation": "softmax",
             "labels": [{"id": "not_negative", "english": "not negative", "chinese": "非负面", "negative": False},
                        {"id": "negative", "english": "negative", "chinese": "负面", "negative": True}],
             "thresholds": [0.5, 0.5]},
            {"name": "emotion", "task": "multi-class", "output": "emotion_logits", "activation": "softmax",
             "labels": emo_labels},
        ],
        "negativeHead": "negative",
        "segments": {"minSeconds": min_s, "maxSeconds": 2.0},
        "provenance": {
            "trainedOn": "EmoDB (Burkhardt et al. 2005; 535 acted German clips, 10 speakers, 7 emotions; the "
                         "2.0 s / 22,050 Hz public copy described in MODEL_CARD.md), all 10 speakers",
            "metrics": f"LOSO (10 speakers), pooled over folds: binary macro-F1 {clean['binary_macro_f1']:.3f} clean / "
                       f"{tel['binary_macro_f1']:.3f} telephone; negative-class F1 {clean['negative_f1']:.3f} / "
                       f"{tel['negative_f1']:.3f}; 7-class UAR {clean['emotion_uar']:.3f} / {tel['emotion_uar']:.3f}",
            "command": "recipes/train-default/train.sh",
            "modelCard": "MODEL_CARD.md",
        },
    }


@torch.no_grad()
def python_probs(model, wav_path):
    """Tingxin's inference path in Python: load at full scale, resample to 16 kHz, fbank, model."""
    wav, sr = torchaudio.load(wav_path)
    wav = torchaudio.functional.resample(wav[0], sr, common.SAMPLE_RATE)
    f = common.fbank(wav).unsqueeze(0)
    n, e = model(f, torch.tensor([f.shape[1]], dtype=torch.int64))
    return (torch.softmax(n.double(), 1)[0].numpy(), torch.softmax(e.double(), 1)[0].numpy(), f.shape[1],
            wav.shape[0])


def equivalence_fixtures(model):
    out_dir = common.TEST_RES / "equivalence"
    out_dir.mkdir(parents=True, exist_ok=True)
    items = []
    for name in EQUIVALENCE_CLIPS:
        src = common.EMODB / f"{name}.wav"
        data, sr = soundfile.read(str(src), dtype="int16")
        keep = np.nonzero(np.abs(data.astype(np.float64) / 32768.0) > common.PAD_THRESHOLD)[0]
        data = data[keep[0]: keep[-1] + 1]
        dst = out_dir / f"{name}.wav"
        soundfile.write(str(dst), data, sr, subtype="PCM_16")
        pn, pe, frames, samples = python_probs(model, str(dst))
        items.append({"file": dst.name, "sourceFile": src.name, "sampleRate": sr, "samples16k": samples,
                      "frames": frames, "emotion_label": common.EMOTIONS[common.LETTER_TO_EMOTION[name[5]]][1],
                      "negative": [round(float(v), 7) for v in pn], "emotion": [round(float(v), 7) for v in pe]})
    # Batching must not change an answer: run all clips as one padded batch and compare.
    mats, singles = [], []
    for it in items:
        wav, sr = torchaudio.load(str(out_dir / it["file"]))
        mats.append(common.fbank(torchaudio.functional.resample(wav[0], sr, common.SAMPLE_RATE)))
    x, lengths = train.pad_batch(mats)
    with torch.no_grad():
        n, e = model(x, lengths)
    pe = torch.softmax(e.double(), 1).numpy()
    worst = max(float(np.abs(pe[i] - np.array(it["emotion"])).max()) for i, it in enumerate(items))
    if worst > 1e-5:
        raise SystemExit(f"batching changed an answer by {worst}")
    (out_dir / "python-predictions.json").write_text(json.dumps({
        "about": "Probabilities of the bundled default model on these clips, computed in Python by "
                 "recipes/train-default/export.py: torchaudio.load (full scale 1.0) -> "
                 "torchaudio.functional.resample to 16 kHz (default windowed sinc) -> "
                 "torchaudio.compliance.kaldi.fbank with the manifest's options -> the PyTorch model. The clips "
                 "are EmoDB files (CC0) with the public copy's zero padding trimmed, at 22,050 Hz.",
        "batchInvarianceMaxAbsDiff": worst, "clips": items}, indent=1, ensure_ascii=False))
    return items, worst


@torch.no_grad()
def speed(model):
    torch.set_num_threads(1)
    wav = torch.randn(32000) * 0.1
    f = common.fbank(wav).unsqueeze(0)
    lengths = torch.tensor([f.shape[1]])
    for _ in range(20):
        model(f, lengths)
    t0 = time.process_time()
    n = 200
    for _ in range(n):
        model(f, lengths)
    model_s = (time.process_time() - t0) / n
    t0 = time.process_time()
    for _ in range(n):
        common.fbank(wav)
    fbank_s = (time.process_time() - t0) / n
    return {"clip_s": 2.0, "model_ms": model_s * 1e3, "fbank_ms": fbank_s * 1e3,
            "real_time_factor_model": 2.0 / model_s, "real_time_factor_fbank_and_model": 2.0 / (model_s + fbank_s)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default="cnn-long", choices=["cnn", "cnn-long", "cnn-sa", "stats"])
    ap.add_argument("--card-only", action="store_true",
                    help="only re-render MODEL_CARD.md from the package manifest, runs/loso-*.json and runs/export-info.json")
    args = ap.parse_args()
    if args.card_only:
        import card
        loso = {a: json.loads((common.HERE / "runs" / f"loso-{a}.json").read_text())
                for a in ["cnn", "cnn-long", "cnn-sa", "stats", "prosody"] if (common.HERE / "runs" / f"loso-{a}.json").exists()}
        man = json.loads((common.PACKAGE_DIR / "tingxin-model.json").read_text())
        info = json.loads((common.HERE / "runs" / "export-info.json").read_text())
        (common.PACKAGE_DIR / "MODEL_CARD.md").write_text(card.render(args.arch, man, loso, info))
        return
    model, ckpt = build_final(args.arch)
    common.PACKAGE_DIR.mkdir(parents=True, exist_ok=True)
    onnx_path = common.PACKAGE_DIR / "model.onnx"
    export_onnx(model, onnx_path)
    loso = {a: json.loads((common.HERE / "runs" / f"loso-{a}.json").read_text())
            for a in ["cnn", "cnn-long", "cnn-sa", "stats", "prosody"] if (common.HERE / "runs" / f"loso-{a}.json").exists()}
    if args.arch not in loso:
        raise SystemExit(f"run the LOSO evaluation first: train.py loso --arch {args.arch}")
    man = manifest(args.arch, loso[args.arch], ckpt["seconds"])
    (common.PACKAGE_DIR / "tingxin-model.json").write_text(json.dumps(man, indent=2, ensure_ascii=False) + "\n")
    items, worst = equivalence_fixtures(model)
    sp = speed(model)
    n_params = sum(p.numel() for p in model.parameters())
    info = {"onnx_bytes": onnx_path.stat().st_size, "parameters": n_params, "speed": sp,
            "torch": torch.__version__, "torchaudio": torchaudio.__version__, "opset": OPSET,
            "date": datetime.date.today().isoformat(), "batch_invariance": worst, "equivalence_clips": [i["file"] for i in items]}
    (common.HERE / "runs" / "export-info.json").write_text(json.dumps(info, indent=1))
    import card
    (common.PACKAGE_DIR / "MODEL_CARD.md").write_text(card.render(args.arch, man, loso, info))
    print(json.dumps(info, indent=1))


if __name__ == "__main__":
    main()
