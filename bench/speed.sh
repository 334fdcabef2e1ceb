#!/usr/bin/env bash
# Tool speed (issue 22): per builder model (CIFAR ResNet-18, ResNet-18,
# ResNet-50, MobileNetV2, VGG-16) ONNX Runtime's single-thread inference
# time beside the simulator's (functional and with timing), simulated MAC/s,
# and compile time and peak RSS per mode on one thread. Prints one JSON
# line per run and a table (bench/README.md, "Tool speed"); writes
# build/bench/speed/results.json. Targets: simulation <= 3x ONNX Runtime
# (functional), <= 4x with timing; ResNet-50 compiles in <= 5 s and VGG-16
# in <= 10 s and 1.5 GB. Usage: bench/speed.sh [--models a,b] [--modes ...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh >/dev/null
exec /usr/bin/python3 bench/speed_bench.py "$@"
