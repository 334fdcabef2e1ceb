//===- MemoryPlan.h - DRAM for activations by liveness --------------------===//
#ifndef ESCALATE_LIB_TRANSFORMS_MEMORYPLAN_H
#define ESCALATE_LIB_TRANSFORMS_MEMORYPLAN_H

#include "escalate/CodeGen/Tiling.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

namespace escalate {

/// Where every quantized activation of a function lives in DRAM. Tensors
/// whose lifetimes (producer to last reader; graph inputs from the start,
/// outputs to the end) do not overlap share addresses. Reshapes alias their
/// operand, and a channel concat's operands are placed inside its result
/// (unplaceableConcatOperands must be empty).
struct DramPlan {
  llvm::DenseMap<mlir::Value, codegen::DramView> views;
  /// Bytes of the activation arena (at address 0), and what the same
  /// tensors would take without reuse.
  uint64_t arenaBytes = 0, unsharedBytes = 0;
  unsigned buffers = 0;
};

mlir::FailureOr<DramPlan> planDram(mlir::func::FuncOp f);

/// Channel-concat operands that cannot live inside their concat's result,
/// in the order planDram places concats: graph inputs, operands repeated in
/// one concat, and tensors another concat already holds (unless that
/// concat's whole operand list recurs in order, as in DenseNet, when the
/// earlier concat is placed inside the later one). Each needs a copy of its
/// own before planDram can run.
llvm::SmallVector<mlir::OpOperand *>
unplaceableConcatOperands(mlir::func::FuncOp f);

} // namespace escalate

#endif
