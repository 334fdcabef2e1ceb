"""Compile-and-simulate benchmark (bench/compile.sh; bench/README.md).

Per model: ONNX Runtime CPU inference time (best of 3, one thread). Per
model and mode: compile wall time and peak RSS, binary size against the
fp32 ONNX file, simulated cycles, energy and DRAM traffic, PE utilization
and each layer's efficiency against its roofline bound, the cost model's
estimate against the simulated cycles, and the simulator's wall time and
MAC/s. Builder models have random weights, so the decomposed mode uses a
fixed number of bases (PENNI's M = 5 of 9) rather than an energy target.
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
MODELS = ["resnet18", "resnet50", "vgg16", "mobilenet_v2", "resnet18_cifar",
          "vgg16_cifar"]
MODES = {
    "dense": ["--mode", "dense"],
    "pruned": ["--mode", "pruned", "--sparsity", "0.8"],
    "decomposed": ["--mode", "decomposed", "--bases", "5", "--sparsity",
                   "0.5"],
}
COLORS = {"dense": "#7f7f7f", "pruned": "#1f77b4", "decomposed": "#d62728"}


def timed(cmd):
    """Runs cmd under /usr/bin/time: (wall s, peak MB, its stderr)."""
    r = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode:
        sys.exit("%s failed:\n%s" % (" ".join(cmd), r.stderr))
    lines = r.stderr.strip().splitlines()
    wall, kb = lines[-1].split()
    return float(wall), int(kb) / 1024.0, "\n".join(lines[:-1])


def peak_rss(cmd):
    return timed(cmd)[:2]


def svg(path, model, layers, modes):
    """Grouped bars: per-layer simulated cycles, one colour per mode."""
    names = layers
    n = len(names)
    width, height, left, bottom = max(640, 14 * n * len(modes) + 120), 360, \
        70, 110
    peak = max(max(m.values()) for m in modes.values()) or 1
    bar = (width - left - 20) / max(1, n) / (len(modes) + 1)
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="10">' % (width, height),
           '<text x="%d" y="16" font-size="13">%s: simulated cycles per '
           'layer</text>' % (left, model)]
    plot = height - bottom - 30
    for k in range(5):
        y = 30 + plot * k / 4
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>'
                   % (left, width - 20, y, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%.3g</text>'
                   % (left - 4, y + 3, peak * (1 - k / 4)))
    for i, name in enumerate(names):
        x0 = left + i * bar * (len(modes) + 1)
        for j, (mode, cycles) in enumerate(modes.items()):
            v = cycles.get(name, 0)
            h = plot * v / peak
            out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" '
                       'fill="%s"><title>%s %s: %d</title></rect>'
                       % (x0 + j * bar, 30 + plot - h, bar, h, COLORS[mode],
                          name, mode, v))
        out.append('<text transform="translate(%.1f,%d) rotate(-60)" '
                   'text-anchor="end">%s</text>'
                   % (x0 + bar, height - bottom + 12, name[-28:]))
    for j, mode in enumerate(modes):
        out.append('<rect x="%d" y="%d" width="10" height="10" fill="%s"/>'
                   '<text x="%d" y="%d">%s</text>'
                   % (width - 120, 24 + 14 * j, COLORS[mode], width - 106,
                      33 + 14 * j, mode))
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out))


def write_layers(path, side_by_side):
    """Per layer and mode: estimated and simulated cycles, roofline
    efficiency (simulated cycles against the layer's roofline bound)."""
    modes = list(side_by_side)
    names = list(side_by_side[modes[0]])
    with open(path, "w") as f:
        f.write("| layer | " + " | ".join(
            "%s est | %s sim | %s roofline eff" % (m, m, m) for m in modes) +
            " |\n|" + "---|" * (1 + 3 * len(modes)) + "\n")
        for n in names:
            cells = []
            for m in modes:
                est, sim, eff = side_by_side[m].get(n, (0, 0, 0))
                cells += [str(est), str(sim), "%.2f" % eff]
            f.write("| %s | %s |\n" % (n, " | ".join(cells)))


def arguments(default_out, models=MODELS):
    """The benchmarks' shared flags: (parsed, flags left for the compiler)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default=",".join(models))
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench",
                                                  default_out))
    ap.add_argument("--calib-samples", default="1")
    args, extra = ap.parse_known_args()
    os.makedirs(args.out, exist_ok=True)
    return args, extra


def prepare(model, out, repeat):
    """Builds `model` into out/<model>/ (once) with its seeded input, and
    times ONNX Runtime on it (best of `repeat`, None if it fails):
    (dir, model.onnx, input.npy, seconds)."""
    d = os.path.join(out, model)
    os.makedirs(d, exist_ok=True)
    onnx_path = os.path.join(d, "model.onnx")
    inp = os.path.join(d, "input.npy")
    if not os.path.exists(onnx_path):
        subprocess.run(["/usr/bin/python3", "-m", "escalate.models", model,
                        "-o", onnx_path, "--save-input", inp], check=True,
                       env=dict(os.environ,
                                PYTHONPATH=os.path.join(ROOT, "python")))
    r = subprocess.run(["node", os.path.join(ROOT, "scripts", "ort", "run.js"),
                        onnx_path, os.path.join(d, "ort"), inp, "--repeat",
                        str(repeat)], stdout=subprocess.PIPE, text=True)
    ort = float(r.stdout.split("seconds=")[1]) if r.returncode == 0 else None
    return d, onnx_path, inp, ort


def main():
    args, extra = arguments("compile")
    results = []
    for model in args.models.split(","):
        d, onnx_path, inp, ort = prepare(model, args.out, 3)
        per_layer, side_by_side = {}, {}
        for mode in args.modes.split(","):
            p = os.path.join(d, mode)
            cmd = [os.path.join(BIN, "escalate-compile"), onnx_path, "-o",
                   p + ".escb", "--report", p + ".report.json", "--quiet",
                   "--calib-samples", args.calib_samples] + MODES[mode] + extra
            compile_s, compile_mb = peak_rss(cmd)
            sim_cmd = [os.path.join(BIN, "escalate-sim"), p + ".escb",
                       "--input", inp, "--stats", p + ".stats.json",
                       "--quiet"]
            sim_s, sim_mb = peak_rss(sim_cmd)
            stats = json.load(open(p + ".stats.json"))
            report = json.load(open(p + ".report.json"))
            t = stats["total"]
            sim_layers = {l["name"]: l for l in stats["layers"]}
            effs, worst_est = [], 0.0
            for l in report["layers"]:
                s = sim_layers.get(l["name"])
                if not s:
                    continue
                worst_est = max(worst_est, abs(l["estimated_cycles"] /
                                               max(1, s["cycles"]) - 1))
                # "conv + qadd": a conv with a fused epilogue.
                if l["kind"].split(" + ")[0] in ("conv", "decomposed_conv") and \
                        min(l["in_channels"], l["out_channels"]) >= 64:
                    effs.append(s["roofline_efficiency"])
            per_layer[mode] = {l["name"]: l["cycles"] for l in stats["layers"]
                               if l["cycles"]}
            side_by_side.setdefault(mode, {})
            for l in report["layers"]:
                s = sim_layers.get(l["name"])
                if s:
                    side_by_side[mode][l["name"]] = (
                        l["estimated_cycles"], s["cycles"],
                        s["roofline_efficiency"])
            row = {
                "model": model, "mode": mode,
                "compile_s": round(compile_s, 2),
                "compile_peak_mb": round(compile_mb, 1),
                "onnx_bytes": os.path.getsize(onnx_path),
                "binary_bytes": os.path.getsize(p + ".escb"),
                "cycles": t["cycles"],
                "energy_uj": round(t["energy_pj"]["total"] / 1e6, 1),
                "dram_bytes": t["dram_read_bytes"] + t["dram_write_bytes"],
                "macs_issued": t["macs_issued"],
                "dense_macs": t["dense_equivalent_macs"],
                "pe_utilization": round(t["pe_utilization"], 3),
                "roofline_efficiency_ge64ch_mean":
                    round(sum(effs) / len(effs), 3) if effs else None,
                "layers_ge64ch_at_80pct_roofline":
                    "%d/%d" % (sum(e >= 0.8 for e in effs), len(effs)),
                "estimate_worst_deviation": round(worst_est, 4),
                "sim_s": round(sim_s, 2),
                "sim_peak_mb": round(sim_mb, 1),
                "sim_macs_per_s": round(t["macs_issued"] / sim_s),
                "ort_s": ort,
                "sim_over_ort": round(sim_s / ort, 1) if ort else None,
            }
            results.append(row)
            print(json.dumps(row), flush=True)
        write_layers(os.path.join(args.out, model + ".layers.md"),
                     side_by_side)
        svg(os.path.join(args.out, model + ".svg"), model,
            list(per_layer.get("dense", next(iter(per_layer.values())))),
            per_layer)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    cols = [("model", "%-15s"), ("mode", "%-10s"), ("compile_s", "%8s"),
            ("compile_peak_mb", "%8s"), ("binary_bytes", "%10s"),
            ("cycles", "%10s"), ("energy_uj", "%9s"), ("dram_bytes", "%10s"),
            ("pe_utilization", "%6s"),
            ("roofline_efficiency_ge64ch_mean", "%6s"),
            ("layers_ge64ch_at_80pct_roofline", "%7s"),
            ("estimate_worst_deviation", "%7s"), ("sim_s", "%6s"),
            ("sim_macs_per_s", "%11s"), ("ort_s", "%7s")]
    print("| " + " | ".join(c for c, _ in cols) + " |")
    print("|" + "---|" * len(cols))
    for r in results:
        print("| " + " | ".join(str(r[c]) for c, _ in cols) + " |")
    by = {(r["model"], r["mode"]): r for r in results}
    for model in args.models.split(","):
        if (model, "dense") in by and (model, "decomposed") in by:
            dn, dc = by[(model, "dense")], by[(model, "decomposed")]
            print("%s: decomposed vs dense: %.2fx cycles, %.2fx energy" %
                  (model, dn["cycles"] / dc["cycles"],
                   dn["energy_uj"] / dc["energy_uj"]))


if __name__ == "__main__":
    main()
