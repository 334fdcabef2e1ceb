#!/usr/bin/env bash
# The main job on the bundled example: build the tiny CNN from its builder
# script, compile it for the accelerator (decomposed, and the dense
# baseline), simulate both, and check the simulator against the reference
# interpreter.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh

out=build/examples/tiny_cnn
rm -rf "$out" && mkdir -p "$out/cal"
PYTHONPATH=python /usr/bin/python3 -m escalate.models tiny_cnn \
  -o "$out/model.onnx" --save-input "$out/input.npy"
/usr/bin/python3 -c "
import numpy as np
for i in range(4):
    np.save('$out/cal/%d.npy' % i, np.random.default_rng(i).standard_normal((1, 3, 32, 32)).astype(np.float32))"

for mode in decomposed dense; do
  echo "== escalate-compile $out/model.onnx --mode $mode --calib $out/cal -o $out/$mode.escb"
  build/bin/escalate-compile "$out/model.onnx" --mode "$mode" --calib "$out/cal" \
    --quiet -o "$out/$mode.escb" --report "$out/$mode.report.json"
  echo "== escalate-sim $out/$mode.escb --input $out/input.npy"
  build/bin/escalate-sim "$out/$mode.escb" --input "$out/input.npy" \
    --output-dir "$out/sim-$mode" --dequantize
done

echo "== float reference vs simulated decomposed program"
build/bin/escalate-run "$out/model.onnx" --input "$out/input.npy" --output-dir "$out/float"
build/bin/escalate-compare "$out/float" "$out/sim-decomposed" --min-cosine 0.95 --min-sqnr 10
/usr/bin/python3 - "$out/float/output.npy" "$out/sim-decomposed/output.npy" <<'PY'
import sys
import numpy as np
f, s = (np.load(p)[0] for p in sys.argv[1:])
print("float top-1:", int(f.argmax()), " simulated top-1:", int(s.argmax()))
PY
