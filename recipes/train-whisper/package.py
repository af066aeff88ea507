"""Exports the final model as Tingxin's bundled default package and writes the Java equivalence fixtures.

    nice -n 10 /usr/bin/python3 recipes/train-whisper/package.py --name NAME

Reads runs/final-NAME.pt (evaluate.py final) and the encoder from the cache; writes
sentiment-models/src/main/resources/io/github/tingxin/models/default/{model.onnx,tingxin-model.json}
(the model card is written by card.py), sentiment-models/src/test/resources/io/github/tingxin/models/equivalence/
(EmoDB clips and python-predictions.json, which also lists the CASIA clips the Java test reads from
../shared/data/casia) and runs/export-info.json.

Before writing anything it checks that (1) the graph's pooled states equal the embedding cache the head was
trained on, (2) a padded batch of clips of mixed lengths gives each clip's answer alone (within 1e-4), and
(3) ONNX Runtime is not needed here: the Java test runs the exported graph.

It also writes the package's static int8 twin, ``.../models/default-int8/`` (``ModelPackage.bundledDefaultInt8()``,
the CLI's ``--model default-int8``): the same manifest and heads, the encoder blocks' MatMuls in int8 (int8.py:
weights per output column, activations with the fixed ranges of runs/activation-ranges.json), and, in the
fixtures, each clip's probabilities from int8.py's emulation of that graph (``negativeInt8``, ``emotionInt8``).
"""
import argparse
import copy
import datetime
import json
import sys
from pathlib import Path

import numpy as np
import onnx
import soundfile
import torch
import torchaudio

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE.parent / "export"))
import tingxin_export as tx  # noqa: E402
import data  # noqa: E402
import embed  # noqa: E402
import heads  # noqa: E402
import int8  # noqa: E402
import model as mdl  # noqa: E402

PACKAGE_DIR = REPO / "sentiment-models/src/main/resources/io/github/tingxin/models/default"
INT8_DIR = PACKAGE_DIR.parent / "default-int8"
FIXTURES = REPO / "sentiment-models/src/test/resources/io/github/tingxin/models/equivalence"
NAME = "tingxin-whisper-tiny-emotion"
VERSION = "1.2.0"
LICENSE = "LicenseRef-non-commercial-research-only"
# Java equivalence set: EmoDB clips (CC0) committed, trimmed of the copy's zero padding, kept at 22,050 Hz so
# the Java test exercises its resampler; CASIA clips (research only) read from ../shared/data/casia.
EMODB_CLIPS = ["03a01Wa", "08a02La", "09a05Ed", "10a01Ac", "11a05Fb", "13a02Ta", "16a04Nc", "14a04Wb"]
CASIA_CLIPS = ["liuchanhg/angry/201.wav", "liuchanhg/neutral/214.wav", "wangzhe/sad/226.wav",
               "wangzhe/happy/238.wav", "zhaoquanyin/fear/243.wav", "ZhaoZuoxiang/surprise/249.wav"]
PAD_THRESHOLD = 1e-4


def load_final(name):
    ckpt = torch.load(HERE / "runs" / f"final-{name}.pt")
    cfg = heads.HeadConfig(**ckpt["config"])
    model = mdl.build(embed.CACHE / "whisper-tiny-en-encoder.pt", ckpt["state_dict"], cfg)
    return model, cfg, ckpt


def python_features(path):
    """Tingxin's inference path in Python: full scale, resample to 16 kHz, whisper-logmel of the clip."""
    x, sr = soundfile.read(str(path), dtype="float32", always_2d=True)
    wav = torch.from_numpy(x[:, 0].copy())
    if sr != data.SAMPLE_RATE:
        wav = torchaudio.functional.resample(wav, sr, data.SAMPLE_RATE)
    return embed.logmel(wav).T.contiguous(), wav.shape[0]  # [frames, 80], as Tingxin returns it


@torch.no_grad()
def probabilities(model, feats):
    x, lengths = tx.to_model_input([feats], mdl.LAYOUT)
    n, e = model(x, lengths)
    return torch.softmax(n.double(), 1)[0].numpy(), torch.softmax(e.double(), 1)[0].numpy()


def check_against_cache(model, cfg, n=12):
    """The graph's pooled states for clean clips equal the cache's (float16) within rounding."""
    cache = torch.load(embed.CACHE / "embeddings.pt")
    clips = cache["clips"]
    rng = np.random.default_rng(1)
    worst = 0.0
    for i in rng.choice(len(clips), n, replace=False):
        wav = data.trim_silence(data.load_16k(clips[i]["path"]))
        mel = embed.logmel(wav)
        with torch.no_grad():
            pooled = model.backbone(mel[None], torch.tensor([mel.shape[1]]))[0]
        want = heads.features(cache["emb"][i, 0], cfg.depths, cfg.stats)
        worst = max(worst, float(((pooled - want).abs() / (want.abs() + 1)).max()))
    if worst > 5e-3:
        raise SystemExit(f"the graph's pooled states differ from the training cache by {worst}")
    return worst


