//===- Evaluate.h - helpers of the EvaluateOpInterface implementations ---===//
#ifndef ESCALATE_LIB_DIALECT_ESCALATE_IR_EVALUATE_H
#define ESCALATE_LIB_DIALECT_ESCALATE_IR_EVALUATE_H

#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Numerics/Numerics.h"

namespace escalate::eval {

/// A host tensor for `result`: F32 for float, I64 for every integer or
/// quantized element type.
inline Tensor allocate(mlir::Value result) {
  auto type = mlir::cast<mlir::RankedTensorType>(result.getType());
  return Tensor(type.getElementType().isF32() ? DType::F32 : DType::I64,
                type.getShape());
}

/// Allocates the single result, runs `fn(out)` and appends it.
template <typename Fn>
llvm::LogicalResult single(mlir::Operation *op,
                           llvm::SmallVectorImpl<Tensor> &results, Fn fn) {
  Tensor out = allocate(op->getResult(0));
  fn(out);
  results.push_back(std::move(out));
  return llvm::success();
}

inline numerics::Window window(llvm::ArrayRef<int64_t> kernel,
                              llvm::ArrayRef<int64_t> strides,
                              llvm::ArrayRef<int64_t> dilations,
                              llvm::ArrayRef<int64_t> pads) {
  numerics::Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides.assign(strides.begin(), strides.end());
  w.dilations.assign(dilations.begin(), dilations.end());
  w.pads.assign(pads.begin(), pads.end());
  return w;
}

} // namespace escalate::eval

#endif
