"""Renders MODEL_CARD.md from the LOSO results and the export facts (no figure is typed by hand)."""
import common

TARGETS = {("clean", "binary_macro_f1"): 0.85, ("telephone", "binary_macro_f1"): 0.80, ("clean", "emotion_uar"): 0.65}
ARCH_NAMES = {
    "cnn": "compact dilated 1-D CNN over 64-bin Kaldi log-mel fbank (+ utterance fbank mean/std)",
    "cnn-long": "the same CNN trained for 45 epochs instead of 30",
    "cnn-sa": "the same CNN trained with SpecAugment-style band and frame masking",
    "stats": "MLP over utterance fbank statistics only (per-bin mean and std of log-mel)",
    "prosody": "MLP over 25 interpretable prosodic features (pitch, energy, jitter, shimmer, rate, pauses)",
}


def _f(x):
    return f"{x:.3f}"


def _mark(ch, key, v):
    t = TARGETS.get((ch, key))
    if t is None:
        return _f(v)
    return f"{_f(v)} ({'meets' if v >= t else 'MISSES'} {t:.2f})"


def render(arch, man, loso, info):
    L = []
    a = L.append
    chosen = loso[arch]
    a(f"# Model card: {man['name']} {man['version']} (Tingxin's bundled default model)\n")
    a("**Read this first.** This model was trained and evaluated only on EmoDB: acted German speech by 10 actors, "
      "recorded clean in a studio, each clip at most 2 s. It has **NOT been validated on Chinese hotline calls** "
      "(or on any real calls) and it is **NOT a clinical instrument**: it does not assess suicide risk, "
      "diagnose anything, or replace a trained counsellor's judgement. Treat its scores as a weak, "
      "uncalibrated cue about how a voice sounds, to be replaced by a model fine-tuned and validated on your own "
      "consented, in-domain data (see *Replacing this model*).\n")
    a("## What it predicts\n")
    a("For every speech segment (the segmenter cuts speech to "
      f"{man['segments']['minSeconds']}-{man['segments']['maxSeconds']} s, the lengths it was trained on):\n")
    a("| head | output | labels (English / 中文) |")
    a("|---|---|---|")
    for h in man["heads"]:
        labels = ", ".join(f"{l['id']} ({l['english']} / {l['chinese']}{', negative' if l['negative'] else ''})"
                           for l in h["labels"])
        a(f"| `{h['name']}` ({h['task']}, {h['activation']}) | `{h['output']}` | {labels} |")
    a("")
    a("`negativeHead` is the binary head `negative`: Tingxin's negative-emotion probability of a segment is its "
      "softmax probability of `negative`.\n")
    a("* **Negative** = anger, disgust, fear, sadness (as specified) **and boredom**. Not negative = neutral, "
      "happiness. Why boredom counts as negative: in Russell's circumplex boredom is low-arousal, "
      "negative-valence affect, and on a support line flat, disengaged, bored-sounding speech is closer to the "
      "withdrawn, low-energy speech that counsellors watch for than to reassurance; reporting it as 'not "
      "negative' would be the riskier error. Acoustically EmoDB boredom is close to sadness and neutral, so the "
      "binary figures below are also given without the boredom clips.")
    a("* **No arousal/valence head.** EmoDB has no measured (rated) arousal or valence, only categories. A "
      "dimensional head trained on a categorical-to-dimensional mapping would merely restate the category in "
      "other units while looking like a measurement, so none is shipped.\n")
    a("## Data and licence\n")
    a("* EmoDB, the Berlin Database of Emotional Speech: Burkhardt, Paeschke, Rolfes, Sendlmeier, Weiss, \"A "
      "Database of German Emotional Speech\", Interspeech 2005. 535 utterances, 10 actors (5 female, 5 male), "
      "7 emotions (anger 127, boredom 81, disgust 46, fear 69, happiness 71, sadness 62, neutral 79). Licence "
      "CC0-1.0 as declared by audEERING's packaging (audb `emodb` 1.1.0); the model weights are released as "
      "CC0-1.0 too.")
    a("* The audio used is a public, altered copy (the `wav/` folder of GitHub sylaschacko/voice-emotion-analysis "
      "at commit 4b0f64c947b84beb43c8b1a7e7a6597a04902f02): every clip cut or zero-padded to exactly 2.0 s and "
      "upsampled to 22,050 Hz. The recipe resamples each clip to 16 kHz (torchaudio's default windowed-sinc "
      f"resampler) and then trims the leading and trailing padding (samples with |x| < {common.PAD_THRESHOLD}), "
      "so padding is never treated as speech. Utterances longer than 2.0 s were already cut in that copy.")
    a("* Labels come from the file names (character 6: W anger, L boredom, E disgust, A fear, F happiness, "
      "T sadness, N neutral), never from that repository's CSV, which is wrong.\n")
    a("## Features, architecture, size, speed\n")
    a("* Input: `torchaudio.compliance.kaldi.fbank` on 16 kHz audio at full scale 1.0 with exactly the manifest's "
      "`features.options` (64 mel bins, 25 ms / 10 ms, povey window, dither 0, snip_edges, cmvn none). Tingxin's "
      "Java `kaldi-fbank` extractor computes the same features.")
    a("* The graph takes `features` [batch, frames, 64] and int64 `lengths` [batch] and masks everything to the "
      "valid frames: it normalises each utterance itself (per-bin mean and variance over valid frames), runs "
      "three 1-D convolutions (64 channels, kernel 5, dilations 1, 2, 3, batch norm, ReLU), pools the masked mean "
      "and standard deviation over time, adds the utterance's per-bin fbank mean and standard deviation (spectral "
      "tilt and dynamics), and ends in a 64-unit layer and the two heads. Padding a batch does not change an "
      f"answer (checked at export: max difference {info.get('batch_invariance', 0.0):.1e}).")
    sp = info["speed"]
    a(f"* {info['parameters']:,} parameters; `model.onnx` is {info['onnx_bytes'] / 1e6:.2f} MB (opset "
      f"{info['opset']}). Speed in PyTorch {info['torch']} with one thread, as CPU time on the training "
      f"machine (2 shared cores, heavily loaded while measured, so a pessimistic figure): "
      f"{sp['model_ms']:.2f} ms per 2 s segment for the network = "
      f"{sp['real_time_factor_model']:.0f}x real time, {sp['real_time_factor_fbank_and_model']:.0f}x with the "
      "fbank (PyTorch's per-operator overhead dominates so small a network). Tingxin's JMH benchmarks measure "
      "the Java pipeline with ONNX Runtime.")
    import json
    js_path = common.HERE / "runs" / "java-speed.json"
    if js_path.exists():
        js = json.loads(js_path.read_text())
        worst_model = max(js["model_cpu_ms"])
        worst_total = max(m + f for m, f in zip(js["model_cpu_ms"], js["fbank_cpu_ms"]))
        worst_wall = max(js["model_wall_ms"])
        a(f"* Speed in Tingxin's Java pipeline ({js['what']}): network {min(js['model_cpu_ms']):.2f}-"
          f"{worst_model:.2f} ms CPU = at least {2000 / worst_model:.0f}x real time; with the fbank at least "
          f"{2000 / worst_total:.0f}x real time (issue target: 500x on one core). Even the network's wall time on the "
          f"loaded machine ({worst_wall:.2f} ms at worst) is {2000 / worst_wall:.0f}x real time. Measured "
          f"{js['date']} with `{js['command']}`.\n")
    a("## Training\n")
    a("* Augmentation for hotline audio: every clip is cached clean, through the evaluation telephone channel, "
      "and in 4 seeded random renditions (speed 0.9-1.1 with p 0.7; white/pink/brown noise at 5-30 dB SNR with "
      "p 0.7; gain -20..+6 dB with clipping; telephone channel with p 0.6: 8 kHz, 300-3400 Hz band "
      "(edges jittered by +-50/100 Hz), mu-law round trip with p 0.85). Each epoch visits every clip once in a "
      "randomly chosen rendition.")
    hp = chosen["hyper_parameters"]
    a(f"* Loss: class-weighted cross-entropy on both heads, summed. AdamW (lr {hp['lr']}, weight decay "
      f"{hp['weight_decay']}, one-cycle schedule), batch {hp['batch']}, {hp['epochs']} epochs, dropout "
      f"{hp['dropout']}. Seeded; CPU, one thread; torch {info['torch']}, torchaudio {info['torchaudio']}. Checked: "
      "training the final model twice gave bit-identical weights, and re-running the prosodic LOSO gave "
      "identical predictions.")
    a("* The shipped model is trained on all 10 speakers with the architecture and hyper-parameters chosen by the "
      "leave-one-speaker-out comparison below.\n")
    a("## Evaluation: leave-one-speaker-out (LOSO), 10 folds\n")
    a("Each fold trains on 9 speakers (all their renditions) and tests on the 10th speaker's clips, clean and "
      "through the telephone channel (16 kHz -> 8 kHz, 300-3400 Hz band, mu-law round trip -> 16 kHz; no noise). "
      "Figures are pooled over the 535 held-out predictions (per-fold means in brackets). No random split was "
      "used anywhere. Targets from issue 7: binary macro-F1 >= 0.85 clean and >= 0.80 telephone, 7-class "
      "UAR >= 0.65 clean.\n")
    a("| model | channel | binary macro-F1 | negative-class F1 | 7-class UAR | binary macro-F1 without boredom clips |")
    a("|---|---|---|---|---|---|")
    for name in ["cnn", "cnn-long", "cnn-sa", "stats", "prosody"]:
        if name not in loso:
            continue
        r = loso[name]
        for ch in ["clean", "telephone"]:
            p, fm = r["pooled"][ch], r[ch + "_fold_mean"]
            star = " (shipped)" if name == arch else ""
            a(f"| {name}{star}: {ARCH_NAMES[name]} | {ch} | {_mark(ch, 'binary_macro_f1', p['binary_macro_f1'])} "
              f"[{_f(fm['binary_macro_f1'])}] | {_f(p['negative_f1'])} [{_f(fm['negative_f1'])}] | "
              f"{_mark(ch, 'emotion_uar', p['emotion_uar'])} [{_f(fm['emotion_uar'])}] | "
              f"{_f(p['binary_macro_f1_without_boredom_clips'])} |")
    a("")
    others = [n for n in loso if n != arch]
    best_everywhere = all(loso[arch]["pooled"][ch][k] >= loso[o]["pooled"][ch][k] for o in others
                          for ch in ["clean", "telephone"] for k in ["binary_macro_f1", "negative_f1", "emotion_uar"])
    a(f"**Choice:** `{arch}` is shipped" + (" because it is best on every figure in the table." if best_everywhere
      else ": it has the highest 7-class UAR, clean and telephone, and its binary figures are within a few "
      "thousandths of the best.") + " The prosodic-feature classifier could not be "
      "shipped as the graph anyway: a package's input must be one of Tingxin's feature recipes (fbank here). "
      "Honest note on selection: the CNN's hyper-parameters were changed once after seeing two LOSO folds of a "
      "first configuration (no time pooling, 40 epochs; held-out speakers 03 and 08: clean UAR 0.463 and 0.534), "
      "mainly to make training fast enough for the shared machine; the figures of the final configuration are "
      "therefore slightly optimistic, and so are those of whichever variant is shipped, since it was picked as the "
      "best of the three CNN configurations in the table (`cnn`, `cnn-long`, `cnn-sa`) on the same 10 speakers. "
      "Nothing else was tuned on the LOSO results.\n")
    a("Commands (from the repository root; each writes `recipes/train-default/runs/loso-<model>.json` with the "
      "per-clip probabilities, per-fold figures and confusion matrices):\n")
    a("```")
    a("nice -n 10 /usr/bin/python3 recipes/train-default/features.py --augment 4")
    for name in ["cnn", "cnn-long", "cnn-sa", "stats", "prosody"]:
        if name in loso:
            a(loso[name]["command"])
    a("```\n")
    a(f"Per speaker, shipped architecture ({arch}):\n")
    a("| held-out speaker | clean binary macro-F1 | clean 7-class UAR | telephone binary macro-F1 | telephone 7-class UAR |")
    a("|---|---|---|---|---|")
    for spk, f in chosen["per_fold"].items():
        a(f"| {spk} | {_f(f['clean']['binary_macro_f1'])} | {_f(f['clean']['emotion_uar'])} | "
          f"{_f(f['telephone']['binary_macro_f1'])} | {_f(f['telephone']['emotion_uar'])} |")
    a("")
    names = [e[1] for e in common.EMOTIONS]
    for ch in ["clean", "telephone"]:
        a(f"7-class confusion, {ch} (rows = truth, columns = prediction; {', '.join(names)}):\n")
        a("| truth \\ predicted | " + " | ".join(names) + " | recall |")
        a("|---" * (len(names) + 2) + "|")
        for i, row in enumerate(chosen["pooled"][ch]["emotion_confusion"]):
            a(f"| {names[i]} | " + " | ".join(str(v) for v in row) + f" | {row[i] / max(1, sum(row)):.2f} |")
        a("")
    a("## Preprocessing at inference equals training\n")
    a("`sentiment-models/src/test/java/io/github/tingxin/models/BundledDefaultModelTest.java` runs the shipped "
      "package through Tingxin's Java pipeline (WavReader -> Resampler -> `kaldi-fbank` extractor found with "
      "`FeatureExtractorProvider` -> ONNX Runtime backend) on EmoDB clips committed beside it "
      f"({', '.join(info['equivalence_clips'])}; trimmed of the copy's padding, 22,050 Hz) and compares with the "
      "probabilities Python computed for the same files (`python-predictions.json`, written by `export.py`): "
      "same top class and probabilities within 1e-3 (one by one and as one padded batch; the largest difference "
      "seen when the test was written was 3e-6).\n")
    a("The prosodic baseline's features are available in Java as "
      "`io.github.tingxin.core.prosody.ProsodicFeatures` (sentiment-core), tested against `prosody.py` on EmoDB "
      "clips (`sentiment-models/src/test/java/io/github/tingxin/models/ProsodicFeaturesTest.java`); the shipped "
      "model does not use them.\n")
    a("## Limitations\n")
    a("* Acted, exaggerated emotions by 10 German actors reading neutral sentences; real callers' emotions are "
      "spontaneous, mixed, often subtle, and in other languages (Mandarin and dialects). Expect much lower "
      "accuracy on real calls; nothing here measures it.")
    a("* Clips are at most 2 s (the public copy cut longer utterances), so the model saw 1.2-2.0 s segments (1.1-2.2 s "
      "with speed augmentation); longer speech is scored in 2 s pieces and aggregated by Tingxin.")
    a("* Only 10 speakers: figures have wide uncertainty (see the per-speaker spread). Speakers' age range is "
      "21-35; children, older adults and pathological voices are absent.")
    a("* The telephone figures use a simulated channel (band-limit and mu-law), not real networks, codecs "
      "(AMR, Opus), packet loss, echo or real background noise; the training noise is synthetic coloured noise.")
    a("* Probabilities are not calibrated. The 0.5 thresholds are defaults, not tuned operating points.")
    a("* Fairness across sex, age, accent and language has not been assessed.\n")
    a("## Replacing this model\n")
    a("Fine-tune or train a model on consented, in-domain, properly labelled calls, validate it by speaker (and "
      "by call) on held-out data, and export it to a Tingxin package with the export recipe (`recipes/export`, "
      "see `docs/model-package.md`): `model.onnx` + `tingxin-model.json` (its `features` recipe must be the one "
      "used in training) + its own `MODEL_CARD.md`. Then load it with `ModelPackage.load(Path)` (a directory or "
      "zip) or `ModelPackage.fromClasspath(...)` instead of `ModelPackage.bundledDefault()`, and drop the "
      "`sentiment-models` dependency. To retrain this model: `sh recipes/train-default/train.sh`.\n")
    a("## Provenance\n")
    a(f"* Recipe: `recipes/train-default/` (features.py, train.py, export.py), command `{man['provenance']['command']}`, "
      f"exported {info['date']}.")
    a("* Hyper-parameters: " + ", ".join(f"{k} {v}" for k, v in hp.items()) + f"; seed {chosen['seed']}.")
    return "\n".join(L) + "\n"
