"""Writes a model of the windows and data movement the host runs (issue 17).

window_model.py OUT.onnx INPUT.npy [1d|3d|act|extrema|dilated|tile|heads|avg|norms]

conv -> ConvTranspose (stride 2, bias, output padding) -> AveragePool
excluding its padding -> reflect Pad -> a Slice of rows and columns -> dilated MaxPool -> AveragePool with
ceil_mode -> Gather of channels -> PRelu with a slope per channel -> conv.
With `1d`: a 1-D CNN (Conv1d, BatchNorm, Relu, a residual Add, MaxPool1d,
AveragePool1d, GlobalAveragePool, Gemm), which canonicalization rewrites
as 2-D windows over a 1 x W plane, all on the accelerator. With `3d`:
Conv3d -> Relu -> MaxPool3d -> GlobalAveragePool -> Gemm. With `act`:
conv -> max pool -> Sigmoid, HardSigmoid, HardSwish, LeakyRelu, Clip, Relu
(not fused into a conv), and beside them Elu, Selu, Celu, Softplus,
Softsign and ThresholdedRelu, summed -> conv (opset 14). With `extrema`: Max and Min with
constants (clips), Max of two activations, Sum of three, Reciprocal, and
a Concat along the rows (a host op; only channels concat by placement);
a second output, the ReduceSum over channels of the reciprocal.
With `tile`: Cast (of an activation to FLOAT, of an integer constant),
Expand of a pooled vector over the map, Tile along channels and along the
rows, an InstanceNormalization, and a Concat of a flattened vector with
itself (copied as N x C x 1 x 1).
With `dilated`: DeepLabV3's ASPP rates on a 16 x 16 map (3 x 3 convs with
dilation and padding 6 and 12 beside a 1x1 conv, concatenated), and a
second output, the ArgMax over channels cast to INT64 (the class map).
With `heads`: conv -> DepthToSpace (pixel shuffle, DCR) -> strided conv ->
SpaceToDepth -> 1x1 conv -> ReduceMax and ReduceMin over the map, their
difference -> Sigmoid -> Log -> Gemm -> LogSoftmax; a second output, the
CRD DepthToSpace of the first conv.
With `norms`: ReduceL2 over channels of a conv, and beside it
ReduceLogSumExp over the map, ReduceSumSquare over channels, ReduceL1
over the map, and ReduceLogSum over the map of the sum of squares.
With `avg`: average pools whose divisors leave padding out, on a 72 x 72
map: count_include_pad = 0 (symmetric, then asymmetric with stride 2),
ceil_mode counting the explicit padding, ceil_mode without padding.
"""
import sys

import numpy as np
from onnx import TensorProto as T, helper as h, numpy_helper as nh
import onnx

out, inp = sys.argv[1:3]
variant = sys.argv[3] if len(sys.argv) > 3 else "2d"
r = np.random.default_rng(0)


def const(name, a, dtype=np.float32):
    return nh.from_array(np.asarray(a, dtype), name)


n = h.make_node
if variant == "3d":
    shape_in, shape_out = [1, 2, 6, 6, 6], [1, 3]
    inits = [
        const("w0", r.standard_normal((4, 2, 3, 3, 3)) * 0.3),
        const("b0", r.standard_normal(4) * 0.1),
        const("fc", r.standard_normal((3, 4)) * 0.5),
    ]
    nodes = [
        n("Conv", ["x", "w0", "b0"], ["c0"], name="conv3d", pads=[1] * 6),
        n("Relu", ["c0"], ["r0"], name="relu"),
        n("MaxPool", ["r0"], ["p0"], name="pool3d", kernel_shape=[2, 2, 2],
          strides=[2, 2, 2]),
        n("GlobalAveragePool", ["p0"], ["gap"], name="gap3d"),
        n("Flatten", ["gap"], ["flat"], name="flatten"),
        n("Gemm", ["flat", "fc"], ["y"], name="fc", transB=1),
    ]
