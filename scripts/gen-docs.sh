#!/usr/bin/env bash
# Regenerates the checked-in reference docs from their sources of truth:
# the dialect references from ODS, the supported-op table from the importer,
# the instruction encoding from the ISA field table.
# test/Docs/current.test fails when these are stale.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh
/usr/lib/llvm-22/bin/mlir-tblgen -gen-dialect-doc -dialect=escalate \
  -I /usr/lib/llvm-22/include -I include \
  include/escalate/Dialect/Escalate/IR/EscalateOps.td > docs/generated/EscalateDialect.md
/usr/lib/llvm-22/bin/mlir-tblgen -gen-pass-doc -I /usr/lib/llvm-22/include -I include \
  include/escalate/Dialect/Escalate/Transforms/Passes.td > docs/generated/EscalatePasses.md
/usr/lib/llvm-22/bin/mlir-tblgen -gen-pass-doc -I /usr/lib/llvm-22/include -I include \
  include/escalate/Conversion/Passes.td > docs/generated/ConversionPasses.md
/usr/lib/llvm-22/bin/mlir-tblgen -gen-pass-doc -I /usr/lib/llvm-22/include -I include \
  include/escalate/Dialect/EscIsa/Transforms/Passes.td > docs/generated/EscIsaPasses.md
# The escisa instruction ops are generated into build/include from the ISA
# field table.
/usr/lib/llvm-22/bin/mlir-tblgen -gen-dialect-doc -dialect=escisa \
  -I /usr/lib/llvm-22/include -I include -I build/include \
  include/escalate/Dialect/EscIsa/IR/EscIsaOps.td > docs/generated/EscIsaDialect.md
build/bin/escalate-sim --print-encoding > docs/generated/isa-encoding.md
build/bin/escalate-run --list-supported-ops > docs/generated/supported-onnx-ops.md
echo "docs/generated updated" >&2
