#!/usr/bin/env bash
# Installs the Debian packages the build and tests need. Idempotent: packages
# already present are skipped, and apt is not touched when nothing is missing.
set -euo pipefail

PACKAGES=(
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools
  libprotobuf-dev protobuf-compiler
  clang-22 lld-22 libclang-rt-22-dev ccache ninja-build cmake
  python3-onnx python3-numpy python3-protobuf libonnx-testdata time
  libeigen3-dev libxxhash-dev python3-xxhash
  pybind11-dev python3-dev python3-pytest libgtest-dev
  python3-torch python3-torchvision dataset-fashion-mnist python3-distributed
  chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages (${missing[*]}); run as root to install them" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ONNX Runtime for node: the independent oracle and speed reference. Its
# postinstall would try the network; the npm package already carries the
# CPU binaries, so skip it.
ort=$(cd "$(dirname "$0")" && pwd)/ort
if [ ! -f "$ort/node_modules/onnxruntime-node/package.json" ]; then
  echo "setup: installing onnxruntime-node into $ort" >&2
  (cd "$ort" && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --loglevel=error >&2)
fi
