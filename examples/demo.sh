#!/usr/bin/env bash
# The main job on the bundled example: build the tiny CNN model from its
# builder script, import it, and run it on the reference interpreter.
# (Once the accelerator simulator lands this becomes compile + simulate.)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh

out=build/examples/tiny_cnn
mkdir -p "$out"
PYTHONPATH=python /usr/bin/python3 -m escalate.models tiny_cnn \
  -o "$out/model.onnx" --save-input "$out/input.npy"
echo "== escalate-translate --import-onnx $out/model.onnx | escalate-opt --escalate-graph-opt"
build/bin/escalate-translate --import-onnx "$out/model.onnx" |
  build/bin/escalate-opt --escalate-graph-opt --mlir-elide-elementsattrs-if-larger=4 |
  tee "$out/model.mlir" | grep -E 'func.func|escalate\.(conv|gemm|max_pool|add|relu|global|softmax|reshape)'
echo "== escalate-run $out/model.onnx --input $out/input.npy --output-dir $out/run"
build/bin/escalate-run "$out/model.onnx" --input "$out/input.npy" --output-dir "$out/run"
/usr/bin/python3 - "$out/run/output.npy" <<'PY'
import sys
import numpy as np
p = np.load(sys.argv[1])[0]
print("class probabilities:", np.array2string(p, precision=4, suppress_small=True))
print("top-1 class:", int(p.argmax()), f"(p = {p.max():.4f})")
PY
