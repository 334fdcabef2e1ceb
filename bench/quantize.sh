#!/usr/bin/env bash
# Accuracy of bit-width combinations on the CIFAR ResNet-18 builder model:
# escalate-compile --emit quantized with each combination (calibrated on 8
# seeded N(0, 1) samples), run by the bit-exact reference on 16 other
# inputs, against the float model of the same mode (so the figure is the
# quantization's alone). Prints output SQNR, cosine, top-1 agreement and
# the worst layer's SQNR (bench/README.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh >/dev/null
exec /usr/bin/python3 bench/quantize_bench.py "$@"
