//===- Interpreter.h - float32 reference execution --------------*- C++ -*-===//
#ifndef ESCALATE_REFERENCE_INTERPRETER_H
#define ESCALATE_REFERENCE_INTERPRETER_H

#include "escalate/Support/Tensor.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include <functional>

namespace escalate {

struct InterpretOptions {
  /// Called with every op's results as they are computed (to dump or
  /// compare activations, or to perturb them: later ops see any change); a
  /// failure stops the run.
  std::function<llvm::LogicalResult(mlir::Operation *,
                                    llvm::MutableArrayRef<Tensor>)>
      observe;
  /// Largest tensor any op may produce. Allocation failure cannot be
  /// reported without exceptions, so oversized results are refused up front.
  uint64_t maxTensorBytes = uint64_t(4) << 30;
};

/// Executes `func` (escalate ops only) on `inputs`, which must match its
/// argument types exactly; errors are emitted as diagnostics naming the
/// input or op. Intermediate tensors are freed after their last use.
llvm::FailureOr<llvm::SmallVector<Tensor>>
interpret(mlir::func::FuncOp func, llvm::ArrayRef<Tensor> inputs,
          const InterpretOptions &options = {});

/// The ONNX name recorded on argument/result `i` at import, or "input<i>" /
/// "output<i>" for hand-written IR.
std::string argumentName(mlir::func::FuncOp func, unsigned i);
std::string resultName(mlir::func::FuncOp func, unsigned i);

} // namespace escalate

#endif
