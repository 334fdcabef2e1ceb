#!/usr/bin/env bash
# Which coefficient format wins, by measurement: ResNet-18 (CIFAR) decomposed
# with 5 bases, pruned to a range of sparsities, encoded for 32-, 8- and
# 4-bit values; prints the formats chosen and storage against dense.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh
dir=build/bench/encoding
mkdir -p "$dir"
model=$dir/resnet18_cifar.onnx
[ -f "$model" ] || PYTHONPATH=python /usr/bin/python3 -m escalate.models resnet18_cifar -o "$model"
build/bin/escalate-translate --import-onnx "$model" --mlir-print-debuginfo |
  build/bin/escalate-opt --escalate-graph-opt --escalate-decompose-kernels=bases=5 \
    --emit-bytecode -o "$dir/decomposed.mlirbc"
for bits in 32 8 4; do
  for s in 0.0 0.3 0.5 0.7 0.8 0.9 0.95; do
    build/bin/escalate-opt "$dir/decomposed.mlirbc" \
      "--escalate-prune-coefficients=sparsity=$s" \
      "--escalate-encode-sparsity=value-bits=$bits" \
      "--escalate-decomposition-report=json=$dir/report-$bits-$s.json" -o /dev/null 2>/dev/null
  done
done
/usr/bin/python3 - "$dir" <<'PY'
import collections, glob, json, os, sys
def bits(e, v):
    n = e["entries"] * v
    if e["format"] == "dense":
        return n
    ptr = (e["rows"] + 1) * 32
    if e["format"] == "bitmap":
        return e["rows"] * e["cols"] + n + ptr
    return n + e["entries"] * e["index_bits"] + ptr
print("%-6s %-9s %-34s %12s %12s %7s" % ("value", "sparsity", "formats chosen (layers)", "dense KiB", "encoded KiB", "ratio"))
for v in (32, 8, 4):
    for f in sorted(glob.glob(os.path.join(sys.argv[1], "report-%d-*.json" % v)),
                    key=lambda p: float(p.rsplit("-", 1)[1][:-5])):
        layers = json.load(open(f))["layers"]
        chosen = collections.Counter(
            l["encoding"]["format"] + ("%d" % l["encoding"]["index_bits"] if l["encoding"]["index_bits"] else "")
            for l in layers)
        dense = sum(l["encoding"]["rows"] * l["encoding"]["cols"] * v for l in layers) / 8192
        enc = sum(bits(l["encoding"], v) for l in layers) / 8192
        s = f.rsplit("-", 1)[1][:-5]
        print("%-6s %-9s %-34s %12.1f %12.1f %6.2fx" % ("%d-bit" % v, s, ", ".join("%s:%d" % kv for kv in sorted(chosen.items())), dense, enc, dense / enc))
PY
