#!/usr/bin/env bash
# Prints one SHA-256 line per artefact of every builder model in every mode:
# the .escb binary and the --report JSON from escalate-compile, then the
# outputs and the --stats JSON (cycles, traffic, energy) of escalate-sim
# running the binary on the model's seeded input. Run it with the tools of
# two revisions and diff the outputs to show a refactor (of the compiler or
# the simulator) changed no byte:
#
#   scripts/escb-digests.sh [BIN_DIR] > before.txt   # old build
#   scripts/escb-digests.sh [BIN_DIR] > after.txt    # new build
#   diff before.txt after.txt
#
# BIN_DIR defaults to build/bin; ESCB_MODELS (space-separated) narrows the
# model list (default: every model of python -m escalate.models --list);
# ESCB_FLAGS adds escalate-compile flags (for example --fuse-epilogues=false
# to compare a new compiler with an optimization off against an old one).
# The mobilenet_v2_se_block model is also compiled for the tiny buffers of
# test/Compile/Inputs/small-buffers.json, which makes every layer tile.
# test/Compile/identical.test keeps two models of this check in the suite.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/build/bin}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
models=${ESCB_MODELS:-$(PYTHONPATH=$root/python /usr/bin/python3 -m escalate.models --list)}

compile() { # NAME MODEL MODE FLAGS...
  local name=$1 model=$2 mode=$3
  shift 3
  # shellcheck disable=SC2086 # ESCB_FLAGS is a list of flags
  "$bin/escalate-compile" "$model" --mode "$mode" --quiet "$@" ${ESCB_FLAGS:-} \
    -o "$work/$name.escb" --report "$work/$name.json"
  "$bin/escalate-sim" "$work/$name.escb" --input "$work/input.npy" --quiet \
    --stats "$work/$name.stats.json" --output-dir "$work/$name.out"
  (cd "$work" && sha256sum "$name.escb" "$name.json" "$name.stats.json" \
    "$name.out"/*.npy)
  rm -rf "$work/$name.escb" "$work/$name.json" "$work/$name.stats.json" \
    "$work/$name.out"
}

for m in $models; do
  PYTHONPATH=$root/python /usr/bin/python3 -m escalate.models "$m" \
    -o "$work/$m.onnx" --save-input "$work/input.npy"
  for mode in dense pruned decomposed; do
    compile "$m.$mode" "$work/$m.onnx" "$mode" --calib-samples 2
    if [ "$m" = mobilenet_v2_se_block ]; then
      compile "$m.$mode.small" "$work/$m.onnx" "$mode" --calib-samples 2 \
        --hw "$root/test/Compile/Inputs/small-buffers.json"
    fi
  done
  rm -f "$work/$m.onnx"
done
