#!/usr/bin/env bash
# Builds if needed, runs the whole test suite (lit: FileCheck, verifier,
# error and ONNX conformance tests) and ends with "N passed, N failed, N skipped".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh || { echo "0 passed, 1 failed"; exit 1; }
build=${ESCALATE_BUILD_DIR:-build}

log=$(mktemp)
/usr/lib/llvm-22/bin/lit -sv "$build/test" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# lit's summary lines look like "  Passed     : 123 (13.20%)".
count() {
  local n
  n=$(sed -nE "s/^ *$1 *: *([0-9]+).*/\1/p" "$log" | head -1)
  echo "${n:-0}"
}
passed=$(( $(count 'Passed') + $(count 'Expectedly Failed') ))
failed=$(( $(count 'Failed') + $(count 'Unexpectedly Passed') + $(count 'Unresolved') + $(count 'Timed Out') ))
skipped=$(count 'Unsupported')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
