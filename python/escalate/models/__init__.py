"""Deterministic ONNX test models with seeded random weights.

Each builder reproduces the layer structure of the torchvision (or the
kuangliu CIFAR) network as PyTorch's eval-mode exporter emits it at opset 13:
Conv / BatchNormalization / Relu stay separate nodes (no BN folding), node
names follow PyTorch's module scopes ("/layer1/layer1.0/conv1/Conv") and
initializers are named like state_dict entries ("layer1.0.conv1.weight").
Only onnx.helper / onnx.numpy_helper and numpy are used, so no torch is needed.
"""

import contextlib
import math

import numpy as np
import onnx
from onnx import helper, numpy_helper

__all__ = ["MODELS", "build", "random_input", "param_count", "check"]

OPSET = 13
IR_VERSION = 7


class Net:
    """Accumulates nodes and initializers under a PyTorch-style module scope."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits = [], []
        self.path = []  # (attribute name, scope display name) per module level
        self.node_names, self.consts = set(), set()
        self.stats = {"input": (0.0, 1.0)}  # estimated (mean, variance) per tensor

    @contextlib.contextmanager
    def scope(self, attr):
        """Enter child module `attr`; None means a functional call (no module)."""
        if attr is None:
            yield
            return
        attr = str(attr)
        # PyTorch shows Sequential children as "<parent>.<idx>" ("layer1.0").
        shown = f"{self.path[-1][1]}.{attr}" if attr.isdigit() and self.path else attr
        self.path.append((attr, shown))
        try:
            yield
        finally:
            self.path.pop()

    def param(self, local, value):
        name = ".".join([a for a, _ in self.path] + [local])
        self.inits.append(numpy_helper.from_array(np.asarray(value, np.float32), name))
        return name

    def op(self, op_type, inputs, **attrs):
        base = "/" + "".join(s + "/" for _, s in self.path) + op_type
        name, i = base, 0
        while name in self.node_names:  # repeated calls of one module: Relu_1, ...
            i += 1
            name = f"{base}_{i}"
        self.node_names.add(name)
        out = name + "_output_0"
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=name, **attrs))
        self.stats[out] = self._propagate(op_type, [self.stats.get(t) for t in inputs])
        return out

    @staticmethod
    def _propagate(op_type, s):
        """Gaussian estimate of an output's (mean, variance), so that BN running
        stats can match their input. Without this the residual sums compound and
        deep ResNets reach activations of ~1e4 instead of O(1)."""
        mu, var = s[0]
        sd = math.sqrt(var)
        if op_type in ("Conv", "Gemm"):  # zero-mean He weights: var = 2 * E[x^2]
            return 0.0, 2 * (mu * mu + var)
        if op_type == "BatchNormalization":
            return 0.0, 1.0
        if op_type in ("Relu", "Clip"):  # rectified Gaussian moments (Clip at 6 ~ ReLU)
            a = mu / sd
            cdf, pdf = 0.5 * (1 + math.erf(a / math.sqrt(2))), math.exp(-a * a / 2) / math.sqrt(2 * math.pi)
            m1 = mu * cdf + sd * pdf
            return m1, (mu * mu + var) * cdf + mu * sd * pdf - m1 * m1
        if op_type == "Add":
            return mu + s[1][0], var + s[1][1]
        if op_type == "MaxPool":  # a max over the window sits about one sigma up
            return mu + sd, var
        return mu, var

    def he(self, shape, fan_in):
        # He-normal keeps post-ReLU activations O(1) through deep stacks.
        w = self.rng.standard_normal(shape, dtype=np.float32)
        w *= np.float32(np.sqrt(2.0 / fan_in))
        return w

    def bias(self, n):
        return self.rng.normal(0.0, 0.01, n)

    # --- layers -------------------------------------------------------------

    def conv(self, name, x, cin, cout, k, stride=1, group=1, bias=False, weight=None):
        with self.scope(name):
            w = self.he((cout, cin // group, k, k), cin // group * k * k) if weight is None else weight
            ins = [x, self.param("weight", w)]
            if bias:
                ins.append(self.param("bias", self.bias(cout)))
            return self.op("Conv", ins, dilations=[1, 1], group=group, kernel_shape=[k, k],
                           pads=[k // 2] * 4, strides=[stride] * 2)

    def bn(self, name, x, c):
        # Running stats are drawn around the input's estimated statistics so BN
        # renormalises as a trained one would.
        with self.scope(name):
            r, v = self.rng, self.stats[x][1]
            ins = [x] + [self.param(n, a) for n, a in (
                ("weight", r.uniform(0.5, 1.5, c)), ("bias", r.normal(0.0, 0.1, c)),
                ("running_mean", r.normal(0.0, 0.1, c) * np.sqrt(v) + self.stats[x][0]),
                ("running_var", r.uniform(0.5, 1.5, c) * v))]
            return self.op("BatchNormalization", ins, epsilon=1e-5, momentum=0.9)

    def act(self, name, x, kind="relu"):
        with self.scope(name):
            if kind == "relu":
                return self.op("Relu", [x])
            if kind == "relu6":
                return self.op("Clip", [x, self.const("clip_min", 0.0), self.const("clip_max", 6.0)])
            if kind == "hsigmoid":
                return self.op("HardSigmoid", [x], alpha=1.0 / 6, beta=0.5)
            if kind == "hswish":
                # HardSwish is opset 14; at 13 PyTorch emits x * HardSigmoid(x).
                return self.op("Mul", [x, self.act(None, x, "hsigmoid")])
            raise ValueError(kind)

    def const(self, name, value):
        """Shared scalar initializer (Clip bounds are inputs, not attributes, at opset 13)."""
        if name not in self.consts:
            self.consts.add(name)
            self.inits.append(numpy_helper.from_array(np.array(value, np.float32), name))
        return name

    def maxpool(self, name, x, k, stride, pad=0):
        with self.scope(name):
            return self.op("MaxPool", [x], ceil_mode=0, kernel_shape=[k, k], pads=[pad] * 4,
                           strides=[stride] * 2)

    def linear(self, name, x, fin, fout):
        with self.scope(name):
            w, b = self.param("weight", self.he((fout, fin), fin)), self.param("bias", self.bias(fout))
            return self.op("Gemm", [x, w, b], alpha=1.0, beta=1.0, transB=1)

    def pool_flatten(self, name, x):
        with self.scope(name):
            x = self.op("GlobalAveragePool", [x])
        return self.op("Flatten", [x], axis=1)

    def model(self, graph_name, out, in_shape, out_shape):
        # PyTorch renames the graph's final tensor to the user-given output name.
        assert self.nodes[-1].output[0] == out
        self.nodes[-1].output[0] = "output"
        graph = helper.make_graph(
            self.nodes, graph_name,
            [helper.make_tensor_value_info("input", onnx.TensorProto.FLOAT, in_shape)],
            [helper.make_tensor_value_info("output", onnx.TensorProto.FLOAT, out_shape)],
            initializer=self.inits)
        m = helper.make_model(graph, producer_name="escalate.models",
                              opset_imports=[helper.make_opsetid("", OPSET)])
        m.ir_version = IR_VERSION
        return m


# --- blocks -------------------------------------------------------------------

def conv_bn(net, names, x, cin, cout, k, stride=1, group=1):
    """Bias-free conv followed by BN, as everywhere a BN follows a conv."""
    return net.bn(names[1], net.conv(names[0], x, cin, cout, k, stride, group), cout)


def cna(net, name, x, cin, cout, k, stride=1, group=1, act="relu6"):
    """torchvision Conv2dNormActivation: Sequential(conv, bn, act) as .0/.1/.2."""
    with net.scope(name):
        return net.act("2", conv_bn(net, ("0", "1"), x, cin, cout, k, stride, group), act)


def basic_block(net, name, x, cin, planes, stride, shortcut="downsample", relu="relu"):
    """ResNet BasicBlock; kuangliu names the projection `shortcut` and uses F.relu."""
    with net.scope(name):
        y = net.act(relu, conv_bn(net, ("conv1", "bn1"), x, cin, planes, 3, stride))
        y = conv_bn(net, ("conv2", "bn2"), y, planes, planes, 3)
        if stride != 1 or cin != planes:
            with net.scope(shortcut):
                x = conv_bn(net, ("0", "1"), x, cin, planes, 1, stride)
        return net.act(relu, net.op("Add", [y, x])), planes


def bottleneck(net, name, x, cin, planes, stride):
    """torchvision Bottleneck (v1.5: stride on the 3x3 conv), expansion 4."""
    cout = planes * 4
    with net.scope(name):
        y = net.act("relu", conv_bn(net, ("conv1", "bn1"), x, cin, planes, 1))
        y = net.act("relu", conv_bn(net, ("conv2", "bn2"), y, planes, planes, 3, stride))
        y = conv_bn(net, ("conv3", "bn3"), y, planes, cout, 1)
        if stride != 1 or cin != cout:
            with net.scope("downsample"):
                x = conv_bn(net, ("0", "1"), x, cin, cout, 1, stride)
        return net.act("relu", net.op("Add", [y, x])), cout


def res_stages(net, x, cin, block, counts, **kw):
    """layer1..layer4 with widths 64..512; first block of layers 2-4 downsamples."""
    for i, n in enumerate(counts):
        with net.scope(f"layer{i + 1}"):
            for j in range(n):
                x, cin = block(net, str(j), x, cin, 64 << i, 2 if i and not j else 1, **kw)
    return x, cin


def inverted_residual(net, name, x, cin, cout, stride, t):
    """MobileNetV2 block: [1x1 expand] -> 3x3 depthwise -> 1x1 linear projection."""
    hidden = cin * t
    with net.scope(name), net.scope("conv"):
        y, i = x, 0
        if t != 1:
            y, i = cna(net, "0", y, cin, hidden, 1), 1
        y = cna(net, str(i), y, hidden, hidden, 3, stride, group=hidden)
        y = conv_bn(net, (str(i + 1), str(i + 2)), y, hidden, cout, 1)
    if stride == 1 and cin == cout:
        with net.scope(name):
            y = net.op("Add", [x, y])
    return y


def squeeze_excite(net, name, x, c, squeeze):
    """torchvision SqueezeExcitation with MobileNetV3's hard-sigmoid gate."""
    with net.scope(name):
        with net.scope("avgpool"):
            s = net.op("GlobalAveragePool", [x])
        s = net.act("activation", net.conv("fc1", s, c, squeeze, 1, bias=True))
        s = net.act("scale_activation", net.conv("fc2", s, squeeze, c, 1, bias=True), "hsigmoid")
        return net.op("Mul", [s, x])


