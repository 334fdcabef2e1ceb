#!/usr/bin/env bash
# The simulator's timing against an independent analytical model
# (python/escalate/programs/costmodel.py, written from docs/isa.md): single-tile
# conv layers in every mode and coefficient format, at the shapes of CIFAR
# ResNet-18 and VGG layers that fit one tile of the default hardware, plus
# odd shapes. Prints simulated and modelled cycles per layer and the largest
# deviation. Target (issue 16): every layer within 5%.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh
PYTHONPATH=python /usr/bin/python3 -m escalate.programs.check_timing \
  --bin build/bin --hw hw/escalate-default.json \
  "--mode dense --cin 3 --cout 16 --h 32 --w 28" \
  "--mode dense --cin 64 --cout 64 --h 28 --w 28" \
  "--mode pruned --cin 64 --cout 64 --h 28 --w 28 --format delta --index-bits 4 --sparsity 0.8" \
  "--mode pruned --cin 64 --cout 64 --h 28 --w 28 --format bitmap --sparsity 0.5" \
  "--mode decomposed --cin 64 --cout 64 --h 28 --w 28 --bases 4 --format bitmap --sparsity 0.5" \
  "--mode decomposed --cin 64 --cout 64 --h 28 --w 28 --bases 4 --format delta --index-bits 4 --sparsity 0.9" \
  "--mode dense --cin 128 --cout 128 --h 14 --w 14" \
  "--mode pruned --cin 128 --cout 128 --h 14 --w 14 --format delta --index-bits 4 --sparsity 0.9" \
  "--mode decomposed --cin 128 --cout 128 --h 14 --w 14 --bases 6 --format delta --index-bits 4 --sparsity 0.95" \
  "--mode dense --cin 128 --cout 128 --h 7 --w 7" \
  "--mode decomposed --cin 128 --cout 128 --h 7 --w 7 --bases 4 --format bitmap --sparsity 0.7" \
  "--mode dense --cin 64 --cout 128 --h 28 --w 28 --stride 2" \
  "--mode decomposed --cin 64 --cout 128 --h 28 --w 28 --stride 2 --bases 4 --format delta --index-bits 8 --sparsity 0.9" \
  "--mode dense --cin 64 --cout 128 --h 14 --w 14 --k 1 --pad 0" \
  "--mode dense --groups 32 --cin 32 --cout 32 --h 28 --w 28" \
  "--mode decomposed --act-bits 16 --coef-bits 16 --basis-bits 16 --cin 32 --cout 32 --h 14 --w 14 --bases 5" \
  "--mode pruned --cin 64 --cout 64 --h 14 --w 14 --format delta --index-bits 2 --sparsity 0.97 --coef-bits 4" \
  "--mode decomposed --cin 64 --cout 64 --h 16 --w 16 --bases 4 --format bitmap --sparsity 0.5 --repeat 4" \
  "--mode decomposed --format bitmap --sparsity 0.5 --cin 5 --cout 7 --h 9 --w 11 --bases 5" \
  "--mode dense --groups 4 --cin 4 --cout 8 --stride 2 --dilation 2 --pad 2" \
  "--mode dense --k 1 --pad 0 --cin 33 --cout 10 --h 1 --w 1" \
  "--mode dense --cin 128 --cout 128 --h 4 --w 4" \
  "--mode pruned --cin 128 --cout 128 --h 2 --w 2 --format delta --index-bits 4 --sparsity 0.8" \
  "--mode decomposed --cin 128 --cout 256 --h 2 --w 2 --bases 4 --format bitmap --sparsity 0.5" \
  "--mode decomposed --cin 16 --cout 16 --h 28 --w 28 --k 5 --pad 2 --bases 7"
