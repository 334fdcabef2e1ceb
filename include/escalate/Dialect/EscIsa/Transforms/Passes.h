//===- Passes.h - escisa dialect passes -------------------------*- C++ -*-===//
#ifndef ESCALATE_DIALECT_ESCISA_TRANSFORMS_PASSES_H
#define ESCALATE_DIALECT_ESCISA_TRANSFORMS_PASSES_H

#include "escalate/Dialect/EscIsa/IR/EscIsaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace escalate::escisa {

#define GEN_PASS_DECL
#include "escalate/Dialect/EscIsa/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "escalate/Dialect/EscIsa/Transforms/Passes.h.inc"

} // namespace escalate::escisa

#endif