def vgg_features(net, x, cfg, bn):
    """torchvision/kuangliu `features` Sequential: conv[, bn], relu per entry, M = pool."""
    cin, idx = 3, 0
    with net.scope("features"):
        for v in cfg:
            if v == "M":
                x, idx = net.maxpool(str(idx), x, 2, 2), idx + 1
                continue
            x = net.conv(str(idx), x, cin, v, 3, bias=True)
            if bn:
                x = net.bn(str(idx + 1), x, v)
            x = net.act(str(idx + 1 + bn), x)
            cin, idx = v, idx + 2 + bn
    return x


VGG16 = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]


# --- models (each returns the final tensor name) -------------------------------

def _resnet_imagenet(net, x, block, counts):
    x = net.act("relu", conv_bn(net, ("conv1", "bn1"), x, 3, 64, 7, 2))
    x = net.maxpool("maxpool", x, 3, 2, 1)
    x, c = res_stages(net, x, 64, block, counts)
    return net.linear("fc", net.pool_flatten("avgpool", x), c, 1000)


def resnet18(net, x):
    return _resnet_imagenet(net, x, basic_block, [2, 2, 2, 2])


def resnet50(net, x):
    return _resnet_imagenet(net, x, bottleneck, [3, 4, 6, 3])


def resnet18_cifar(net, x):
    x = net.act(None, conv_bn(net, ("conv1", "bn1"), x, 3, 64, 3))
    x, c = res_stages(net, x, 64, basic_block, [2, 2, 2, 2], shortcut="shortcut", relu=None)
    x = net.op("AveragePool", [x], ceil_mode=0, kernel_shape=[4, 4], pads=[0] * 4, strides=[4, 4])
    return net.linear("linear", net.op("Flatten", [x], axis=1), c, 10)