elif variant == "act":
    shape_in, shape_out = [1, 3, 8, 8], [1, 4, 4, 4]
    inits = [
        const("w0", r.standard_normal((6, 3, 3, 3)) * 0.5),
        const("w1", r.standard_normal((4, 6, 1, 1)) * 0.5),
    ]
    nodes = [
        n("Conv", ["x", "w0"], ["c0"], name="conv0", pads=[1, 1, 1, 1]),
        n("MaxPool", ["c0"], ["p0"], name="pool", kernel_shape=[2, 2],
          strides=[2, 2]),
        n("Sigmoid", ["p0"], ["a0"], name="sigmoid"),
        n("HardSigmoid", ["a0"], ["a1"], name="hard_sigmoid", alpha=0.3,
          beta=0.4),
        n("HardSwish", ["a1"], ["a2"], name="hard_swish"),
        n("Sub", ["a2", "half"], ["a3"], name="center"),
        n("LeakyRelu", ["a3"], ["a4"], name="leaky", alpha=0.2),
        n("Clip", ["a4", "lo", "hi"], ["a5"], name="clip"),
        n("Relu", ["a5"], ["a6"], name="relu"),
        n("Elu", ["p0"], ["b0"], name="elu", alpha=0.7),
        n("Selu", ["b0"], ["b1"], name="selu"),
        n("Celu", ["b1"], ["b2"], name="celu", alpha=1.5),
        n("Softplus", ["b2"], ["b3"], name="softplus"),
        n("Softsign", ["b3"], ["b4"], name="softsign"),
        n("ThresholdedRelu", ["p0"], ["b6"], name="thresholded", alpha=0.4),
        n("Sum", ["b6", "a6", "b4"], ["s"], name="sum"),
        n("Conv", ["s", "w1"], ["y"], name="conv1"),
    ]
    inits += [const("half", 0.33), const("lo", -0.02), const("hi", 0.08)]
elif variant == "extrema":
    shape_in, shape_out = [1, 3, 8, 8], [1, 4, 16, 8]
    inits = [
        const("w0", r.standard_normal((6, 3, 3, 3)) * 0.5),
        const("w1", r.standard_normal((6, 6, 1, 1)) * 0.4),
        const("w2", r.standard_normal((4, 6, 1, 1)) * 0.4),
        const("zero", 0.0), const("six", [6.0]), const("one", 1.0),
        const("s0", [0], np.int64), const("s4", [4], np.int64),
        const("s1", [1], np.int64), const("ax1", [1], np.int64),
    ]
    nodes = [
        n("Conv", ["x", "w0"], ["c0"], name="conv0", pads=[1, 1, 1, 1]),
        n("Max", ["c0", "zero"], ["r0"], name="relu_as_max"),
        n("Conv", ["r0", "w1"], ["c1"], name="conv1"),
        n("Min", ["six", "c1"], ["r1"], name="cap"),
        n("Max", ["r0", "r1"], ["m"], name="larger"),
        n("Sum", ["m", "r0", "r1"], ["s"], name="sum"),
        n("Abs", ["s"], ["a"], name="abs"),
        n("Add", ["a", "one"], ["a1"], name="plus_one"),
        n("Reciprocal", ["a1"], ["inv"], name="inverse"),
        n("Slice", ["inv", "s0", "s4", "s1"], ["inv4"], name="first4"),
        n("Conv", ["inv", "w2"], ["c2"], name="conv2"),
        n("Concat", ["c2", "inv4"], ["y"], name="rows", axis=2),
        n("ReduceSum", ["inv", "ax1"], ["total"], name="total"),
    ]
