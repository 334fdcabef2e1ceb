//===- Interpreter.h - float32 reference execution --------------*- C++ -*-===//
#ifndef ESCALATE_REFERENCE_INTERPRETER_H
#define ESCALATE_REFERENCE_INTERPRETER_H

#include "escalate/Support/Tensor.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace escalate {

/// Executes `func` (escalate ops only) on `inputs`, which must match its
/// argument types exactly; errors are emitted as diagnostics naming the
/// input or op. Intermediate tensors are freed after their last use.
llvm::FailureOr<llvm::SmallVector<Tensor>>
interpret(mlir::func::FuncOp func, llvm::ArrayRef<Tensor> inputs);

/// The ONNX name recorded on argument/result `i` at import, or "input<i>" /
/// "output<i>" for hand-written IR.
std::string argumentName(mlir::func::FuncOp func, unsigned i);
std::string resultName(mlir::func::FuncOp func, unsigned i);

} // namespace escalate

#endif
