#!/usr/bin/env bash
# Installs missing packages (scripts/setup.sh), configures once and builds
# everything into build/ (tools in build/bin). Safe to re-run.
# ESCALATE_BUILD_DIR and ESCALATE_CMAKE_ARGS select another configuration
# (scripts/test.sh --sanitize, scripts/fuzz.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh

# Relative paths in ccache keys let a fresh clone reuse the cache.
export CCACHE_BASEDIR="$root"
build=${ESCALATE_BUILD_DIR:-build}
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S . -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    ${ESCALATE_CMAKE_ARGS:-} >&2
fi
ninja -C "$build" -j2 >&2
