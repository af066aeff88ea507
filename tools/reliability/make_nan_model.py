#!/usr/bin/python3
"""Prints (base64) a tiny ONNX graph that fits the manifest of fixtures/models/fbank-cnn-tiny but whose
'negative' head outputs NaN: the regression input for "NaN from a model" in docs/bad-input.md. The bytes are
pasted into sentiment-onnx/src/test/java/io/github/tingxin/onnx/reliability/NanModel.java.

Graph: mean of features [B, T, 40] over time -> MatMul with W (40 x 2, one column NaN) -> negative_logits
[B, 2]; the same mean -> MatMul with V (40 x 7) -> emotion_logits [B, 7]. 'lengths' [B] int64 is declared
(the manifest names it) and unused. Run: /usr/bin/python3 tools/reliability/make_nan_model.py
"""
import base64

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(3)
w = rng.standard_normal((40, 2)).astype(np.float32) * 0.1
w[:, 1] = np.nan
v = rng.standard_normal((40, 7)).astype(np.float32) * 0.1
graph = helper.make_graph(
    [
        helper.make_node("ReduceMean", ["features"], ["mean"], axes=[1], keepdims=0),
        helper.make_node("MatMul", ["mean", "W"], ["negative_logits"]),
        helper.make_node("MatMul", ["mean", "V"], ["emotion_logits"]),
    ],
    "nan_head",
    [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", "time", 40]),
     helper.make_tensor_value_info("lengths", TensorProto.INT64, ["batch"])],
    [helper.make_tensor_value_info("negative_logits", TensorProto.FLOAT, ["batch", 2]),
     helper.make_tensor_value_info("emotion_logits", TensorProto.FLOAT, ["batch", 7])],
    [numpy_helper.from_array(w, "W"), numpy_helper.from_array(v, "V")],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="tingxin-reliability")
model.ir_version = 7
onnx.checker.check_model(model)
data = model.SerializeToString()
print(len(data))
text = base64.b64encode(data).decode()
for i in range(0, len(text), 100):
    print('      + "' + text[i:i + 100] + '"')
