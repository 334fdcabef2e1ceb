//===- Passes.h - escalate dialect passes -----------------------*- C++ -*-===//
#ifndef ESCALATE_DIALECT_ESCALATE_TRANSFORMS_PASSES_H
#define ESCALATE_DIALECT_ESCALATE_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace escalate {

/// Cost of one layer for one inference.
struct LayerCost {
  /// Elements of constant weight/bias operands; for decomposed convolutions
  /// bases plus nonzero coefficients plus bias.
  int64_t params = 0;
  int64_t macs = 0; ///< multiply-accumulates (comparisons/adds for pools)
};
/// The cost of a compute op, or std::nullopt for ops that are not layers.
std::optional<LayerCost> layerCost(mlir::Operation *op);

#define GEN_PASS_DECL
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"

} // namespace escalate

#endif