def vgg16(net, x):
    # AdaptiveAvgPool2d((7, 7)) is the identity at 224x224; eval Dropout is dropped.
    x = net.op("Flatten", [vgg_features(net, x, VGG16, bn=False)], axis=1)
    with net.scope("classifier"):
        x = net.act("1", net.linear("0", x, 512 * 7 * 7, 4096))
        x = net.act("4", net.linear("3", x, 4096, 4096))
        return net.linear("6", x, 4096, 1000)


def vgg16_cifar(net, x):
    # kuangliu's trailing AvgPool2d(1, 1) is the identity and is not emitted.
    x = net.op("Flatten", [vgg_features(net, x, VGG16, bn=True)], axis=1)
    return net.linear("classifier", x, 512, 10)


def mobilenet_v2(net, x):
    settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]  # t, c, n, s
    with net.scope("features"):
        x, cin, idx = cna(net, "0", x, 3, 32, 3, 2), 32, 1
        for t, c, n, s in settings:
            for j in range(n):
                x, cin, idx = inverted_residual(net, str(idx), x, cin, c, s if j == 0 else 1, t), c, idx + 1
        x = cna(net, str(idx), x, cin, 1280, 1)
    x = net.op("Flatten", [net.op("GlobalAveragePool", [x])], axis=1)
    with net.scope("classifier"):
        return net.linear("1", x, 1280, 1000)