elif variant == "tile":
    shape_in, shape_out = [1, 3, 6, 6], [1, 4, 12, 6]
    inits = [
        const("w0", r.standard_normal((4, 3, 3, 3)) * 0.5),
        const("w1", r.standard_normal((4, 8, 1, 1)) * 0.4),
        const("fc", r.standard_normal((8, 4)) * 0.4),
        const("three", [3], np.int64),
        const("map", [1, 4, 6, 6], np.int64),
        const("reps", [1, 2, 1, 1], np.int64),
        const("rows", [1, 1, 2, 1], np.int64),
    ]
    nodes = [
        n("Conv", ["x", "w0"], ["c0"], name="conv0", pads=[1, 1, 1, 1]),
        n("Cast", ["c0"], ["f"], name="as_float", to=T.FLOAT),
        n("Cast", ["three"], ["k"], name="three_as_float", to=T.FLOAT),
        n("Div", ["f", "k"], ["d"], name="third"),
        n("GlobalAveragePool", ["d"], ["g"], name="gap"),
        n("Flatten", ["g"], ["v"], name="flat"),
        n("Concat", ["v", "v"], ["vv"], name="twice", axis=1),
        n("MatMul", ["vv", "fc"], ["h"], name="fc"),
        n("Reshape", ["h", "shape4"], ["h4"], name="to4d"),
        n("Expand", ["h4", "map"], ["e"], name="spread"),
        n("Add", ["e", "d"], ["s"], name="mix"),
        n("Tile", ["s", "reps"], ["t"], name="tile_channels"),
        n("Conv", ["t", "w1"], ["c1"], name="conv1"),
        n("InstanceNormalization", ["c1", "in_s", "in_b"], ["c1n"],
          name="inorm", epsilon=1e-3),
        n("Tile", ["c1n", "rows"], ["y"], name="tile_rows"),
    ]
    inits += [const("in_s", r.uniform(0.5, 1.5, 4)),
              const("in_b", r.standard_normal(4) * 0.1)]
    inits.append(const("shape4", [1, 4, 1, 1], np.int64))
elif variant == "dilated":
    shape_in, shape_out = [1, 4, 16, 16], [1, 4, 16, 16]
    inits = [
        const("w1", r.standard_normal((4, 4, 1, 1)) * 0.4),
        const("w6", r.standard_normal((4, 4, 3, 3)) * 0.3),
        const("w12", r.standard_normal((4, 4, 3, 3)) * 0.3),
        const("wp", r.standard_normal((4, 12, 1, 1)) * 0.3),
    ]
    nodes = [
        n("Conv", ["x", "w1"], ["a"], name="aspp1"),
        n("Conv", ["x", "w6"], ["b"], name="aspp6", pads=[6] * 4,
          dilations=[6, 6]),
        n("Conv", ["x", "w12"], ["c"], name="aspp12", pads=[12] * 4,
          dilations=[12, 12]),
        n("Concat", ["a", "b", "c"], ["cat"], name="cat", axis=1),
        n("Relu", ["cat"], ["r"], name="relu"),
        n("Conv", ["r", "wp"], ["y"], name="project"),
        n("ArgMax", ["y"], ["am"], name="classes", axis=1, keepdims=0),
        n("Cast", ["am"], ["labels"], name="labels", to=T.INT64),
    ]
elif variant == "heads":
    shape_in, shape_out = [1, 3, 8, 8], [1, 10]
    inits = [
        const("w0", r.standard_normal((16, 3, 3, 3)) * 0.3),
        const("w1", r.standard_normal((8, 4, 3, 3)) * 0.3),
        const("w2", r.standard_normal((8, 32, 1, 1)) * 0.2),
        const("fc", r.standard_normal((10, 8)) * 0.5),
    ]
    nodes = [
        n("Conv", ["x", "w0"], ["c0"], name="conv0", pads=[1, 1, 1, 1]),
        n("Relu", ["c0"], ["r0"], name="relu0"),
        n("DepthToSpace", ["r0"], ["ps"], name="shuffle", blocksize=2),
        n("DepthToSpace", ["r0"], ["crd"], name="shuffle_crd", blocksize=2,
          mode="CRD"),
        n("Conv", ["ps", "w1"], ["c1"], name="conv1", pads=[1, 1, 1, 1],
          strides=[2, 2]),
        n("SpaceToDepth", ["c1"], ["sd"], name="unshuffle", blocksize=2),
        n("Conv", ["sd", "w2"], ["c2"], name="conv2"),
        n("ReduceMax", ["c2"], ["mx"], name="peak", axes=[2, 3]),
        n("ReduceMin", ["c2"], ["mn"], name="floor", axes=[2, 3]),
        n("Sub", ["mx", "mn"], ["span"], name="span"),
        n("Sigmoid", ["span"], ["sg"], name="squash"),
        n("Log", ["sg"], ["lg"], name="log"),
        n("Flatten", ["lg"], ["flat"], name="flatten"),
        n("Gemm", ["flat", "fc"], ["logits"], name="fc", transB=1),
        n("LogSoftmax", ["logits"], ["y"], name="log_probs", axis=1),
    ]
