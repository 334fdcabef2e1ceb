#!/usr/bin/env bash
# Model zoo coverage (issue 17): exports the torchvision classification
# families and three segmentation heads (random weights, seed 0) at ONNX
# opsets 13 and 17, checks the float reference against ONNX Runtime, then
# compiles each in every mode, simulates it and compares the output with
# ONNX Runtime's (cosine, SQNR), with cycles, the host's share of them,
# compile time and peak memory on one core. Prints one JSON line per model
# and opset, a Markdown table (bench/README.md, "Model zoo coverage") and
# the issue's targets; writes build/bench/zoo/results.json.
# Usage: bench/zoo.sh [--models a,b] [--opsets 13] [--modes dense]
#                     [--bin DIR] [escalate-compile flags...]
# (about an hour on two cores; exported models are reused between runs).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh >/dev/null
exec /usr/bin/python3 bench/zoo_bench.py "$@"
