"""Runs every decomposition/pruning option combination on a model through
escalate-run and prints the output SQNR against the original model.

usage: decompose_matrix.py BIN_DIR MODEL.onnx INPUT.npy WORK_DIR
"""
import itertools
import os
import subprocess
import sys

import numpy as np

bin_dir, model, data, work = sys.argv[1:5]
tool = lambda name: os.path.join(bin_dir, name)


def run(mlir_or_onnx, out):
    subprocess.run([tool("escalate-run"), mlir_or_onnx, "--input", data,
                    "--output-dir", out], check=True)
    return np.load(os.path.join(out, "output.npy"))


def sqnr(ref, got):
    noise = np.sum((ref - got) ** 2)
    return float("inf") if noise == 0 else 10 * np.log10(np.sum(ref ** 2) / noise)


reference = run(model, os.path.join(work, "ref"))
imported = subprocess.run([tool("escalate-translate"), "--import-onnx", model],
                          check=True, capture_output=True).stdout
decompositions = ["bases=9", "bases=4", "energy=0.9"]
prunings = ["", "sparsity=0.5", "std-threshold=1.0", "error-budget=0.3"]
for i, (dec, prune, refit) in enumerate(
        itertools.product(decompositions, prunings, ["true", "false"])):
    if not prune and refit == "false":
        continue
    passes = ["--escalate-graph-opt", "--escalate-decompose-kernels=" + dec]
    if prune:
        passes.append("--escalate-prune-coefficients=%s refit=%s" % (prune, refit))
    mlir = os.path.join(work, "combo%d.mlir" % i)
    subprocess.run([tool("escalate-opt"), *passes, "-o", mlir], input=imported,
                   check=True)
    out = run(mlir, os.path.join(work, "combo%d" % i))
    finite = bool(np.all(np.isfinite(out)))
    label = " ".join(filter(None, [dec, prune, prune and "refit=" + refit]))
    print("%-48s sqnr %7.1f dB finite %s" % (label, min(sqnr(reference, out), 999), finite))
