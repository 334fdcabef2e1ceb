#!/usr/bin/env bash
# End-to-end benchmark: every builder model at its resolution, compiled in
# the three modes (decomposed, dense, unstructured-pruned) and simulated,
# with ONNX Runtime's CPU time for the same model in the same run.
# Usage: bench/compile.sh [--models a,b,...] [--out DIR] [compile flags...]
# Writes DIR/results.json, DIR/<model>.svg (per-layer cycles by mode),
# DIR/<model>.layers.md (per layer: estimated and simulated cycles, roofline
# efficiency) and prints the table (bench/README.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh >/dev/null
exec /usr/bin/python3 bench/compile_bench.py "$@"
