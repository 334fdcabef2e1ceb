//===- Passes.h - conversions between the dialects --------------*- C++ -*-===//
#ifndef ESCALATE_CONVERSION_PASSES_H
#define ESCALATE_CONVERSION_PASSES_H

#include "escalate/Dialect/EscIsa/IR/EscIsaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace escalate {

/// convert-escalate-to-escisa's default bound on a program's length.
constexpr uint64_t kDefaultMaxInstructions = uint64_t(1) << 24;

#define GEN_PASS_DECL
#include "escalate/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "escalate/Conversion/Passes.h.inc"

} // namespace escalate

#endif
