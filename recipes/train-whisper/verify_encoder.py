"""Checks the float32 PyTorch re-implementation of Whisper tiny.en's encoder (encoder.py's state dict in
``tingxin_export.WhisperEncoderBackbone``) against the original int8 graph run in ONNX Runtime Java.

    nice -n 10 /usr/bin/python3 recipes/train-whisper/verify_encoder.py

Inputs: Whisper log-mel (30 s padded, as the original was trained) of real speech (two EmoDB clips, German;
two CASIA clips, Mandarin) and a synthetic harmonic sweep with noise.

1. End to end: the original quantises activations to uint8 at run time (DynamicQuantizeLinear before every
   int8 MatMul), the float32 re-implementation does not, so the two cannot be equal: per clip the cosine
   similarity and the largest absolute difference of the hidden states and of their mean over the speech
   frames are recorded (the script fails below cosine 0.99).
2. Stage by stage, which proves every weight: intermediate tensors of the original are added as graph
   outputs; each stage of the re-implementation is fed the original's own input to that stage and must give
   its output. Float stages (convolutions + positional embedding; layer norm + Q/K/V attention) within 1e-3;
   int8 stages (attention output projection, fc1 + GELU, fc2) computed as the original computes them
   (uint8 activation quantisation, integer matrix product, rescale), within 1e-3 on at least 99.9 % of the
   values (a value whose quotient x / scale lies within float rounding of .5 can round the other way).
Writes runs/encoder-verification.json.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import helper, numpy_helper

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "export"))
import tingxin_export as tx  # noqa: E402
import data  # noqa: E402

ORT_JAR = Path.home() / ".m2/repository/com/microsoft/onnxruntime/onnxruntime/1.23.2/onnxruntime-1.23.2.jar"
E = "e_/whisper_encoder/encoder/"
LAYERS = 4


def stage_names():
    names = [E + "Add_2_output_0"]
    for i in range(LAYERS):
        p = f"{E}layers.{i}/"
        names += [p + "self_attn/Reshape_7_output_0", p + "Add_output_0", p + "final_layer_norm/LayerNormalization_output_0",
                  p + "activation_fn/Mul_1_output_0"]
        if i < LAYERS - 1:
            names.append(p + "Add_1_output_0")
    return names


def clips_to_check():
    clips = [(f"emodb/{n}", data.load_16k(data.EMODB / n)) for n in ("03a01Wa.wav", "16b10Tb.wav")]
    clips += [(f"casia/{n}", data.load_16k(data.CASIA / n)) for n in ("liuchanhg/sad/201.wav", "wangzhe/angry/230.wav")]
    t = torch.arange(48000) / 16000.0
    rng = np.random.default_rng(20261205)
    f0 = 120 + 80 * torch.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * torch.cumsum(f0, 0) / 16000.0
    sweep = sum(0.2 / k * torch.sin(k * phase) for k in range(1, 10)) * (0.6 + 0.4 * torch.sin(2 * np.pi * 3 * t))
    clips.append(("synthetic/harmonic-sweep", (sweep + 0.01 * torch.from_numpy(rng.standard_normal(48000))).float()))
    return clips


def int8_matmul(x, q_w, w_scale):
    """DynamicQuantizeLinear(x) -> MatMulInteger with int8 weights (zero point 0) -> Cast -> Mul(scales)."""
    x = x.astype(np.float32)
    lo, hi = np.float32(min(x.min(), 0)), np.float32(max(x.max(), 0))
    scale = np.float32((hi - lo) / np.float32(255))
    zero = np.clip(np.round(-lo / scale), 0, 255)
    q = np.clip(np.round(x / scale) + zero, 0, 255).astype(np.int64)
    acc = (q - int(zero)) @ q_w.astype(np.int64)
    return acc.astype(np.float32) * np.float32(scale * w_scale)


def compare(ours, ref):
    d = np.abs(np.asarray(ours, dtype=np.float64) - np.asarray(ref, dtype=np.float64))
    return {"max_abs_diff": float(d.max()), "share_within_1e-3": float((d <= 1e-3).mean())}


def stagewise(enc, graph_inits, x, ref):
    """Each stage fed the original's input to it; returns {stage: comparison}."""
    out = {}
    with torch.no_grad():
        h = F.gelu(enc.conv2(F.gelu(enc.conv1(torch.from_numpy(x)[None])))).permute(0, 2, 1) + enc.positional_embedding
    out["conv1+conv2+positional"] = compare(h[0].numpy(), ref[E + "Add_2_output_0"])
    h = ref[E + "Add_2_output_0"]
    matmuls = [n for n in graph_inits["_nodes"] if n.op_type == "MatMulInteger"]
    for i, block in enumerate(enc.blocks):
        p = f"{E}layers.{i}/"
        with torch.no_grad():
            a = block.attn
            ln = block.attn_ln(torch.from_numpy(h)[None])
            b, t, c = ln.shape
            s = (c // a.n_head) ** -0.25
            q = a.query(ln).view(b, t, a.n_head, -1).permute(0, 2, 1, 3) * s
            k = a.key(ln).view(b, t, a.n_head, -1).permute(0, 2, 3, 1) * s
            v = a.value(ln).view(b, t, a.n_head, -1).permute(0, 2, 1, 3)
            att = (torch.softmax(q @ k, -1) @ v).permute(0, 2, 1, 3).flatten(2)[0].numpy()
        out[f"layer{i}.attn_ln+qkv+attention"] = compare(att, ref[p + "self_attn/Reshape_7_output_0"])
        w = [(graph_inits[m.input[1]], graph_inits[m.input[1][: -len("_quantized")] + "_scale"]) for m in matmuls[3 * i: 3 * i + 3]]
        r1 = h + int8_matmul(ref[p + "self_attn/Reshape_7_output_0"], *w[0]) + block.attn.out.bias.detach().numpy()
        out[f"layer{i}.out_proj(int8)"] = compare(r1, ref[p + "Add_output_0"])
        with torch.no_grad():
            mln = block.mlp_ln(torch.from_numpy(ref[p + "Add_output_0"])).numpy()
        out[f"layer{i}.mlp_ln"] = compare(mln, ref[p + "final_layer_norm/LayerNormalization_output_0"])
        act = F.gelu(torch.from_numpy(int8_matmul(ref[p + "final_layer_norm/LayerNormalization_output_0"], *w[1])
                                      + block.mlp[0].bias.detach().numpy())).numpy()
        out[f"layer{i}.fc1(int8)+gelu"] = compare(act, ref[p + "activation_fn/Mul_1_output_0"])
        r2 = ref[p + "Add_output_0"] + int8_matmul(ref[p + "activation_fn/Mul_1_output_0"], *w[2]) + block.mlp[2].bias.detach().numpy()
        if i < LAYERS - 1:
            out[f"layer{i}.fc2(int8)"] = compare(r2, ref[p + "Add_1_output_0"])
            h = ref[p + "Add_1_output_0"]
        else:
            with torch.no_grad():
                final = enc.ln_post(torch.from_numpy(r2)).numpy()
            out[f"layer{i}.fc2(int8)+ln_post"] = compare(final, ref["encoder_hidden_states"])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default=os.environ.get("TINGXIN_WHISPER_CACHE", str(HERE / "cache")))
    args = ap.parse_args()
    torch.set_num_threads(1)
    cache = Path(args.cache)
    clips = clips_to_check()
    x = torch.stack([tx.whisper_logmel_features(w, pad_to_seconds=30).T.contiguous() for _, w in clips])  # [N,80,3000]
    enc = tx.whisper_backbone(checkpoint=str(cache / "whisper-tiny-en-encoder.pt")).eval()
    pe_err = float((enc.positional_embedding - tx.sinusoids(1500, 384)).abs().max())
    with torch.no_grad():
        ours, _ = enc(x, torch.full((len(clips),), 3000, dtype=torch.int64))

    model = onnx.load(str(cache / "whisper-tiny-en-encoder-int8.onnx"))
    names = ["encoder_hidden_states"] + stage_names()
    for n in names[1:]:
        model.graph.output.append(helper.make_tensor_value_info(n, onnx.TensorProto.FLOAT, None))
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    inits["_nodes"] = list(model.graph.node)
    with tempfile.TemporaryDirectory() as tmp:
        onnx.save(model, os.path.join(tmp, "stages.onnx"))
        x.numpy().astype("<f4").tofile(os.path.join(tmp, "in.f32"))
        subprocess.run(["java", "-cp", str(ORT_JAR), str(HERE / "VerifyEncoder.java"), os.path.join(tmp, "stages.onnx"),
                        os.path.join(tmp, "in.f32"), str(len(clips)), tmp], check=True)
        refs = [{n: np.fromfile(os.path.join(tmp, f"{i}-{k}.f32"), dtype="<f4").reshape(1500, -1)
                 for k, n in enumerate(names)} for i in range(len(clips))]

    rows, worst_cos, failures = [], 1.0, []
    for i, (name, wav) in enumerate(clips):
        frames = min(1500, (wav.shape[0] // 160 + 1) // 2)
        a, b = ours[i], torch.from_numpy(refs[i]["encoder_hidden_states"])
        cos = float(F.cosine_similarity(a.flatten(), b.flatten(), dim=0))
        pa, pb = a[:frames].mean(0), b[:frames].mean(0)
        stages = stagewise(enc, inits, x[i].numpy(), refs[i])
        for stage, c in stages.items():
            tol_share = 1.0 if "int8" not in stage else 0.999
            if c["share_within_1e-3"] < tol_share:
                failures.append(f"{name} {stage}: {c}")
        row = {"clip": name, "seconds": wav.shape[0] / 16000,
               "end_to_end": {"hidden_cosine": cos, "hidden_max_abs_diff": float((a - b).abs().max()),
                              "hidden_mean_abs_diff": float((a - b).abs().mean()), "hidden_rms": float(b.pow(2).mean().sqrt()),
                              "pooled_cosine": float(F.cosine_similarity(pa, pb, dim=0)),
                              "pooled_max_abs_diff": float((pa - pb).abs().max())},
               "stages": stages}
        rows.append(row)
        worst_cos = min(worst_cos, cos)
        print(name, json.dumps(row["end_to_end"]))
        print("  worst stage:", max(stages.items(), key=lambda kv: kv[1]["max_abs_diff"]))
    out = {"what": "float32 PyTorch Whisper tiny.en encoder (weights dequantised from the int8 graph) against the "
                   "original int8 graph in ONNX Runtime Java 1.23.2 (one thread), on 30 s padded log-mel; stages are "
                   "fed the original's own intermediate tensors (int8 stages computed with the original's uint8 "
                   "activation quantisation)",
           "positional_embedding_vs_sinusoids_max_abs_diff": pe_err, "min_hidden_cosine": worst_cos, "clips": rows}
    (HERE / "runs").mkdir(exist_ok=True)
    (HERE / "runs" / "encoder-verification.json").write_text(json.dumps(out, indent=1) + "\n")
    if failures or worst_cos < 0.99:
        raise SystemExit("the PyTorch encoder differs from the original:\n" + "\n".join(failures)
                         + f"\nmin end-to-end cosine {worst_cos:.4f}")
    print(f"ok: every stage equal; end to end min cosine {worst_cos:.4f} (int8 activation quantisation of the original);"
          f" positional embedding = sinusoids within {pe_err:.1e}")


if __name__ == "__main__":
    main()
