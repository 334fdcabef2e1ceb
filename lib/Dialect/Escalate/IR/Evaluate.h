//===- Evaluate.h - helpers of the EvaluateOpInterface implementations ---===//
#ifndef ESCALATE_LIB_DIALECT_ESCALATE_IR_EVALUATE_H
#define ESCALATE_LIB_DIALECT_ESCALATE_IR_EVALUATE_H

#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Numerics/Numerics.h"
#include "llvm/Support/CheckedArithmetic.h"

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

/// The integer window kernels copy their N x C x H x W input with the
/// border filled in (numerics' `Padded`): fail, naming the op, when that
/// copy would exceed the bound on input-sized allocations (pads up to 2^62
/// with a stride as large keep the result small).
inline llvm::LogicalResult checkPaddedInput(mlir::Operation *op,
                                            mlir::Value input,
                                            llvm::ArrayRef<int64_t> pads) {
  auto shape = mlir::cast<mlir::RankedTensorType>(input.getType()).getShape();
  std::optional<int64_t> h, w;
  if (shape.size() == 4 && pads.size() == 4) {
    h = llvm::checkedAdd(shape[2], pads[0]);
    h = h ? llvm::checkedAdd(*h, pads[2]) : h;
    w = llvm::checkedAdd(shape[3], pads[1]);
    w = w ? llvm::checkedAdd(*w, pads[3]) : w;
  }
  llvm::Expected<uint64_t> bytes =
      h && w ? checkAllocation("its padded input", {shape[0], shape[1], *h, *w},
                               sizeof(int64_t))
             : checkAllocation("its padded input", {-1}, 1);
  if (!bytes)
    return op->emitOpError(llvm::toString(bytes.takeError()));
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