RENDITION_TEXT = {"telephone": "through a simulated telephone channel",
                  "aug0": "in one random hotline rendition (speed, 5-30 dB noise, gain with clipping, telephone band)"}


def training_text(train_renditions):
    """What the manifest says the head was trained on (evaluate.py's --train-renditions)."""
    if train_renditions == "clean":
        return ", clean audio only"
    if train_renditions == "all":
        return ", clean and, for CASIA, EmoDB and TESS, through a simulated telephone channel"
    extra = [RENDITION_TEXT[r] for r in train_renditions.split(",") if r != "clean"]
    if len(extra) == 1:
        return f", each clip clean and {extra[0]}"
    return ", each clip clean, " + ", ".join(extra[:-1]) + f", and {extra[-1]}"


def manifest_spec(cfg, info, min_seconds, max_seconds, train_renditions):
    depth_text = ", ".join(str(d) for d in cfg.depths)
    head_text = "a linear layer per head" if not cfg.hidden else f"a {cfg.hidden}-unit GELU layer and two linear outputs"
    return tx.PackageSpec(
        name=NAME, version=VERSION, license=LICENSE,
        description=("OpenAI Whisper tiny.en encoder (frozen, float32, run at the segment's own length and cut after "
                     f"block {max(cfg.depths)}) with mean and standard deviation pooling of the residual stream at "
                     f"depth {depth_text} over the valid frames and {head_text}: a calibrated negative-vs-not head and "
                     "an 8-emotion head. Trained on eight acted corpora in six languages (CASIA Mandarin, EmoDB, RAVDESS, "
                     "TESS, SAVEE, nEMO, ASED, TurEV-DB)" + training_text(train_renditions) + ". "
                     "Non-commercial research use only; not validated on real hotline calls; not a clinical instrument. "
                     "See MODEL_CARD.md."),
        sample_rate=data.SAMPLE_RATE,
        features={"type": "whisper-logmel", "options": dict(embed.WHISPER)},
        fixed_frames=0, negative_head="negative", min_seconds=min_seconds, max_seconds=max_seconds,
        short_input="as-is",  # the encoder runs at any length: a short turn is scored as it is
        trained_on=("CASIA (4-speaker public subset), EmoDB, RAVDESS speech, TESS, SAVEE, nEMO, ASED v1, TurEV-DB: "
                    "15,145 acted clips, 124 speakers, Mandarin, German, English, Polish, Amharic, Turkish; see MODEL_CARD.md"),
        metrics=info, command="sh recipes/train-whisper/train.sh")


