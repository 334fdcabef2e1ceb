"""Writes small statically quantized ONNX models and a float input.

quantized_models.py OUTDIR

- qdq.onnx: QuantizeLinear/DequantizeLinear pairs (uint8 activations,
  int8 per-channel weights) around Conv + Relu, MaxPool and Gemm, as ONNX
  Runtime's QDQ quantizer writes them.
- qlinear.onnx: QLinearConv (int8 activations, per-channel weights, int32
  bias), then QLinearMatMul.
- dynamic.onnx: DynamicQuantizeLinear + ConvInteger (rejected).
- input.npy: the float input of the first two.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(7)
x = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
np.save(os.path.join(out, "input.npy"), x)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def quantize_weights(w, axis=0):
    """Symmetric int8 per output channel, as ONNX Runtime does."""
    flat = w.reshape(w.shape[0], -1) if axis == 0 else w.T.reshape(w.shape[1], -1)
    scale = (np.abs(flat).max(axis=1) / 127).astype(np.float32)
    shape = [-1] + [1] * (w.ndim - 1) if axis == 0 else [1, -1]
    q = np.clip(np.round(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, scale


def save(graph, name, opset=13):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, name))


# QDQ: x -> Q/DQ -> Conv(DQ(w)) -> Relu -> Q/DQ -> MaxPool -> Q/DQ
#        -> Flatten -> Gemm(DQ(fc)) -> Q/DQ -> y
w = rng.standard_normal((4, 3, 3, 3)).astype(np.float32) * 0.3
wq, ws = quantize_weights(w)
fc = rng.standard_normal((5, 64)).astype(np.float32) * 0.2
fq, fs = quantize_weights(fc)
nodes = [
    helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="x_q"),
    helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"], name="x_dq"),
    helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["wd"], name="w_dq", axis=0),
    helper.make_node("Conv", ["xd", "wd", "b"], ["c"], name="conv", pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c"], ["r"], name="relu"),
    helper.make_node("QuantizeLinear", ["r", "rs", "rz"], ["rq"], name="r_q"),
    helper.make_node("DequantizeLinear", ["rq", "rs", "rz"], ["rd"], name="r_dq"),
    helper.make_node("MaxPool", ["rd"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("QuantizeLinear", ["p", "rs", "rz"], ["pq"], name="p_q"),
    helper.make_node("DequantizeLinear", ["pq", "rs", "rz"], ["pd"], name="p_dq"),
    helper.make_node("Flatten", ["pd"], ["f"], name="flatten"),
    helper.make_node("DequantizeLinear", ["fq", "fs", "fz"], ["fd"], name="fc_dq", axis=0),
    helper.make_node("Gemm", ["f", "fd", "fb"], ["g"], name="fc", transB=1),
    helper.make_node("QuantizeLinear", ["g", "gs", "gz"], ["gq"], name="g_q"),
    helper.make_node("DequantizeLinear", ["gq", "gs", "gz"], ["y"], name="g_dq"),
]
inits = [
    init("xs", np.float32(0.025)), init("xz", np.uint8(128)),
    init("wq", wq), init("ws", ws), init("wz", np.zeros(4, np.int8)),
    init("b", rng.standard_normal(4).astype(np.float32) * 0.1),
    init("rs", np.float32(0.02)), init("rz", np.uint8(0)),
    init("fq", fq), init("fs", fs), init("fz", np.zeros(5, np.int8)),
    init("fb", np.zeros(5, np.float32)),
    init("gs", np.float32(0.05)), init("gz", np.uint8(100)),
]
save(helper.make_graph(
    nodes, "qdq", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 5])], inits), "qdq.onnx")

# QLinear: x -> Q (int8) -> QLinearConv -> DQ -> Flatten -> Q -> QLinearMatMul -> DQ
bias = np.round(rng.standard_normal(4) * 50).astype(np.int32)
b2 = rng.standard_normal((256, 6)).astype(np.float32) * 0.1
b2q, b2s = quantize_weights(b2, axis=1)
nodes = [
    helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="x_q"),
    helper.make_node("QLinearConv", ["xq", "xs", "xz", "wq", "ws", "wz", "ys", "yz", "bias"],
                     ["yq"], name="qconv", pads=[1, 1, 1, 1]),
    helper.make_node("DequantizeLinear", ["yq", "ys", "yz"], ["yd"], name="y_dq"),
    helper.make_node("Flatten", ["yd"], ["f"], name="flatten"),
    helper.make_node("QuantizeLinear", ["f", "ys", "yz"], ["fq"], name="f_q"),
    helper.make_node("QLinearMatMul", ["fq", "ys", "yz", "b2q", "b2s", "b2z", "zs", "zz"],
                     ["zq"], name="qmatmul"),
    helper.make_node("DequantizeLinear", ["zq", "zs", "zz"], ["z"], name="z_dq"),
]
inits = [
    init("xs", np.float32(0.03)), init("xz", np.int8(-5)),
    init("wq", wq), init("ws", ws), init("wz", np.zeros(4, np.int8)),
    init("ys", np.float32(0.04)), init("yz", np.int8(3)), init("bias", bias),
    init("b2q", b2q), init("b2s", b2s), init("b2z", np.zeros(6, np.int8)),
    init("zs", np.float32(0.06)), init("zz", np.int8(0)),
]
save(helper.make_graph(
    nodes, "qlinear", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
    [helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 6])], inits), "qlinear.onnx")

# Dynamic quantization: rejected with the reason.
nodes = [
    helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xz"], name="dyn"),
    helper.make_node("ConvInteger", ["xq", "wq", "xz"], ["c"], name="convint"),
]
save(helper.make_graph(
    nodes, "dynamic", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
    [helper.make_tensor_value_info("c", TensorProto.INT32, [1, 4, 6, 6])],
    [init("wq", wq)]), "dynamic.onnx", opset=11)
