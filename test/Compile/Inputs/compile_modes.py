"""Compiles a model in every mode, simulates it and checks the result.

compile_modes.py BIN OUT MODEL INPUT [--modes M,M] [escalate-compile flags...]

For each of dense, pruned and decomposed: escalate-compile writes the
binary (with --report), the quantized IR and the listing; escalate-run
executes the quantized IR (the golden model) and escalate-sim the binary.
Prints "MODE: bit-exact ..." when every output of the simulator equals the
reference's (both dequantized by the same formula from their integers),
then check_program.py's summary of DRAM traffic and estimated cycles.
"""
import os
import subprocess
import sys

import numpy as np

bindir, out, model, inp = sys.argv[1:5]
flags = sys.argv[5:]
modes = ["dense", "pruned", "decomposed"]
if flags[:1] == ["--modes"]:
    modes = flags[1].split(",")
    flags = flags[2:]
hw = os.path.splitext(os.path.basename(flags[flags.index("--hw") + 1]))[0] \
    if "--hw" in flags else "default"
d = os.path.join(out, hw)
os.makedirs(d, exist_ok=True)
check = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                     "check_program.py")


def run(tool, *args):
    subprocess.run([os.path.join(bindir, tool), *args], check=True,
                   stdout=subprocess.PIPE)


for mode in modes:
    p = os.path.join(d, mode)
    common = [model, "--mode", mode, "--quiet"] + flags
    run("escalate-compile", *common, "-o", p + ".escb", "--report",
        p + ".report.json")
    run("escalate-compile", *common, "--emit", "quantized", "-o", p + ".mlir")
    run("escalate-compile", *common, "--emit", "asm", "-o", p + ".asm")
    run("escalate-run", p + ".mlir", "--input", inp, "--output-dir",
        p + ".ref")
    run("escalate-sim", p + ".escb", "--input", inp, "--output-dir",
        p + ".sim", "--dequantize", "--stats", p + ".stats.json", "--quiet")
    for f in sorted(os.listdir(p + ".sim")):
        ref = np.load(os.path.join(p + ".ref", f))
        sim = np.load(os.path.join(p + ".sim", f))
        if ref.shape != sim.shape or not np.array_equal(ref, sim):
            print("%s: %s differs: max |diff| %g" %
                  (mode, f, np.abs(ref - sim).max()))
            sys.exit(1)
        print("%s: bit-exact (%s, %d values, %d distinct)" %
              (mode, f, sim.size, len(np.unique(sim))))
    r = subprocess.run(["/usr/bin/python3", check, p + ".report.json",
                        p + ".stats.json"], stdout=subprocess.PIPE, text=True)
    print(mode + ": " + r.stdout.strip().splitlines()[-1])
    if r.returncode:
        print(r.stdout)
        sys.exit(1)
