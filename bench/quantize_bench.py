"""Bit-width combinations against float (bench/quantize.sh)."""
import json
import os
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
MODEL = sys.argv[1] if len(sys.argv) > 1 else "resnet18_cifar"
OUT = os.path.join(ROOT, "build", "bench", "quantize", MODEL)
COMBOS = [
    ("dense", "w8 a8 (default)", []),
    ("dense", "w4 a8", ["--weight-bits", "4"]),
    ("dense", "w8 a8 per-tensor", ["--per-tensor"]),
    ("dense", "w8 a16", ["--act-bits", "16"]),
    ("decomposed", "basis 8 coef 8 a8 (default)", []),
    ("decomposed", "basis 8 coef 4 a8", ["--coef-bits", "4"]),
    ("decomposed", "basis 4 coef 8 a8", ["--basis-bits", "4"]),
    ("decomposed", "basis 4 coef 4 a8", ["--basis-bits", "4", "--coef-bits", "4"]),
    ("decomposed", "basis 16 coef 8 a8", ["--basis-bits", "16"]),
    ("decomposed", "basis 8 coef 8 a16", ["--act-bits", "16"]),
]
MODE_FLAGS = {"dense": ["--mode", "dense"],
              "decomposed": ["--mode", "decomposed", "--bases", "5",
                             "--sparsity", "0.5"]}


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE)


def sqnr(ref, x):
    noise = np.sum((ref - x) ** 2)
    return float("inf") if noise == 0 else 10 * np.log10(np.sum(ref ** 2) / noise)


os.makedirs(os.path.join(OUT, "cal"), exist_ok=True)
os.makedirs(os.path.join(OUT, "eval"), exist_ok=True)
model = os.path.join(OUT, "model.onnx")
env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
subprocess.run(["/usr/bin/python3", "-m", "escalate.models", MODEL, "-o", model,
                "--save-input", os.path.join(OUT, "x.npy")], check=True, env=env)
shape = np.load(os.path.join(OUT, "x.npy")).shape
for i in range(8):
    np.save(os.path.join(OUT, "cal", "%d.npy" % i),
            np.random.default_rng(100 + i).standard_normal(shape).astype(np.float32))
inputs = []
for i in range(16):
    p = os.path.join(OUT, "eval", "%d.npy" % i)
    np.save(p, np.random.default_rng(1000 + i).standard_normal(shape).astype(np.float32))
    inputs.append(p)

floats = {}
for mode, flags in MODE_FLAGS.items():
    f = os.path.join(OUT, mode + ".float.mlir")
    run(os.path.join(BIN, "escalate-compile"), model, "--emit", "decomposed",
        "-o", f, "--quiet", *flags)
    floats[mode] = f

rows = []
for mode, name, flags in COMBOS:
    q = os.path.join(OUT, "q.mlir")
    r = subprocess.run([os.path.join(BIN, "escalate-compile"), model,
                        "--emit", "quantized", "-o", q, "--quiet", "--calib",
                        os.path.join(OUT, "cal"), *MODE_FLAGS[mode], *flags],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode:
        # A combination the hardware cannot hold (e.g. a bias past the
        # accumulator) is refused by the compiler; report why.
        why = [l for l in r.stderr.splitlines() if "error" in l][:1]
        row = {"mode": mode, "widths": name, "refused": why[0] if why else ""}
        rows.append(row)
        print(json.dumps(row), flush=True)
        continue
    s, c, agree, worst = [], [], 0, float("inf")
    for k, x in enumerate(inputs):
        outs = {}
        for tag, ir in (("f", floats[mode]), ("q", q)):
            d = os.path.join(OUT, tag)
            dump = os.path.join(OUT, tag + "dump")
            extra = ["--dump-dir", dump] if k == 0 else []
            run(os.path.join(BIN, "escalate-run"), ir, "--input", x,
                "--output-dir", d, *extra)
            outs[tag] = np.load(os.path.join(d, os.listdir(d)[0])).ravel()
        if k == 0:
            r = subprocess.run([os.path.join(BIN, "escalate-compare"),
                                os.path.join(OUT, "fdump"),
                                os.path.join(OUT, "qdump"), "--json",
                                os.path.join(OUT, "cmp.json")],
                               stdout=subprocess.PIPE)
            layers = json.load(open(os.path.join(OUT, "cmp.json")))
            worst = min(t["sqnr_db"] for t in layers
                        if t["sqnr_db"] is not None)
        s.append(sqnr(outs["f"], outs["q"]))
        c.append(float(np.dot(outs["f"], outs["q"]) /
                       (np.linalg.norm(outs["f"]) * np.linalg.norm(outs["q"]))))
        agree += int(outs["f"].argmax() == outs["q"].argmax())
    row = {"mode": mode, "widths": name, "output_sqnr_db": round(float(np.mean(s)), 2),
           "cosine": round(float(np.mean(c)), 5), "top1_agreement": agree / len(inputs),
           "worst_layer_sqnr_db": round(worst, 2)}
    rows.append(row)
    print(json.dumps(row), flush=True)
print("| mode | widths | output SQNR (dB) | cosine | top-1 agreement | worst layer SQNR (dB) |")
print("|---|---|---|---|---|---|")
for r in rows:
    if "refused" in r:
        print("| %s | %s | refused: %s | | | |" % (r["mode"], r["widths"],
                                                  r["refused"]))
        continue
    print("| %s | %s | %.1f | %.4f | %.2f | %.1f |" % (
        r["mode"], r["widths"], r["output_sqnr_db"], r["cosine"],
        r["top1_agreement"], r["worst_layer_sqnr_db"]))
json.dump(rows, open(os.path.join(OUT, "results.json"), "w"), indent=1)
