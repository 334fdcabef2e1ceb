#!/usr/bin/env bash
# Simulator speed on one core: one large conv layer (128 -> 64 channels,
# 28x28, 3x3, one tile) repeated 16 times, in each mode. Reports simulated
# MAC/s (MACs the engines issue, and dense-equivalent MACs), functional-only
# and with the timing model, plus the simulated cycles and PE utilization.
# Target: functional mode at least 500 M MAC/s.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh
dir=build/bench/sim
mkdir -p "$dir"
layer=(--cin 128 --cout 64 --h 28 --w 28 --k 3 --pad 1 --repeat 16)
printf '%-34s %12s %12s %11s %11s %12s %7s\n' mode "issued MACs" "dense MACs" \
  "func MAC/s" "timed MAC/s" cycles util
for spec in "dense|--mode dense" \
  "pruned 80% (delta4)|--mode pruned --format delta --index-bits 4 --sparsity 0.8" \
  "decomposed M=5 50% (bitmap)|--mode decomposed --bases 5 --format bitmap --sparsity 0.5" \
  "decomposed M=5 90% (delta4)|--mode decomposed --bases 5 --format delta --index-bits 4 --sparsity 0.9"; do
  name=${spec%%|*}
  read -ra opts <<<"${spec#*|}"
  PYTHONPATH=python /usr/bin/python3 -m escalate.programs conv -o "$dir/p.mlir" \
    --input "$dir/x.npy" --expected "$dir/y.npy" "${layer[@]}" "${opts[@]}" >/dev/null
  build/bin/escalate-translate --escisa-to-bin "$dir/p.mlir" -o "$dir/p.escb"
  /usr/bin/python3 - "$dir" "$name" <<'PY'
import json, subprocess, sys, time
import numpy as np
d, name = sys.argv[1], sys.argv[2]

def run(*extra):
    start = time.perf_counter()
    subprocess.run(["build/bin/escalate-sim", f"{d}/p.escb", "--input", f"{d}/x.npy",
                    "--output-dir", f"{d}/out", "--stats", f"{d}/stats.json", "--quiet",
                    *extra], check=True)
    return time.perf_counter() - start

tf = min(run("--functional-only") for _ in range(3))
tt = min(run() for _ in range(3))
s = json.load(open(f"{d}/stats.json"))["total"]
assert (np.load(f"{d}/out/y.npy") == np.load(f"{d}/y.npy")).all(), "output differs from numpy"
print(f"{name:<34} {s['macs_issued']:>12,} {s['dense_equivalent_macs']:>12,} "
      f"{s['macs_issued'] / tf / 1e6:>9.0f} M {s['macs_issued'] / tt / 1e6:>9.0f} M "
      f"{s['cycles']:>12,} {s['pe_utilization']:>7.3f}")
PY
done
