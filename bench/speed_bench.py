"""Tool speed benchmark (bench/speed.sh; bench/README.md, "Tool speed").

Per model: ONNX Runtime's single-thread CPU inference (onnxruntime-node,
best of 5, session creation excluded). Per model and mode: escalate-compile
on one thread (-j 1) with its wall time and peak RSS, then escalate-sim on
the model's seeded input, functional-only and with the timing model, best
of 3. The simulator's `--time` splits each run into reading the binary and
simulating (machine set-up, inputs, run); the ratio to ONNX Runtime uses
the simulation, the process wall time (start-up and loading included) is
shown beside it. Simulated MAC/s counts the MACs the engines issue.
"""
import json
import os
import re
import sys

from compile_bench import BIN, MODES, arguments, prepare, timed

MODELS = ["resnet18_cifar", "resnet18", "resnet50", "mobilenet_v2", "vgg16"]


def simulate(binary, inp, extra, runs=3):
    """Best of `runs`: (simulate s, load s, process wall s, peak MB)."""
    best = None
    for _ in range(runs):
        wall, mb, err = timed([os.path.join(BIN, "escalate-sim"), binary,
                               "--input", inp, "--quiet", "--time"] + extra)
        m = re.search(r"load ([0-9.]+) s, simulate ([0-9.]+) s", err)
        sample = (float(m.group(2)), float(m.group(1)), wall, mb)
        best = sample if best is None or sample < best else best
    return best


def main():
    args, extra = arguments("speed", MODELS)
    if extra:
        sys.exit("unknown flags: %s" % " ".join(extra))
    results = []
    for model in args.models.split(","):
        d, onnx_path, inp, ort = prepare(model, args.out, 5)
        if ort is None:
            sys.exit("%s: ONNX Runtime failed" % model)
        for mode in args.modes.split(","):
            binary = os.path.join(d, mode + ".escb")
            compile_s, compile_mb, _ = timed(
                [os.path.join(BIN, "escalate-compile"), onnx_path, "-o",
                 binary, "--quiet", "-j", "1", "--calib-samples",
                 args.calib_samples] +
                MODES[mode])
            func = simulate(binary, inp, ["--functional-only"])
            timing = simulate(binary, inp, ["--stats",
                                            os.path.join(d, mode + ".json")])
            total = json.load(open(os.path.join(d, mode + ".json")))["total"]
            row = {
                "model": model, "mode": mode, "ort_s": ort,
                "compile_s": compile_s, "compile_mb": round(compile_mb),
                "sim_functional_s": func[0], "sim_timing_s": timing[0],
                "load_s": timing[1], "process_s": timing[2],
                "sim_mb": round(timing[3]),
                "macs": total["macs_issued"],
                "gmacs_per_s": total["macs_issued"] / timing[0] / 1e9,
                "ratio_functional": func[0] / ort,
                "ratio_timing": timing[0] / ort,
                "ratio_process": timing[2] / ort,
            }
            print(json.dumps(row), flush=True)
            results.append(row)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print("\n| model | mode | ORT s | sim functional s (x ORT) | sim timing s "
          "(x ORT) | process s (x ORT) | load s | simulated GMAC/s | compile "
          "s (-j 1) | compile peak MB |\n|" + "---|" * 10)
    for r in results:
        print("| %s | %s | %.4f | %.4f (%.1fx) | %.4f (%.1fx) | %.3f (%.1fx) "
              "| %.3f | %.1f | %.2f | %d |" % (
                  r["model"], r["mode"], r["ort_s"], r["sim_functional_s"],
                  r["ratio_functional"], r["sim_timing_s"],
                  r["ratio_timing"], r["process_s"], r["ratio_process"],
                  r["load_s"], r["gmacs_per_s"], r["compile_s"],
                  r["compile_mb"]))


if __name__ == "__main__":
    main()
