"""Compiles ONNX node tests and simulates them against ONNX's outputs.

node_tests.py BIN NODE_DIR OUT MIN_SQNR_DB TEST...

Each test's inputs after the first (weights) are frozen into constants
with --freeze-input, its first input is the calibration set, and the simulated output (dequantized) is compared
with ONNX's expected output by escalate-compare: cosine >= 0.99 and SQNR
>= MIN_SQNR_DB. Prints one line per test; exits 1 if any fails.
"""
import os
import shutil
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper

bindir, nodes, out, min_sqnr = sys.argv[1:5]
failed = 0
for name in sys.argv[5:]:
    src = os.path.join(nodes, name)
    d = os.path.join(out, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, "calib"))
    os.makedirs(os.path.join(d, "expected"))
    inp = os.path.join(src, "test_data_set_0", "input_0.pb")
    shutil.copy(inp, os.path.join(d, "calib", "input_0.pb"))
    model = os.path.join(src, "model.onnx")
    graph = onnx.load(model).graph
    initializers = {i.name for i in graph.initializer}
    inputs = [i.name for i in graph.input if i.name not in initializers]
    freeze = []
    for k, input_name in enumerate(inputs[1:], start=1):
        freeze += ["--freeze-input", "%s=%s" % (
            input_name,
            os.path.join(src, "test_data_set_0", "input_%d.pb" % k))]
    steps = [
        ["escalate-compile", model, "--mode", "dense", "--calib",
         os.path.join(d, "calib"), "--quiet", "-o",
         os.path.join(d, "p.escb")] + freeze,
        ["escalate-sim", os.path.join(d, "p.escb"), "--input", inp,
         "--output-dir", os.path.join(d, "sim"), "--dequantize", "--quiet"],
    ]
    err = None
    for cmd in steps:
        r = subprocess.run([os.path.join(bindir, cmd[0])] + cmd[1:],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
        if r.returncode:
            err = "%s failed: %s" % (cmd[0], r.stderr.strip().splitlines()[0])
            break
    if err:
        print("%s: FAIL %s" % (name, err))
        failed += 1
        continue
    t = onnx.TensorProto()
    t.ParseFromString(open(os.path.join(src, "test_data_set_0", "output_0.pb"),
                           "rb").read())
    simfile = os.listdir(os.path.join(d, "sim"))[0]
    np.save(os.path.join(d, "expected", simfile), numpy_helper.to_array(t))
    r = subprocess.run([os.path.join(bindir, "escalate-compare"),
                        os.path.join(d, "expected"), os.path.join(d, "sim"),
                        "--min-cosine", "0.99", "--min-sqnr", min_sqnr],
                       stdout=subprocess.PIPE, text=True)
    row = r.stdout.splitlines()[1].split()
    status = "ok" if r.returncode == 0 else "FAIL"
    failed += r.returncode != 0
    print("%s: %s cosine %s SQNR %s dB" % (name, status, row[2], row[3]))
sys.exit(1 if failed else 0)
