//===- Decomposition.h - shared helpers of the decomposition passes -*- C++
//-*-===//
#ifndef ESCALATE_DIALECT_ESCALATE_TRANSFORMS_DECOMPOSITION_H
#define ESCALATE_DIALECT_ESCALATE_TRANSFORMS_DECOMPOSITION_H

#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "llvm/Support/JSON.h"

namespace escalate {

/// Discardable attributes on escalate.decomposed_conv that keep the kernel
/// error against the original weights computable after they are gone.
constexpr llvm::StringLiteral kKernelEnergyAttr = "escalate.kernel_energy";
constexpr llvm::StringLiteral kResidualEnergyAttr = "escalate.residual_energy";

/// Name of the layer an op came from (its ONNX node), for blobs and reports.
std::string layerName(mlir::Operation *op);

/// A constant op holding `t` with `type`, named after `anchor`'s layer.
mlir::Value createConstant(mlir::OpBuilder &b, mlir::Operation *anchor,
                           const Tensor &t, mlir::ShapedType type,
                           llvm::StringRef suffix);

/// A decomposed layer's recorded input and original output, loaded from an
/// `escalate-run --dump-dir` folder of the original model (files named
/// after the producing layer or graph input). Fails with the reason in
/// `why` when files are missing or do not fit the layer.
struct LayerActivations {
  Tensor input, output;
};
mlir::FailureOr<LayerActivations>
loadActivations(DecomposedConvOp dec, llvm::StringRef dir, std::string &why);

/// Writes `value` as indented JSON to `path` (only once complete); reports
/// failure at `loc`.
llvm::LogicalResult writeJsonFile(mlir::Location loc, llvm::StringRef path,
                                  llvm::json::Value value);

} // namespace escalate

#endif
