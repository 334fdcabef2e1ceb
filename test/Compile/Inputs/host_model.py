"""Writes a model whose middle runs on the host core (issue 17).

host_model.py OUT.onnx INPUT.npy [nhwc]

conv -> Transpose to N x W x H x C -> LayerNorm written out (ReduceMean,
Sub, Pow, Add, Sqrt, Div, Mul, Add) -> MatMul by a constant -> GELU (Div,
Erf, Add, Mul, Mul) -> Transpose back -> bilinear Resize x2 -> Slice of
channels -> Tanh -> conv. The transposes swap H and W as well, so
canonicalization does not compute the block channels-first (as it does
ConvNeXt's NHWC block) and the host runs a chain with kHostValueBits
values, float constants and two-input ops. With `nhwc` the transposes are
ConvNeXt's (to N x H x W x C and back), which canonicalization removes.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper as h, numpy_helper as nh

out, inp = sys.argv[1:3]
nhwc = sys.argv[3:] == ["nhwc"]
to_last, to_first = ([0, 2, 3, 1], [0, 3, 1, 2]) if nhwc else \
    ([0, 3, 2, 1], [0, 3, 2, 1])
r = np.random.default_rng(0)


def const(name, a):
    return nh.from_array(np.asarray(a, np.float32), name)


inits = [
    const("w0", r.standard_normal((8, 3, 3, 3)) * 0.4),
    const("two", 2.0), const("eps", 1e-6),
    const("gamma", r.uniform(0.5, 1.5, 8)), const("beta", r.standard_normal(8) * 0.1),
    const("fc", r.standard_normal((8, 12)) * 0.3),
    const("sqrt2", np.sqrt(2.0)), const("one", 1.0), const("half", 0.5),
    const("w1", r.standard_normal((4, 6, 3, 3)) * 0.3),
    nh.from_array(np.array([1, 1, 2, 2], np.float32), "scales"),
    nh.from_array(np.array([2], np.int64), "s0"),
    nh.from_array(np.array([8], np.int64), "s1"),
    nh.from_array(np.array([1], np.int64), "ax"),
]
n = h.make_node
nodes = [
    n("Conv", ["x", "w0"], ["c0"], name="conv0", pads=[1, 1, 1, 1]),
    n("Transpose", ["c0"], ["t0"], name="to_nhwc", perm=to_last),
    n("ReduceMean", ["t0"], ["m"], name="mean", axes=[-1]),
    n("Sub", ["t0", "m"], ["d"], name="center"),
    n("Pow", ["d", "two"], ["d2"], name="square"),
    n("ReduceMean", ["d2"], ["v"], name="var", axes=[-1]),
    n("Add", ["v", "eps"], ["ve"], name="var_eps"),
    n("Sqrt", ["ve"], ["sd"], name="std"),
    n("Div", ["d", "sd"], ["nrm"], name="normalize"),
    n("Mul", ["nrm", "gamma"], ["g"], name="ln_scale"),
    n("Add", ["g", "beta"], ["ln"], name="ln_shift"),
    n("MatMul", ["ln", "fc"], ["p"], name="linear"),
    n("Div", ["p", "sqrt2"], ["p2"], name="gelu_div"),
    n("Erf", ["p2"], ["e"], name="gelu_erf"),
    n("Add", ["e", "one"], ["e1"], name="gelu_add"),
    n("Mul", ["p", "e1"], ["pe"], name="gelu_mul"),
    n("Mul", ["pe", "half"], ["gl"], name="gelu_half"),
    n("Transpose", ["gl"], ["t1"], name="to_nchw", perm=to_first),
    n("Resize", ["t1", "", "scales"], ["up"], name="upsample", mode="linear"),
    n("Slice", ["up", "s0", "s1", "ax"], ["sl"], name="channels"),
    n("Tanh", ["sl"], ["th"], name="squash"),
    n("Conv", ["th", "w1"], ["y"], name="conv1", pads=[1, 1, 1, 1]),
]
g = h.make_graph(nodes, "host_chain",
                 [h.make_tensor_value_info("x", T.FLOAT, [1, 3, 6, 6])],
                 [h.make_tensor_value_info("y", T.FLOAT, [1, 4, 12, 12])],
                 inits)
onnx.save(h.make_model(g, opset_imports=[h.make_opsetid("", 13)]), out)
np.save(inp, r.standard_normal((1, 3, 6, 6)).astype(np.float32))
