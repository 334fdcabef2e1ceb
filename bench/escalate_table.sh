#!/usr/bin/env bash
# The ESCALATE results table on trained models: trains CIFAR-style networks
# on Fashion-MNIST (fixed seed; checkpoints cached in the output folder),
# derives dense, fine-tuned pruned, post-training decomposed and
# PENNI-trained variants, compiles and simulates each, and prints the table
# of bench/README.md.
# Usage: bench/escalate_table.sh [--out DIR] [--models arch:width,...]
#        [--samples N] [--epochs N] ...   (see bench/escalate_table.py)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh >/dev/null
PYTHONPATH=build/python exec /usr/bin/python3 bench/escalate_table.py "$@"
