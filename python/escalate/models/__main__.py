"""CLI: python -m escalate.models NAME -o OUT.onnx [--seed N] [--batch B] [--save-input F.npy]"""

import argparse
import os
import sys
import tempfile

import numpy as np
import onnx

from . import MODELS, build, check, param_count, random_input


def check_all(seed, batch):
    """Build, save, check and summarise every model; generated files are temporary."""
    print(f"{'model':<24}{'nodes':>7}{'params':>14}{'size (MB)':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in MODELS:
            model = build(name, seed, batch)
            check(model)
            path = os.path.join(tmp, name + ".onnx")
            onnx.save(model, path)
            size = os.path.getsize(path) / 1e6
            os.remove(path)  # keep at most one large model on disk at a time
            print(f"{name:<24}{len(model.graph.node):>7}{param_count(model):>14,}{size:>11.2f}", flush=True)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m escalate.models", description=__doc__)
    p.add_argument("name", nargs="?", help="model to build (see --list)")
    p.add_argument("-o", "--output", help="path of the .onnx file to write")
    p.add_argument("--seed", type=int, default=0, help="RNG seed for weights and input (default 0)")
    p.add_argument("--batch", type=int, default=1, help="static batch size (default 1)")
    p.add_argument("--save-input", metavar="FILE.npy", help="also write a seeded random input tensor")
    p.add_argument("--list", action="store_true", help="print the model names and exit")
    p.add_argument("--check-all", action="store_true", help="build and check every model, print a summary")
    a = p.parse_args(argv)

    if a.list:
        print("\n".join(MODELS))
        return 0
    if a.check_all:
        check_all(a.seed, a.batch)
        return 0
    if a.name is None:
        p.error(f"a model NAME is required; valid names: {', '.join(MODELS)}")
    if a.name not in MODELS:
        p.error(f"unknown model {a.name!r}; valid names: {', '.join(MODELS)}")
    if not a.output:
        p.error("-o OUT.onnx is required")
    model = build(a.name, a.seed, a.batch)
    check(model)
    onnx.save(model, a.output)
    if a.save_input:
        np.save(a.save_input, random_input(a.name, a.seed, a.batch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
