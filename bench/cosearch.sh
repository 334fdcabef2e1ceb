#!/usr/bin/env bash
# Hardware co-search (escalate-search --hw-space bench/cosearch-space.json)
# on the models bench/escalate_table.sh trained: each mode's best hardware
# at the default's area against the default, and dense, pruned and PENNI at
# equal area, each on its own co-searched hardware (bench/README.md).
# Usage: bench/cosearch.sh [--models resnet8_w16,...] [--space FILE] ...
#        (see bench/cosearch_bench.py)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh >/dev/null
exec /usr/bin/python3 bench/cosearch_bench.py "$@"
