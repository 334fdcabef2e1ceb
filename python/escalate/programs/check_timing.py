"""CLI: python -m escalate.programs.check_timing --bin DIR --hw HW.json
[--tolerance T] "LAYER FLAGS" ...

Generates each conv layer (flags as for `python -m escalate.programs conv`),
assembles and simulates it, and compares the simulated cycles with the
analytical model of costmodel.py. Prints one row per layer and the largest
deviation; exits 1 if a layer deviates by more than the tolerance.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile

import numpy as np

from . import conv_layer_spec
from .__main__ import add_layer_options, layer_kwargs
from .costmodel import load_hw, program_cycles


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m escalate.programs.check_timing",
                                description=__doc__.split("\n\n")[1])
    p.add_argument("--bin", required=True, help="directory of escalate-translate and -sim")
    p.add_argument("--hw", required=True, help="hardware description (JSON)")
    p.add_argument("--tolerance", type=float, default=0.05)
    p.add_argument("layers", nargs="+")
    a = p.parse_args(argv)
    hw = load_hw(a.hw)
    layer_parser = argparse.ArgumentParser(prog="layer")
    add_layer_options(layer_parser)
    worst, bad = 0.0, 0
    print("%-72s %10s %10s %8s" % ("layer", "simulated", "model", "dev"))
    for flags in a.layers:
        layer = conv_layer_spec(**layer_kwargs(layer_parser.parse_args(shlex.split(flags))))
        # The program targets the description the model reads.
        hw_text = json.dumps(hw, separators=(",", ":")).replace("\\", "\\\\").replace('"', '\\"')
        text = layer["text"].replace("attributes {dram_bytes = ",
                                     'attributes {hw = "%s", dram_bytes = ' % hw_text, 1)
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "p.mlir"), "w") as f:
                f.write(text)
            np.save(os.path.join(d, "x.npy"), layer["x"].astype(np.int32))
            subprocess.run([os.path.join(a.bin, "escalate-translate"), "--escisa-to-bin",
                            os.path.join(d, "p.mlir"), "-o",
                            os.path.join(d, "p.escb")], check=True)
            subprocess.run([os.path.join(a.bin, "escalate-sim"), os.path.join(d, "p.escb"),
                            "--input", os.path.join(d, "x.npy"), "--output-dir",
                            os.path.join(d, "out"), "--stats", os.path.join(d, "s.json"),
                            "--quiet"], check=True)
            with open(os.path.join(d, "s.json")) as f:
                simulated = json.load(f)["total"]["cycles"]
        model = program_cycles(hw, layer)
        dev = abs(model - simulated) / max(1, simulated)
        worst = max(worst, dev)
        bad += dev > a.tolerance
        print("%-72s %10d %10d %7.2f%%" % (flags[:72], simulated, model, 100 * dev))
    print("%d layers: largest deviation %.2f%% (tolerance %.1f%%)%s" %
          (len(a.layers), 100 * worst, 100 * a.tolerance,
           "" if not bad else ", %d outside" % bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
