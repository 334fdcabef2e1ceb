#!/usr/bin/env bash
# Hardware-aware search (escalate-search) on the CIFAR ResNet-18 and
# MobileNetV2 builder models with a fixed calibration set (4 seeded N(0, 1)
# samples): the chosen configuration against the best uniform one at the
# same accuracy budget (both compiled, run and simulated), and the search's
# wall time serial, with -j 2 and on a two-worker Dask LocalCluster
# (--executor dask --local 2); the three results must be identical
# (bench/README.md).
#   bench/search.sh [MODEL...]   (default: resnet18_cifar mobilenet_v2)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh >/dev/null
exec /usr/bin/python3 bench/search_bench.py "$@"