elif variant == "norms":
    shape_in, shape_out = [1, 3, 8, 8], [1, 1, 8, 8]
    inits = [const("w0", r.standard_normal((4, 3, 3, 3)) * 0.4)]
    nodes = [
        n("Conv", ["x", "w0"], ["c0"], name="conv0", pads=[1, 1, 1, 1]),
        n("ReduceL2", ["c0"], ["y"], name="l2", axes=[1]),
        n("ReduceLogSumExp", ["c0"], ["lse"], name="lse", axes=[2, 3],
          keepdims=0),
        n("ReduceSumSquare", ["c0"], ["ss"], name="ss", axes=[1]),
        n("ReduceL1", ["c0"], ["l1"], name="l1", axes=[2, 3]),
        n("ReduceLogSum", ["ss"], ["ls"], name="ls", axes=[2, 3]),
    ]
elif variant == "avg":
    shape_in, shape_out = [1, 1, 72, 72], [1, 4, 10, 10]
    inits = [const("w0", r.standard_normal((2, 1, 3, 3)) * 0.5),
             const("w1", r.standard_normal((4, 2, 1, 1)) * 0.6)]
    nodes = [
        n("Conv", ["x", "w0"], ["c0"], name="conv0", pads=[1, 1, 1, 1]),
        n("AveragePool", ["c0"], ["a0"], name="exclude", kernel_shape=[3, 3],
          pads=[1, 1, 1, 1], count_include_pad=0),
        n("AveragePool", ["a0"], ["a1"], name="exclude_asym",
          kernel_shape=[3, 3], strides=[2, 2], pads=[1, 2, 0, 1],
          count_include_pad=0),
        n("AveragePool", ["a1"], ["a2"], name="ceil_include",
          kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
          ceil_mode=1, count_include_pad=1),
        n("AveragePool", ["a2"], ["a3"], name="ceil_exclude",
          kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
        n("Conv", ["a3", "w1"], ["y"], name="conv1"),
    ]
elif variant == "1d":
    shape_in, shape_out = [1, 3, 32], [1, 5]
    inits = [
        const("w0", r.standard_normal((8, 3, 5)) * 0.3),
        const("b0", r.standard_normal(8) * 0.1),
        const("g", r.uniform(0.5, 1.5, 8)), const("be", r.standard_normal(8) * 0.1),
        const("mu", r.standard_normal(8) * 0.1), const("var", r.uniform(0.5, 1.5, 8)),
        const("w1", r.standard_normal((8, 8, 3)) * 0.2),
        const("w2", r.standard_normal((8, 8, 3)) * 0.2),
        const("fc", r.standard_normal((5, 8)) * 0.3),
        const("fcb", r.standard_normal(5) * 0.1),
    ]
    nodes = [
        n("Conv", ["x", "w0", "b0"], ["c0"], name="conv0", pads=[2, 2]),
        n("BatchNormalization", ["c0", "g", "be", "mu", "var"], ["bn"], name="bn0"),
        n("Relu", ["bn"], ["r0"], name="relu0"),
        n("Conv", ["r0", "w1"], ["c1"], name="conv1", pads=[1, 1]),
        n("Relu", ["c1"], ["r1"], name="relu1"),
        n("Conv", ["r1", "w2"], ["c2"], name="conv2", pads=[1, 1]),
        n("Add", ["c2", "r0"], ["res"], name="residual"),
        n("Relu", ["res"], ["r2"], name="relu2"),
        n("MaxPool", ["r2"], ["p0"], name="pool0", kernel_shape=[2], strides=[2]),
        n("AveragePool", ["p0"], ["p1"], name="pool1", kernel_shape=[3],
          strides=[2], pads=[1, 1], count_include_pad=1),
        n("GlobalAveragePool", ["p1"], ["gap"], name="gap"),
        n("Flatten", ["gap"], ["flat"], name="flatten"),
        n("Gemm", ["flat", "fc", "fcb"], ["y"], name="fc", transB=1),
    ]
else:
    shape_in, shape_out = [1, 3, 9, 9], [1, 4, 9, 9]
    inits = [
        const("w0", r.standard_normal((8, 3, 3, 3)) * 0.3),
        const("wt", r.standard_normal((8, 6, 3, 3)) * 0.2),
        const("bt", r.standard_normal(6) * 0.1),
        const("idx", [0, 5, 2, 3], np.int64),
        const("slope", r.uniform(0.05, 0.3, (4, 1, 1))),
        const("w1", r.standard_normal((4, 4, 1, 1)) * 0.4),
    ]
    nodes = [
        n("Conv", ["x", "w0"], ["c0"], name="conv0", pads=[1, 1, 1, 1]),
        n("ConvTranspose", ["c0", "wt", "bt"], ["up"], name="deconv",
          strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1]),
        n("AveragePool", ["up"], ["a0"], name="avg_exclude", kernel_shape=[3, 3],
          pads=[1, 1, 1, 1], count_include_pad=0),
        n("Pad", ["a0", "pads"], ["pd"], name="reflect", mode="reflect"),
        n("Slice", ["pd", "s_start", "s_end", "s_axes"], ["cr"], name="crop"),
        n("MaxPool", ["cr"], ["m0"], name="dilated_max", kernel_shape=[2, 2],
          dilations=[2, 2]),
        n("AveragePool", ["m0"], ["a1"], name="avg_ceil", kernel_shape=[2, 2],
          strides=[2, 2], ceil_mode=1),
        n("Gather", ["a1", "idx"], ["sel"], name="pick", axis=1),
        n("PRelu", ["sel", "slope"], ["pr"], name="prelu"),
        n("Conv", ["pr", "w1"], ["y"], name="conv1"),
    ]
    inits += [const("pads", [0, 0, 1, 1, 0, 0, 1, 1], np.int64),
              const("s_start", [1, 1], np.int64),
              const("s_end", [20, 20], np.int64),
              const("s_axes", [2, 3], np.int64)]
