"""Small models whose errors used to name the wrong cause (issue 20).

message_models.py OUT_DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper

out = sys.argv[1]


def save(name, nodes, inputs, outputs, inits=(), opset=13):
    g = h.make_graph(nodes, name, inputs, outputs, list(inits))
    m = h.make_model(g, opset_imports=[h.make_opsetid("", opset or 13)])
    if opset is None:
        del m.opset_import[:]
    onnx.save(m, os.path.join(out, name + ".onnx"))


def info(name, shape):
    return h.make_tensor_value_info(name, T.FLOAT, shape)


ones = lambda shape: np.ones(shape, np.float32)

# A 1-D convolution (it compiles: a 1 x k window).
save("conv1d", [h.make_node("Conv", ["x", "w"], ["y"], name="c1")],
     [info("x", [1, 2, 8])], [info("y", [1, 3, 6])],
     [numpy_helper.from_array(ones((3, 2, 3)), "w")])
# A Gather whose indices are a graph input: neither the accelerator nor the
# host (whose gather takes constant indices) runs it.
save("dynamic_gather", [h.make_node("Gather", ["x", "i"], ["y"], name="pick",
                                    axis=1)],
     [info("x", [1, 4, 3, 3]),
      h.make_tensor_value_info("i", T.INT64, [2])], [info("y", [1, 2, 3, 3])])
# A conv whose weight is a graph input: --freeze-input is the way out.
save("weight_input", [h.make_node("Conv", ["x", "w"], ["y"], name="cw")],
     [info("x", [1, 2, 8, 8]), info("w", [3, 2, 3, 3])],
     [info("y", [1, 3, 6, 6])])
np.save(os.path.join(out, "w.npy"), ones((3, 2, 3, 3)))
# No opset_import at all: ONNX reads it as opset 1, which is imported.
save("no_opset", [h.make_node("Relu", ["x"], ["y"], name="r")],
     [info("x", [1, 2, 4, 4])], [info("y", [1, 2, 4, 4])], opset=None)
# External data at offset -5.
w = numpy_helper.from_array(ones((2, 2, 1, 1)), "w")
w.ClearField("raw_data")
w.data_location = T.EXTERNAL
for k, v in (("location", "w.bin"), ("offset", "-5")):
    w.external_data.add(key=k, value=v)
open(os.path.join(out, "w.bin"), "wb").write(ones(4).tobytes())
save("negative_offset", [h.make_node("Conv", ["x", "w"], ["y"], name="c")],
     [info("x", [1, 2, 4, 4])], [info("y", [1, 2, 4, 4])], [w])
