"""CLI: python -m escalate.programs conv -o PROG.mlir --input X.npy --expected Y.npy [layer options]"""

import argparse

import numpy as np

from . import conv_layer


def add_layer_options(p):
    """The conv_layer keyword arguments as flags (--cin 4 ...)."""
    p.add_argument("--mode", choices=["decomposed", "dense", "pruned"], default="decomposed")
    p.add_argument("--format", choices=["dense", "bitmap", "delta"], default="dense")
    for flag, default in (("cin", 4), ("cout", 6), ("h", 7), ("w", 5), ("k", 3), ("stride", 1),
                          ("pad", 1), ("dilation", 1), ("groups", 1), ("bases", 3),
                          ("index-bits", 4), ("act-bits", 8), ("coef-bits", 8),
                          ("basis-bits", 8), ("repeat", 1), ("seed", 0)):
        p.add_argument("--" + flag, type=int, default=default)
    p.add_argument("--sparsity", type=float, default=0.0)


def layer_kwargs(a):
    return dict(mode=a.mode, fmt=a.format, cin=a.cin, cout=a.cout, h=a.h, w=a.w, k=a.k,
                stride=a.stride, pad=a.pad, dilation=a.dilation, groups=a.groups,
                bases=a.bases, sparsity=a.sparsity, index_bits=a.index_bits,
                act_bits=a.act_bits, coef_bits=a.coef_bits, basis_bits=a.basis_bits,
                repeat=a.repeat, seed=a.seed)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m escalate.programs", description=__doc__)
    p.add_argument("kind", choices=["conv"])
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--input", required=True, help="write the input tensor here (.npy)")
    p.add_argument("--expected", required=True, help="write the numpy reference output here")
    add_layer_options(p)
    a = p.parse_args(argv)
    text, x, y, macs = conv_layer(**layer_kwargs(a))
    with open(a.output, "w") as f:
        f.write(text)
    np.save(a.input, x.astype(np.int32))
    np.save(a.expected, y.astype(np.int64))
    print(f"{macs} MACs per conv instruction")


if __name__ == "__main__":
    main()
