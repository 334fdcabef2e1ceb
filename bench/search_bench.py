"""escalate-search against uniform settings, serial, on threads and on
the Dask executor (bench/search.sh)."""
import json
import os
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "bin")
MODELS = sys.argv[1:] or ["resnet18_cifar", "mobilenet_v2"]
# Threads in one process, and the Dask executor (escalate.distributed) on a
# LocalCluster of two single-threaded workers on the same two cores.
RUNS = {"j1": ["-j", "1"], "j2": ["-j", "2"],
        "local2": ["--executor", "dask", "--local", "2", "-j", "2"]}
# The builder models have random weights, whose kernels have flat spectra:
# any decomposition or pruning of them costs far more accuracy than of a
# trained model, so the budget is looser than one would ask of a real one.
BUDGET = "sqnr:20dB"
env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))

rows = []
for name in MODELS:
    out = os.path.join(ROOT, "build", "bench", "search", name)
    os.makedirs(os.path.join(out, "cal"), exist_ok=True)
    model = os.path.join(out, "model.onnx")
    subprocess.run(["/usr/bin/python3", "-m", "escalate.models", name, "-o",
                    model, "--save-input", os.path.join(out, "x.npy")],
                   check=True, env=env)
    shape = np.load(os.path.join(out, "x.npy")).shape
    for i in range(4):
        np.save(os.path.join(out, "cal", "%d.npy" % i),
                np.random.default_rng(100 + i).standard_normal(shape)
                .astype(np.float32))
    times = {}
    for run, flags in RUNS.items():
        result = os.path.join(out, "best-%s.json" % run)
        log = result + ".log"
        if os.path.exists(log):
            os.remove(log)
        start = time.time()
        subprocess.run([os.path.join(BIN, "escalate-search"), model, "--calib",
                        os.path.join(out, "cal"), "--budget", BUDGET,
                        "--objective", "cycles", "-o", result,
                        "--pareto", os.path.join(out, "front.svg"),
                        "--quiet"] + flags,
                       check=True, stdout=subprocess.DEVNULL)
        times[run] = time.time() - start
    # Threads and the Dask executor must agree byte for byte.
    first = open(os.path.join(out, "best-j1.json")).read()
    for run in RUNS:
        if open(os.path.join(out, "best-%s.json" % run)).read() != first:
            sys.exit("%s: best-%s.json differs from best-j1.json" % (name, run))
    s = json.loads(first)["search"]
    rows.append((name, s, times))

print("| model | config | cycles | energy (uJ) | SQNR (dB) | top-1 agreement |")
print("|---|---|---|---|---|---|")
for name, s, _ in rows:
    for label, r in [("baseline (M = k², dense, 8/8)", s["baseline"]),
                     ("best uniform", s["uniform"].get("measured")),
                     ("searched (%s)" % s["method"], s["measured"])]:
        if not r:
            print("| %s | %s | no uniform setting meets the budget | | | |"
                  % (name, label))
            continue
        print("| %s | %s | %d | %.1f | %.2f | %.3f |" %
              (name, label, r["cycles"], r["energy_pj"] * 1e-6, r["sqnr_db"],
               r["agreement"]))
print()
print("| model | layer options measured | verifications | greedy cost | "
      "annealing cost | predicted cycles | simulated | wall -j1 (s) | "
      "wall -j2 (s) | wall Dask --local 2 (s) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for name, s, t in rows:
    print("| %s | %d | %d | %.4g | %.4g | %d | %d | %.1f | %.1f | %.1f |" %
          (name, s["layer_options_measured"], s["model_verifications"],
           s["greedy_cost"], s["anneal_cost"], s["predicted"]["cycles"],
           s["measured"]["cycles"], t["j1"], t["j2"], t["local2"]))