def int8_twin(model, spec_json):
    """Writes INT8_DIR (model.onnx in static int8, the manifest renamed) and returns the emulating model and
    the twin's facts; the card is card.py's."""
    ranges = int8.load_ranges()
    INT8_DIR.mkdir(parents=True, exist_ok=True)
    by_initializer = int8.onnx_ranges(PACKAGE_DIR / "model.onnx", model.backbone.encoder, ranges)
    n = tx.quantize_int8(str(PACKAGE_DIR / "model.onnx"), str(INT8_DIR / "model.onnx"), per_channel=True,
                                 activation_ranges=by_initializer)
    manifest = json.loads(spec_json)
    manifest["name"] += "-int8"
    manifest["description"] = (
        f"Static int8 twin of {NAME} {VERSION}: the same graph with the encoder blocks' {n} matrix products in "
        "int8 (weights per output column, activations in fixed ranges calibrated on speech), about 1.5x less CPU "
        "per segment; its scores differ from the float model's by the amounts its card gives (section 'int8 "
        "twin'). " + manifest["description"])
    (INT8_DIR / "tingxin-model.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    card = PACKAGE_DIR / "MODEL_CARD.md"
    if card.exists() and not (INT8_DIR / "MODEL_CARD.md").exists():  # a package needs its card; card.py rewrites it
        (INT8_DIR / "MODEL_CARD.md").write_text(f"> The int8 twin of {NAME}: see the float model's card.\n\n" + card.read_text())
    emulated = copy.deepcopy(model)
    int8.quantize_(emulated.backbone.encoder, ranges)
    return emulated, {"matmuls_quantised": n, "bytes": (INT8_DIR / "model.onnx").stat().st_size,
                      "activation_ranges": "runs/activation-ranges.json"}


def equivalence_fixtures(model, emulated_int8):
    FIXTURES.mkdir(parents=True, exist_ok=True)
    items, feats = [], []
    for name in EMODB_CLIPS:
        src = data.EMODB / f"{name}.wav"
        pcm, sr = soundfile.read(str(src), dtype="int16")
        keep = np.nonzero(np.abs(pcm.astype(np.float64) / 32768.0) > PAD_THRESHOLD)[0]
        dst = FIXTURES / f"{name}.wav"
        soundfile.write(str(dst), pcm[keep[0]: keep[-1] + 1], sr, subtype="PCM_16")
        items.append({"file": dst.name, "source": f"EmoDB {src.name} (CC0), zero padding trimmed", "path": dst})
    for rel in CASIA_CLIPS:
        items.append({"casia": rel, "source": f"CASIA {rel} (read from ../shared/data/casia, never committed)",
                      "path": data.CASIA / rel})
    for it in items:
        f, samples = python_features(it.pop("path"))
        feats.append(f)
        pn, pe = probabilities(model, f)
        qn, qe = probabilities(emulated_int8, f)
        it.update({"samples16k": samples, "frames": f.shape[0], "negative": [round(float(v), 7) for v in pn],
                   "emotion": [round(float(v), 7) for v in pe], "negativeInt8": [round(float(v), 7) for v in qn],
                   "emotionInt8": [round(float(v), 7) for v in qe]})
    worst = tx.check_padding_invariance(model, feats, mdl.LAYOUT, atol=1e-4)
    for f in FIXTURES.glob("*.wav"):
        if f.stem not in EMODB_CLIPS:
            f.unlink()  # clips of the previous default model's fixture set
    (FIXTURES / "python-predictions.json").write_text(json.dumps({
        "about": "Probabilities of the bundled default model, computed in Python by recipes/train-whisper/package.py: "
                 "soundfile (full scale 1.0, first channel) -> torchaudio.functional.resample to 16 kHz (default "
                 "windowed sinc) -> whisper-logmel (openai-whisper's log_mel_spectrogram without 30 s padding: "
                 "80 Slaney mel bins, n_fft 400, hop 160, last frame dropped, floor 8 below the segment's maximum, "
                 "(x + 4) / 4) -> the PyTorch model, each clip alone. 'file' clips are committed beside this file; "
                 "'casia' clips are read from ../shared/data/casia. negativeInt8 / emotionInt8: the same through "
                 "recipes/train-whisper/int8.py's emulation of the static int8 twin (default-int8).",
        "emotions": data.EMOTIONS, "batchInvarianceMaxAbsDiff": worst, "clips": items}, indent=1, ensure_ascii=False) + "\n")
    return items, worst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--min-seconds", type=float, default=1.0)
    ap.add_argument("--max-seconds", type=float, default=6.0)
    args = ap.parse_args()
    torch.set_num_threads(1)
    model, cfg, ckpt = load_final(args.name)
    cache_diff = check_against_cache(model, cfg)
    loco = json.loads((HERE / "runs" / f"loco-{args.name}.json").read_text())["summary"]
    aucs = {c: loco[c]["clean"]["auc"] for c in data.CORPUS_ORDER}
    metrics = ("leave-one-corpus-out AUC (negative vs not, clean): "
               + ", ".join(f"{c} {a:.3f}" for c, a in aucs.items()) + "; full tables in MODEL_CARD.md")
    spec = manifest_spec(cfg, metrics, args.min_seconds, args.max_seconds, ckpt["train_renditions"])
    mels = [torch.randn(80, 230), torch.randn(80, 157)]
    x, lengths = tx.to_model_input([m.T for m in mels], mdl.LAYOUT)
    card_stub = PACKAGE_DIR / "MODEL_CARD.md"
    old_card = card_stub.read_text() if card_stub.exists() else None
    man = tx.export_package(model, spec, str(PACKAGE_DIR), x, lengths, random_weights=False)
    if old_card is not None:
        card_stub.write_text(old_card)  # card.py writes the real card
    onnx_path = PACKAGE_DIR / "model.onnx"
    graph = onnx.load(str(onnx_path))
    emulated_int8, int8_info = int8_twin(model, (PACKAGE_DIR / "tingxin-model.json").read_text())
    items, worst = equivalence_fixtures(model, emulated_int8)
    info = {"name": args.name, "onnx_bytes": onnx_path.stat().st_size,
            "parameters": sum(p.numel() for p in model.parameters()),
            "encoder_blocks_kept": model.backbone.n_blocks, "depths": cfg.depths,
            "inputs": [{"name": i.name, "shape": [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]}
                       for i in graph.graph.input],
            "outputs": [{"name": o.name, "shape": [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim]}
                        for o in graph.graph.output],
            "opset": tx.OPSET, "cache_vs_graph_max_rel_diff": cache_diff, "batch_invariance_max_abs_diff": worst,
            "calibration": ckpt["calibration"], "segments": man["segments"],
            "torch": torch.__version__, "torchaudio": torchaudio.__version__, "onnx": onnx.__version__,
            "date": datetime.date.today().isoformat(), "equivalence_clips": [i.get("file") or i["casia"] for i in items]}
    info["int8_twin"] = int8_info
    (HERE / "runs" / "export-info.json").write_text(json.dumps(info, indent=1) + "\n")
    print(json.dumps(info, indent=1))


if __name__ == "__main__":
    main()
