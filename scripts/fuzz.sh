#!/usr/bin/env bash
# Builds the libFuzzer targets (ASan + UBSan, coverage on all of our code)
# into build-fuzz/ and runs each for a while from its checked-in seeds
# (test/Fuzz/corpus/<target>). New inputs go to build-fuzz/corpus/<target>,
# crashes to build-fuzz/crashes/<target>/; every crash should become a
# regression test in test/Fuzz.
# Usage: scripts/fuzz.sh [onnx|escb|escisa|sim|hw|tensor|config|all] [SECONDS per target] [RUNS]
# (RUNS: stop a target after that many executions, if sooner).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
which=${1:-all}
seconds=${2:-60}
runs=${3:--1}
export ESCALATE_BUILD_DIR=build-fuzz
export ESCALATE_CMAKE_ARGS="-DESCALATE_FUZZ=ON -DLLVM_USE_SANITIZER=Address;Undefined -DLLVM_USE_SANITIZE_COVERAGE=On"
bash scripts/build.sh
targets=(onnx escb escisa sim hw tensor config)
[ "$which" = all ] || targets=("$which")
for t in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$t crashes=build-fuzz/crashes/$t
  mkdir -p "$corpus" "$crashes"
  echo "== escalate-fuzz-$t for ${seconds}s" >&2
  # Leaks are not reported (MLIR keeps process-lifetime singletons), nor
  # LLVM's manual poisoning, which uninstrumented MLIR libraries do not
  # pair with the instrumented headers.
  ASAN_OPTIONS=detect_leaks=0:allow_user_poisoning=0 "build-fuzz/bin/escalate-fuzz-$t" \
    -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$crashes/" \
    "$corpus" "test/Fuzz/corpus/$t" 2>&1 |
    grep -E "^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY" || true
done
