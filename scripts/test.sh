#!/usr/bin/env bash
# Builds if needed, runs the whole test suite (lit: FileCheck, verifier,
# error and ONNX conformance tests) and ends with "N passed, N failed, N skipped".
# With --sanitize the tools are built with AddressSanitizer and
# UndefinedBehaviorSanitizer into build-sanitize/ and the same suite runs on
# them (about 3x slower; the nightly job, docs/reliability.md).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ "${1:-}" = --sanitize ]; then
  shift
  export ESCALATE_BUILD_DIR=build-sanitize
  export ESCALATE_CMAKE_ARGS="-DLLVM_USE_SANITIZER=Address;Undefined"
  # Leaks are not errors (MLIR and LLVM keep process-lifetime singletons);
  # manual poisoning is off because the uninstrumented MLIR libraries do
  # not pair it with our instrumented copies of LLVM's headers.
  export ASAN_OPTIONS=detect_leaks=0:allow_user_poisoning=0:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
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
