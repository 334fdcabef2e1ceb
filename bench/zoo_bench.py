"""Coverage of the CNNs people export (bench/zoo.sh; bench/README.md, "Model
zoo coverage"; issue 17).

Per torchvision architecture (random weights, seed 0: graph coverage, not
accuracy) and ONNX opset: the float reference (escalate-run) against ONNX
Runtime, then per mode: compile (wall time, peak RSS, or the first error
line), simulate, cosine and SQNR of the simulated output against ONNX
Runtime's float output, cycles and the host's share of them. Prints one
JSON line per run, a Markdown table and the issue's targets; writes
results.json into --out.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compile_bench import BIN, MODES, ROOT  # noqa: E402

CLASSIFICATION = [
    "resnet18", "resnext50_32x4d", "wide_resnet50_2", "vgg11", "alexnet",
    "squeezenet1_0", "mobilenet_v2", "mobilenet_v3_small",
    "mobilenet_v3_large", "shufflenet_v2_x1_0", "mnasnet0_5",
    "efficientnet_b0", "regnet_y_400mf", "densenet121", "googlenet",
    "inception_v3", "convnext_tiny"]
SEGMENTATION = ["fcn_resnet50", "deeplabv3_mobilenet_v3_large",
                "lraspp_mobilenet_v3_large"]
# Inception v3 needs 299 x 299 (its stem shrinks smaller inputs to nothing).
SIZES = {"inception_v3": 299}

EXPORT = r"""
import sys, numpy as np, torch, torchvision
name, opset, size, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
torch.manual_seed(0)
seg = hasattr(torchvision.models.segmentation, name)
if seg:
    m = getattr(torchvision.models.segmentation, name)(
        weights=None, weights_backbone=None)
else:
    kw = {"aux_logits": False, "init_weights": True} \
        if name in ("googlenet", "inception_v3") else {}
    m = getattr(torchvision.models, name)(weights=None, **kw)
m.eval()

class Out(torch.nn.Module):
    # Segmentation models return a dict; its "out" is the prediction.
    def __init__(self, m):
        super().__init__()
        self.m = m
    def forward(self, x):
        return self.m(x)["out"]

x = torch.randn(1, 3, size, size)
torch.onnx.export(Out(m) if seg else m, x, out + "/model.onnx",
                  opset_version=opset, input_names=["input"],
                  output_names=["output"])
