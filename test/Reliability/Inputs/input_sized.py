"""Small ONNX models whose declared shapes ask a tool for huge buffers that
no data in the file backs (docs/reliability.md, "Allocations sized from
input"). Each must be refused, or compiled, without the allocation.

input_sized.py OUT_DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper

out = sys.argv[1]


def save(name, nodes, inputs, outputs, inits=()):
    g = h.make_graph(nodes, name, inputs, outputs, list(inits))
    onnx.save(h.make_model(g, opset_imports=[h.make_opsetid("", 13)]),
              os.path.join(out, name + ".onnx"))


def info(name, shape):
    return h.make_tensor_value_info(name, T.FLOAT, shape)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array, np.float32), name)


# Gemm then BatchNormalization on a batch of 2^31 - 1 rows: folding the
# BN into the Gemm's bias used to broadcast C to [M, N] (32 TiB here).
m, n = 2**31 - 1, 4096
save("gemm_bn",
     [h.make_node("Gemm", ["x", "b", "c"], ["g"], name="fc"),
      h.make_node("BatchNormalization", ["g", "s", "o", "mu", "var"], ["y"],
                  name="bn")],
     [info("x", [m, 1])], [info("y", [m, n])],
     [init("b", np.ones((1, n))), init("c", np.zeros(n)),
      init("s", np.ones(n)), init("o", np.zeros(n)),
      init("mu", np.zeros(n)), init("var", np.ones(n))])

# A 256 x 256 kernel (512 KB of weights): decomposing it needs a 65536^2
# Gram matrix (32 GiB) and a cubic eigensolver. Over a 40 x 40 map, 80 x 80
# of its taps ever read the input; canonicalization keeps those, still far
# too many to decompose.
save("big_kernel",
     [h.make_node("Conv", ["x", "w"], ["y"], name="conv",
                  pads=[128, 128, 128, 128])],
     [info("x", [1, 2, 40, 40])], [info("y", [1, 1, 41, 41])],
     [init("w", np.ones((1, 2, 256, 256)) / 1e4)])

# A Constant node whose tensor declares 2^40 elements and holds none.
value = T(name="huge", data_type=T.FLOAT, dims=[2**20, 2**20])
save("constant",
     [h.make_node("Constant", [], ["k"], name="const", value=value),
      h.make_node("Add", ["x", "k"], ["y"], name="add")],
     [info("x", [1, 1])], [info("y", [2**20, 2**20])])

# An input of 3 x 32768 x 32768 floats (12 GiB): the synthetic calibration
# samples escalate-compile makes without --calib must not be allocated.
save("big_input",
     [h.make_node("Relu", ["x"], ["y"], name="relu")],
     [info("x", [1, 3, 32768, 32768])], [info("y", [1, 3, 32768, 32768])])

# Pads and strides of 2^20 keep the output at 3 x 3, but the integer
# kernels' padded copy of the input would be 2^21 squared per plane.
p = 2**20
save("pads",
     [h.make_node("Conv", ["x", "w"], ["y"], name="conv", pads=[p] * 4,
                  strides=[p, p])],
     [info("x", [1, 2, 4, 4])], [info("y", [1, 2, 3, 3])],
     [init("w", np.ones((2, 2, 3, 3)))])
