"""Writes the bad-model corpus: one ONNX file per way a downloaded model
can be wrong. bad_models.py OUT_DIR

Every case is a small file that declares something absurd (a negative or
overflowing dimension, a huge initializer backed by 16 bytes, external data
outside the model's folder, window parameters that overflow, subgraphs
nested past the parser's limit); bad_models.test checks each one's exact
message and exit status.
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
F = TensorProto.FLOAT


def model(nodes, inputs, outputs, inits=()):
    g = helper.make_graph(nodes, "bad", inputs, outputs, list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    return m


def save(m, name):
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(m.SerializeToString())


def value(name, shape, dtype=F):
    return helper.make_tensor_value_info(name, dtype, shape)


def relu(shape):
    return model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                 [value("x", shape)], [value("y", shape)])


def add_initializer(w):
    return model([helper.make_node("Add", ["x", "w"], ["y"], name="add")],
                 [value("x", [4])], [value("y", [4])], [w])


save(relu([1, -3, 4]), "negative_dim")
save(relu([1 << 40, 1 << 40]), "huge_dims")
save(relu([1 << 62, 4]), "overflowing_dim")

# 10^9 floats declared, 16 bytes present.
w = TensorProto(name="w", data_type=F, dims=[1000000000], raw_data=b"\0" * 16)
save(add_initializer(w), "huge_initializer")

for name, location in [("external_parent", "../outside.bin"),
                       ("external_absolute", "/etc/passwd"),
                       ("external_nested", "sub/../../x.bin")]:
    w = TensorProto(name="w", data_type=F, dims=[4],
                    data_location=TensorProto.EXTERNAL)
    entry = w.external_data.add()
    entry.key, entry.value = "location", location
    save(add_initializer(w), name)

weights = numpy_helper.from_array(np.ones((2, 1, 3, 3), np.float32), "wc")
for name, attrs in [("conv_zero_stride", {"strides": [0, 1]}),
                    ("conv_huge_pads", {"pads": [1 << 62, 0, 1 << 62, 0]}),
                    ("conv_negative_pads", {"pads": [-9, 0, 0, 0]}),
                    ("conv_huge_dilation", {"dilations": [1 << 61, 1]})]:
    save(model([helper.make_node("Conv", ["x", "wc"], ["y"], name="conv",
                                 **attrs)],
               [value("x", [1, 1, 5, 5])], [value("y", None)], [weights]),
         name)

shape = numpy_helper.from_array(np.array([-1, -1], np.int64), "s")
save(model([helper.make_node("Reshape", ["x", "s"], ["y"], name="reshape")],
           [value("x", [2, 3])], [value("y", None)], [shape]),
     "reshape_two_wildcards")

# If nodes nested 120 deep: 360 levels of protobuf messages.
leaf = g = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])],
                             "leaf", [], [value("y", [1])])
for i in range(120):
    node = helper.make_node("If", ["c"], ["y"], name="if%d" % i,
                            then_branch=g, else_branch=leaf)
    g = helper.make_graph([node], "g%d" % i, [], [value("y", [1])])
save(model(list(g.node), [value("c", [], TensorProto.BOOL), value("x", [1])],
           [value("y", [1])]), "deep_subgraphs")
