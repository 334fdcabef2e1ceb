#!/usr/bin/env bash
# Reference interpreter speed: wall time, MACs (from escalate-layer-stats)
# and effective GMAC/s of escalate-run on builder models, one core.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh
models=${*:-tiny_cnn resnet18_cifar mobilenet_v2 resnet18 resnet50}
dir=build/bench/reference
mkdir -p "$dir"
printf '%-16s %10s %14s %10s %12s\n' model seconds MACs GMAC/s peak_RSS_MB
for m in $models; do
  [ -f "$dir/$m.onnx" ] || PYTHONPATH=python /usr/bin/python3 -m escalate.models "$m" \
    -o "$dir/$m.onnx" --save-input "$dir/$m.npy"
  macs=$(build/bin/escalate-translate --import-onnx "$dir/$m.onnx" |
    build/bin/escalate-opt --escalate-graph-opt --escalate-layer-stats -o /dev/null 2>&1 |
    awk '$1 == "total" { print $3 }')
  stats=$( { /usr/bin/time -f '%e %M' build/bin/escalate-run "$dir/$m.onnx" \
    --input "$dir/$m.npy" --output-dir "$dir/out" >/dev/null; } 2>&1 | tail -1)
  read -r secs rss <<<"$stats"
  awk -v m="$m" -v s="$secs" -v n="$macs" -v r="$rss" \
    'BEGIN { printf "%-16s %10.2f %14.0f %10.2f %12.1f\n", m, s, n, n / s / 1e9, r / 1024 }'
done
