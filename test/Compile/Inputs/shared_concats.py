"""ONNX models whose channel concats share operands.

shared_concats.py OUT_DIR [--random N]

Writes OUT_DIR/<name>.onnx and OUT_DIR/<name>.npy (an input) for:
- sum_of_concats: conv(concat(x0, b) + concat(x0, c)), x0, b, c convs of
  one input (x0 is an operand of two live concats);
- densenet: DenseNet's growing concats cat(x0, f1), cat(x0, f1, f2),
  cat(x0, f1, f2, f3), each f a conv of the previous concat;
- repeated: concat(a, a) and concat(input, a) (a repeated operand, a graph
  input);
- copied_prefix: concats with such operands recurring as the prefix of
  later concats (cat(a, a) then cat(a, a, z); cat(w, input) then
  cat(w, input, z));
- random<k>: seeded random graphs of convolutions, concats of random
  operand lists (shared, repeated, nested) and adds of equal-width concats.
Prints the model names, one per line.
"""
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

C, H = 3, 8


class Graph:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.width = [], [], {"input": C}
        self.count = 0

    def name(self, kind):
        self.count += 1
        return "%s%d" % (kind, self.count)

    def conv(self, x, cout):
        n = self.name("conv")
        cin = self.width[x]
        w = self.rng.standard_normal((cout, cin, 3, 3)).astype(np.float32)
        w *= np.float32(np.sqrt(2.0 / (cin * 9)))
        b = self.rng.normal(0, 0.1, cout).astype(np.float32)
        self.inits += [numpy_helper.from_array(w, n + ".w"),
                       numpy_helper.from_array(b, n + ".b")]
        self.nodes.append(helper.make_node(
            "Conv", [x, n + ".w", n + ".b"], [n + "_c"], name=n,
            kernel_shape=[3, 3], pads=[1, 1, 1, 1]))
        self.nodes.append(helper.make_node("Relu", [n + "_c"], [n],
                                           name=n + "/relu"))
        self.width[n] = cout
        return n

    def concat(self, xs):
        n = self.name("cat")
        self.nodes.append(helper.make_node("Concat", xs, [n], name=n, axis=1))
        self.width[n] = sum(self.width[x] for x in xs)
        return n

    def add(self, a, b):
        n = self.name("add")
        self.nodes.append(helper.make_node("Add", [a, b], [n], name=n))
        self.width[n] = self.width[a]
        return n

    def model(self, out):
        graph = helper.make_graph(
            self.nodes, "shared_concats",
            [helper.make_tensor_value_info("input", onnx.TensorProto.FLOAT,
                                           [1, C, H, H])],
            [helper.make_tensor_value_info(out, onnx.TensorProto.FLOAT,
                                           [1, self.width[out], H, H])],
            initializer=self.inits)
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        m.ir_version = 7
        onnx.checker.check_model(m)
        return m


def sum_of_concats():
    g = Graph(1)
    x0, b, c = (g.conv("input", 2) for _ in range(3))
    return g, g.conv(g.add(g.concat([x0, b]), g.concat([x0, c])), 3)


def densenet():
    g = Graph(2)
    feats = [g.conv("input", 4)]
    cat = feats[0]
    for _ in range(3):
        feats.append(g.conv(cat, 2))
        cat = g.concat(list(feats))
    return g, g.conv(cat, 3)


def repeated():
    g = Graph(3)
    a, b = g.conv("input", 2), g.conv("input", 1)
    return g, g.conv(g.add(g.concat([a, a]), g.concat(["input", b])), 3)


def copied_prefix():
    # An earlier concat with an operand that needs a copy (repeated, a graph
    # input) recurs as a later concat's prefix: not nested, copied too.
    g = Graph(4)
    a, w, z = g.conv("input", 2), g.conv("input", 1), g.conv("input", 1)
    p, q = g.concat([a, a]), g.concat([w, "input"])
    c, d = g.concat([a, a, z]), g.concat([w, "input", z])
    left = g.add(g.concat([p, z]), c)
    right = g.add(g.concat([q, z]), d)
    return g, g.conv(g.add(left, right), 3)


def random_graph(seed):
    g = Graph(100 + seed)
    rng = g.rng
    pool = [g.conv("input", int(rng.integers(1, 4))) for _ in range(3)]
    for _ in range(int(rng.integers(3, 7))):
        kind = rng.integers(0, 3)
        if kind == 0:  # a concat of a random operand list, repeats allowed
            k = int(rng.integers(2, 4))
            pool.append(g.concat([pool[int(i)] for i in
                                  rng.integers(0, len(pool), k)]))
        elif kind == 1:  # a conv of something already there
            pool.append(g.conv(pool[int(rng.integers(0, len(pool)))],
                               int(rng.integers(1, 4))))
        else:  # two concats of equal width, added
            a, b = (pool[int(i)] for i in rng.integers(0, len(pool), 2))
            x, y = g.concat([a, b]), g.concat([b, a])
            pool.append(g.add(x, y))
    # Everything joins the output, so every concat is live at the end.
    return g, g.conv(g.concat(pool[-3:]), 2)


def main():
    out = sys.argv[1]
    count = int(sys.argv[sys.argv.index("--random") + 1]) \
        if "--random" in sys.argv else 0
    os.makedirs(out, exist_ok=True)
    builders = [("sum_of_concats", sum_of_concats), ("densenet", densenet),
                ("repeated", repeated), ("copied_prefix", copied_prefix)]
    builders += [("random%d" % k, lambda k=k: random_graph(k))
                 for k in range(count)]
    for name, build in builders:
        g, y = build()
        onnx.save(g.model(y), os.path.join(out, name + ".onnx"))
        x = np.random.default_rng(7).standard_normal((1, C, H, H))
        np.save(os.path.join(out, name + ".npy"), x.astype(np.float32))
        print(name)


if __name__ == "__main__":
    main()
