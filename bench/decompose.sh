#!/usr/bin/env bash
# Decomposition (and pruning) time for the whole ResNet-50 builder model,
# from MLIR's per-pass timing, one core. Target: decomposition under 2 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh
dir=build/bench
model=$dir/resnet50.onnx
mkdir -p "$dir"
[ -f "$model" ] || PYTHONPATH=python /usr/bin/python3 -m escalate.models resnet50 -o "$model"
# Bytecode keeps parsing out of the measurement.
build/bin/escalate-translate --import-onnx "$model" --mlir-print-debuginfo |
  build/bin/escalate-opt --escalate-graph-opt --emit-bytecode -o "$dir/resnet50.mlirbc"
printf '%-44s %10s %10s\n' configuration decompose prune
for config in "bases=5" "energy=0.99" "bases=5|sparsity=0.6" "bases=5|error-budget=0.5"; do
  dec=${config%%|*}
  passes=(--escalate-decompose-kernels="$dec")
  [ "$config" != "$dec" ] && passes+=("--escalate-prune-coefficients=${config#*|}")
  timing=$(build/bin/escalate-opt "$dir/resnet50.mlirbc" "${passes[@]}" \
    --mlir-timing -o /dev/null 2>&1)
  seconds() { echo "$timing" | awk -v p="$1" '$NF == p { print $1 }'; }
  printf '%-44s %10s %10s\n' "$config" "$(seconds DecomposeKernels)" \
    "$(seconds PruneCoefficients || true)"
done
