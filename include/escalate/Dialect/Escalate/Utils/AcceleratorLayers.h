//===- AcceleratorLayers.h - quantized ops as accelerator layers ----------===//
//
// Reads the quantized escalate ops into the IR-free layer descriptions the
// tiler and the emitter share (escalate/CodeGen/Layer.h). Every failure is
// reported on the op, naming what the accelerator cannot run.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_DIALECT_ESCALATE_UTILS_ACCELERATORLAYERS_H
#define ESCALATE_DIALECT_ESCALATE_UTILS_ACCELERATORLAYERS_H

#include "escalate/CodeGen/Layer.h"
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "mlir/IR/Operation.h"

namespace escalate {

/// The ReLU, Clip or LeakyReLU (with `allowLeaky`: the requant of a
/// convolution's accumulators can apply a negative slope) that `v`'s
/// producer folds into its integer clamp, if `v` feeds exactly one such op.
mlir::Operation *fusedActivation(mlir::Value v, bool allowLeaky);

/// The requant that consumes a qconv/qdecomposed_conv's accumulators.
mlir::FailureOr<RequantOp> requantOf(mlir::Operation *conv);

/// `v`'s type as an N x C x H x W activation: rank 4 as it is, lower ranks
/// padded with ones, higher ranks with the middle dimensions folded into H.
mlir::FailureOr<codegen::ActShape> actShape(mlir::Operation *where,
                                            mlir::Value v);

mlir::FailureOr<codegen::ConvLayer> convLayer(mlir::Operation *conv);
mlir::FailureOr<codegen::PpuLayer> ppuLayer(mlir::Operation *op);
/// A slice of whole channels (axis 1, step 1, every other axis whole) of a
/// 4-D tensor: a view into its input's DRAM, no instruction.
bool isChannelSlice(SliceOp slice);

/// The hardware description in `file`, or the built-in one when empty;
/// errors are reported at `loc` prefixed with the pass name.
mlir::FailureOr<hw::HwDesc>
loadHardware(mlir::Location loc, llvm::StringRef pass, llvm::StringRef file);

} // namespace escalate

#endif