outputs = [h.make_tensor_value_info("y", T.FLOAT, shape_out)]
if variant == "dilated":
    outputs.append(h.make_tensor_value_info("labels", T.INT64, [1, 16, 16]))
if variant == "extrema":
    outputs.append(h.make_tensor_value_info("total", T.FLOAT, [1, 1, 8, 8]))
if variant == "norms":
    outputs += [h.make_tensor_value_info("lse", T.FLOAT, [1, 4]),
                h.make_tensor_value_info("ss", T.FLOAT, [1, 1, 8, 8]),
                h.make_tensor_value_info("l1", T.FLOAT, [1, 4, 1, 1]),
                h.make_tensor_value_info("ls", T.FLOAT, [1, 1, 1, 1])]
if variant == "heads":
    outputs.append(h.make_tensor_value_info("crd", T.FLOAT, [1, 4, 16, 16]))
g = h.make_graph(nodes, "windows",
                 [h.make_tensor_value_info("x", T.FLOAT, shape_in)], outputs,
                 inits)
m = h.make_model(g, opset_imports=[h.make_opsetid("", 14 if variant == "act" else 13)])
onnx.checker.check_model(m, full_check=True)
onnx.save(m, out)
np.save(inp, r.standard_normal(shape_in).astype(np.float32))