def tiny_cnn(net, x):
    x = net.act("relu1", conv_bn(net, ("conv1", "bn1"), x, 3, 16, 3))
    x = net.act("relu2", net.conv("conv2", x, 16, 32, 3, 2, bias=True))
    x = net.maxpool("pool", x, 2, 2)
    x = net.op("Add", [x, net.act("relu3", net.conv("conv3", x, 32, 32, 3, bias=True))])
    x = net.linear("fc", net.pool_flatten("avgpool", x), 32, 10)
    return net.op("Softmax", [x], axis=1)


def mobilenet_v2_se_block(net, x):
    # MobileNetV3-style InvertedResidual: expand -> depthwise -> SE -> project.
    c, hidden = 32, 192
    with net.scope("block"):
        y = cna(net, "0", x, c, hidden, 1, act="hswish")
        y = cna(net, "1", y, hidden, hidden, 3, group=hidden, act="hswish")
        y = squeeze_excite(net, "2", y, hidden, hidden // 4)
        with net.scope("3"):
            y = conv_bn(net, ("0", "1"), y, hidden, c, 1)
    return net.op("Add", [y, x])


def penni_tiny(net, x):
    # PENNI decomposition: every input channel is filtered by the same M shared
    # basis kernels (depthwise, multiplier M), then a sparse 1x1 recombines them.
    cin, m, cout = 8, 3, 16
    basis = net.he((m, 3, 3), 9)
    x = net.conv("conv_basis", x, cin, cin * m, 3, group=cin, weight=np.tile(basis, (cin, 1, 1))[:, None])
    coef = net.he((cout, cin * m, 1, 1), cin * m) * (net.rng.random((cout, cin * m, 1, 1)) >= 0.6)
    return net.act("relu", net.conv("conv_coef", x, cin * m, cout, 1, bias=True, weight=coef))


# name -> (builder, input shape without batch, output shape without batch)
MODELS = {
    "resnet18": (resnet18, (3, 224, 224), (1000,)),
    "resnet50": (resnet50, (3, 224, 224), (1000,)),
    "vgg16": (vgg16, (3, 224, 224), (1000,)),
    "mobilenet_v2": (mobilenet_v2, (3, 224, 224), (1000,)),
    "resnet18_cifar": (resnet18_cifar, (3, 32, 32), (10,)),
    "vgg16_cifar": (vgg16_cifar, (3, 32, 32), (10,)),
    "tiny_cnn": (tiny_cnn, (3, 32, 32), (10,)),
    "mobilenet_v2_se_block": (mobilenet_v2_se_block, (32, 56, 56), (32, 56, 56)),
    "penni_tiny": (penni_tiny, (8, 16, 16), (16, 16, 16)),
}


def build(name, seed=0, batch=1):
    """Build model `name` (a key of MODELS) as an onnx.ModelProto."""
    fn, in_shape, out_shape = MODELS[name]
    net = Net(seed)
    out = fn(net, "input")
    return net.model(name, out, (batch,) + in_shape, (batch,) + out_shape)


def random_input(name, seed=0, batch=1):
    """Seeded float32 input tensor matching the model's input shape."""
    # Own stream: drawing from default_rng(seed) would replay the first weights.
    return np.random.default_rng([seed, 1]).standard_normal((batch,) + MODELS[name][1], dtype=np.float32)


def param_count(model):
    """Trainable parameters as PyTorch counts them (BN running stats excluded)."""
    return sum(int(np.prod(t.dims)) for t in model.graph.initializer
               if t.name.endswith((".weight", ".bias")))


def check(model):
    """Run the ONNX checker and strict shape inference on `model`.

    strict_mode turns a mismatch between the inferred and the declared output
    shape into an error, so this also confirms each builder's MODELS entry.
    """
    onnx.checker.check_model(model)
    onnx.shape_inference.infer_shapes(model, strict_mode=True)
