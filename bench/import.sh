#!/usr/bin/env bash
# Import time and peak memory for the ResNet-50 builder model (~100 MB of
# weights) against the bare protobuf parse of the same file.
# Target: import within 3x the bare parse.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh
model=${1:-build/bench/resnet50.onnx}
if [ ! -f "$model" ]; then
  mkdir -p "$(dirname "$model")"
  PYTHONPATH=python /usr/bin/python3 -m escalate.models resnet50 -o "$model"
fi
size=$(stat -c %s "$model")
parse=$(build/bin/escalate-import-bench "$model" --mode=parse)
import=$(build/bin/escalate-import-bench "$model" --mode=import)
field() { echo "$1" | sed -nE "s/.*$2=([0-9.]+).*/\1/p"; }
printf 'model: %s (%.1f MB)\n' "$model" "$(awk -v s="$size" 'BEGIN { print s / 1048576 }')"
printf '%-14s %10s %14s\n' step seconds peak_rss_MB
printf '%-14s %10s %14s\n' protobuf-parse "$(field "$parse" seconds)" "$(field "$parse" peak_rss_mb)"
printf '%-14s %10s %14s\n' import "$(field "$import" seconds)" "$(field "$import" peak_rss_mb)"
awk -v i="$(field "$import" seconds)" -v p="$(field "$parse" seconds)" \
  'BEGIN { printf "import / parse time: %.2fx (target <= 3x)\n", i / p }'