np.save(out + "/input.npy", x.numpy())
"""


def run(cmd, timeout=None):
    """Runs cmd under /usr/bin/time: (exit status, wall s, peak MB, stderr
    without the time line)."""
    try:
        r = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, float(timeout), None, "timed out after %d s" % timeout
    lines = r.stderr.strip().splitlines()
    wall, kb = lines[-1].split()[-2:]
    return r.returncode, float(wall), int(kb) / 1024.0, "\n".join(lines[:-1])


def first_error(stderr):
    for line in stderr.splitlines():
        if "error:" in line:
            return line.split("error:", 1)[1].strip()
    return stderr.strip().splitlines()[-1] if stderr.strip() else "failed"


def compare(ref, out):
    a, b = ref.astype(np.float64).ravel(), out.astype(np.float64).ravel()
    noise = np.sum((a - b) ** 2)
    cos = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) or 1))
    sqnr = float(10 * np.log10(np.sum(a ** 2) / noise)) if noise else 99.0
    return round(cos, 4), round(sqnr, 1)


def prepare(model, opset, out):
    """Exports the model and runs ONNX Runtime on its seeded input:
    (dir, error or None)."""
    d = os.path.join(out, "%s-op%d" % (model, opset))
    os.makedirs(d, exist_ok=True)
    if not os.path.exists(os.path.join(d, "model.onnx")):
        r = subprocess.run(["/usr/bin/python3", "-c", EXPORT, model,
                            str(opset), str(SIZES.get(model, 224)), d],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
        if r.returncode:
            return d, "export: " + r.stderr.strip().splitlines()[-1]
    if not os.path.exists(os.path.join(d, "ort", "output.npy")):
        r = subprocess.run(["node", os.path.join(ROOT, "scripts", "ort",
                                                 "run.js"),
                            os.path.join(d, "model.onnx"),
                            os.path.join(d, "ort"),
                            os.path.join(d, "input.npy")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
        if r.returncode:
            return d, "onnxruntime: " + first_error(r.stderr)
    return d, None


def float_reference(tools, d):
    status, _, _, err = run([os.path.join(tools, "escalate-run"),
                             os.path.join(d, "model.onnx"), "--input",
                             os.path.join(d, "input.npy"), "--expected",
                             os.path.join(d, "ort", "output.npy"), "--rtol",
                             "1e-3", "--atol", "1e-4"], timeout=600)
    return "ok" if status == 0 else first_error(err)


def compile_and_simulate(tools, d, mode, extra, timeout):
    p = os.path.join(d, mode)
    row = {"mode": mode}
    status, wall, mb, err = run(
        [os.path.join(tools, "escalate-compile"),
         os.path.join(d, "model.onnx"), "-o", p + ".escb", "--quiet", "--calib-samples", "1", "-j", "1"] +
        MODES[mode] + extra, timeout)
    row.update(compile_s=round(wall, 1), compile_mb=mb and round(mb))
    if status != 0:
        row["error"] = first_error(err)
        return row
    status, _, _, err = run(
        [os.path.join(tools, "escalate-sim"), p + ".escb", "--input",
         os.path.join(d, "input.npy"), "--dequantize", "--output-dir",
         p + ".out", "--stats", p + ".stats.json", "--quiet"], timeout)
    if status != 0:
        row["error"] = "escalate-sim: " + first_error(err)
        return row
    stats = json.load(open(p + ".stats.json"))["total"]
    row["cosine"], row["sqnr_db"] = compare(
        np.load(os.path.join(d, "ort", "output.npy")),
        np.load(os.path.join(p + ".out", "output.npy")))
    row["cycles"] = stats["cycles"]
    row["host_share"] = round(
        stats["units"]["host"]["busy_cycles"] / max(1, stats["cycles"]), 4)
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default=",".join(CLASSIFICATION +
                                                 SEGMENTATION))
    ap.add_argument("--opsets", default="13,17")
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--timeout", type=int, default=600,
                    help="seconds per compile or simulation")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench",
                                                  "zoo"))
    ap.add_argument("--bin", default=BIN,
                    help="the tools to measure (a copy keeps a long run on "
                         "one revision while the tree is rebuilt)")
    args, extra = ap.parse_known_args()
    os.makedirs(args.out, exist_ok=True)
    results = []
    for model in args.models.split(","):
        for opset in map(int, args.opsets.split(",")):
            d, error = prepare(model, opset, args.out)
            entry = {"model": model, "opset": opset,
                     "segmentation": model in SEGMENTATION}
            if error:
                entry.update(float_reference=error, modes=[])
            else:
                entry["float_reference"] = float_reference(args.bin, d)
                entry["modes"] = [compile_and_simulate(args.bin, d, m, extra,
                                                       args.timeout)
                                  for m in args.modes.split(",")]
            results.append(entry)
            print(json.dumps(entry), flush=True)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    report(results)


def report(results):
    """One row per model and opset: each mode's cosine (dense with SQNR)
    and Mcycles, the host's share, the slowest compile and largest peak,
    or the first failure."""
    modes = list(MODES)
    print("| model | opset | float vs ORT | " +
          " | ".join("%s cosine" % m for m in modes) + " | " +
          " / ".join(modes) + " Mcycles | host % | compile s (max) | "
          "peak MB (max) | first failure |")
    print("|" + "---|" * (len(modes) + 8))
    for e in results:
        by = {r["mode"]: r for r in e["modes"]}
        ok = [by[m] for m in modes if m in by and "error" not in by[m]]
        failed = [by[m] for m in modes if m in by and "error" in by[m]]
        cos = []
        for m in modes:
            r = by.get(m, {})
            cell = "" if "cosine" not in r else str(r["cosine"])
            if cell and m == "dense":
                cell += " (%s dB)" % r["sqnr_db"]
            cos.append(cell)
        cycles = " / ".join("%.2f" % (by[m]["cycles"] / 1e6)
                            if m in by and "cycles" in by[m] else "-"
                            for m in modes)
        host = max((r["host_share"] for r in ok), default=None)
        runs = e["modes"]
        ref = e["float_reference"]
        print("| %s | %d | %s | %s | %s | %s | %s | %s | %s |" % (
            e["model"], e["opset"], "ok" if ref == "ok" else "fails: " +
            ref[:100], " | ".join(cos), cycles,
            "" if host is None else "%.1f" % (100 * host),
            max((r["compile_s"] for r in runs), default=""),
            max((r["compile_mb"] or 0 for r in runs), default=""),
            failed[0]["error"][:140] if failed else ""))
    runs = [(e, r) for e in results for r in e["modes"]]
    floats = sum(e["float_reference"] == "ok" for e in results)
    compiled = sum("error" not in r for _, r in runs)
    dense = [(e, r) for e, r in runs if r["mode"] == "dense"]
    dense_ok = sum(r.get("cosine", 0) >= 0.99 for _, r in dense)
    host_ok = [(e, r) for e, r in runs
               if not e["segmentation"] and "error" not in r]
    print("float reference within rtol 1e-3 / atol 1e-4 of ONNX Runtime: "
          "%d of %d models (target: all)" % (floats, len(results)))
    print("compiled and simulated: %d of %d model x mode runs (target: all)"
          % (compiled, len(runs)))
    print("dense cosine >= 0.99 against the float output: %d of %d models "
          "(target: all)" % (dense_ok, len(dense)))
    print("host share <= 5%% of cycles: %d of %d compiled classification "
          "runs (target: all)" % (sum(r["host_share"] <= 0.05
                                      for _, r in host_ok), len(host_ok)))
    slow = [(e["model"], e["opset"], r["mode"], r["compile_s"])
            for e, r in runs if r["compile_s"] > 60]
    print("compiles over 60 s on one core: %s (target: none)" %
          (", ".join("%s op%d %s %.0f s" % s for s in slow) or "none"))


if __name__ == "__main__":
    main()
