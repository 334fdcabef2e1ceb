"""Writes two ShuffleNet v2 units (issue 17): channel shuffles and splits.

shuffle_model.py OUT.onnx INPUT.npy

conv -> split in halves: one half through a 1x1 / depthwise 3x3 / 1x1
branch, the other passed through -> concat -> channel shuffle (Reshape to
N x 2 x C/2 x H x W, Transpose of axes 1 and 2, Reshape back), twice, then
a conv. The shuffles become interleaves and the splits channel views: the
branch's last conv writes every other channel of the shuffled tensor and
only the passed-through half is copied.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper as h, numpy_helper as nh

out, inp = sys.argv[1:3]
r = np.random.default_rng(0)
C = 8
inits = [nh.from_array((r.standard_normal((C, 3, 3, 3)) * 0.3).astype(np.float32), "w0"),
         nh.from_array((r.standard_normal((4, C, 1, 1)) * 0.3).astype(np.float32), "wy"),
         nh.from_array(np.array([1, 2, C // 2, 6, 6], np.int64), "split_shape"),
         nh.from_array(np.array([1, C, 6, 6], np.int64), "back_shape"),
         nh.from_array(np.array([C // 2, C // 2], np.int64), "halves")]
nodes = [h.make_node("Conv", ["x", "w0"], ["s0"], name="stem", pads=[1, 1, 1, 1]),
         h.make_node("Relu", ["s0"], ["u0"], name="stem_relu")]
for u in range(2):
    p = "unit%d/" % u
    x = "u%d" % u
    for name, shape in [("a", (C // 2, C // 2, 1, 1)), ("d", (C // 2, 1, 3, 3)),
                        ("b", (C // 2, C // 2, 1, 1))]:
        inits.append(nh.from_array(
            (r.standard_normal(shape) * 0.4).astype(np.float32), p + name))
    nodes += [
        h.make_node("Split", [x, "halves"], [p + "x1", p + "x2"], name=p + "split", axis=1),
        h.make_node("Conv", [p + "x2", p + "a"], [p + "ca"], name=p + "conv_a"),
        h.make_node("Relu", [p + "ca"], [p + "ra"], name=p + "relu_a"),
        h.make_node("Conv", [p + "ra", p + "d"], [p + "cd"], name=p + "dw", group=C // 2,
                    pads=[1, 1, 1, 1]),
        h.make_node("Conv", [p + "cd", p + "b"], [p + "cb"], name=p + "conv_b"),
        h.make_node("Relu", [p + "cb"], [p + "rb"], name=p + "relu_b"),
        h.make_node("Concat", [p + "x1", p + "rb"], [p + "cat"], name=p + "cat", axis=1),
        h.make_node("Reshape", [p + "cat", "split_shape"], [p + "g"], name=p + "groups"),
        h.make_node("Transpose", [p + "g"], [p + "t"], name=p + "shuffle", perm=[0, 2, 1, 3, 4]),
        h.make_node("Reshape", [p + "t", "back_shape"], ["u%d" % (u + 1)], name=p + "back"),
    ]
nodes.append(h.make_node("Conv", ["u2", "wy"], ["y"], name="head"))
g = h.make_graph(nodes, "shuffle_units",
                 [h.make_tensor_value_info("x", T.FLOAT, [1, 3, 6, 6])],
                 [h.make_tensor_value_info("y", T.FLOAT, [1, 4, 6, 6])], inits)
onnx.save(h.make_model(g, opset_imports=[h.make_opsetid("", 13)]), out)
np.save(inp, r.standard_normal((1, 3, 6, 6)).astype(np.float32))
