//===- Decomposition.h - shared helpers of the decomposition passes -*- C++
//-*-===//
#ifndef ESCALATE_DIALECT_ESCALATE_TRANSFORMS_DECOMPOSITION_H
#define ESCALATE_DIALECT_ESCALATE_TRANSFORMS_DECOMPOSITION_H

#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Dialect/Escalate/Utils/Reports.h"

namespace escalate {

/// Discardable attributes on escalate.decomposed_conv that keep the kernel
/// error against the original weights computable after they are gone.
constexpr llvm::StringLiteral kKernelEnergyAttr = "escalate.kernel_energy";
constexpr llvm::StringLiteral kResidualEnergyAttr = "escalate.residual_energy";
/// Marks a layer that escalate-fold-predecomposed recognised: its bases and
/// coefficients were trained, so pruning keeps them unless asked.
constexpr llvm::StringLiteral kPredecomposedAttr = "escalate.predecomposed";
/// `[out, in]` channels of a convolution before escalate-shrink-channels.
constexpr llvm::StringLiteral kOriginalChannelsAttr =
    "escalate.original_channels";

/// A constant op holding `t` with `type`, named after `anchor`'s layer.
mlir::Value createConstant(mlir::OpBuilder &b, mlir::Operation *anchor,
                           const Tensor &t, mlir::ShapedType type,
                           llvm::StringRef suffix);

/// Points `operand` at `value`, erasing the old defining op if now unused.
void replaceOperand(mlir::OpOperand &operand, mlir::Value value);

/// Gives `dec` the coefficients `coefs` (C_out x C_in/group x M) over
/// `bases` (M x k...). Bases no coefficient uses are dropped, as PENNI
/// shrinks them (one always stays so the op keeps its shape), and any
/// `escalate.encoding` is removed since it no longer describes the layer.
void setCoefficients(DecomposedConvOp dec, const Tensor &bases,
                     const Tensor &coefs);

/// The slices `keep` of `t` along `axis`, in that order.
Tensor selectAlong(const Tensor &t, int64_t axis, llvm::ArrayRef<int64_t> keep);

/// The file a recording of `v` has in `dir`: named after its producing
/// layer or graph input, as `escalate-run --dump-dir` names it.
std::optional<std::string> activationFile(llvm::StringRef dir, mlir::Value v);

/// A decomposed layer's recorded input and original output, loaded from an
/// `escalate-run --dump-dir` folder of the original model, or from one such
/// folder per sample (escalate-record-activations), stacked along the
/// batch. Fails with the reason in `why` when files are missing or do not
/// fit the layer.
struct LayerActivations {
  Tensor input, output;
};
mlir::FailureOr<LayerActivations>
loadActivations(DecomposedConvOp dec, llvm::StringRef dir, std::string &why);

} // namespace escalate

#endif
