//===- HostPlacement.h - which float ops the host core runs -----*- C++ -*-===//
//
// The placement rule (docs/compile.md, "Where each ONNX operator runs"): an
// op runs on the accelerator when escalate-quantize has an integer form of
// it, otherwise on the host core when it has a host form here, otherwise
// the compile fails naming it. escalate-quantize brackets each host op with
// dequantize/quantize; the conversion turns it into a host-op table entry.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_DIALECT_ESCALATE_UTILS_HOSTPLACEMENT_H
#define ESCALATE_DIALECT_ESCALATE_UTILS_HOSTPLACEMENT_H

#include "escalate/Hardware/Instruction.h"
#include "mlir/IR/Operation.h"
#include <optional>

namespace escalate {

/// A float op as a host-op table entry: its kind and parameters
/// (docs/isa.md, "Host ops").
struct HostForm {
  isa::host::Kind kind;
  llvm::SmallVector<int64_t> ints;
  llvm::SmallVector<double> reals;
};

/// The operands of a host op that the host reads as tensors; the others
/// (gather's indices) are parameters of its form.
mlir::ValueRange hostInputs(mlir::Operation *op);

/// The host form of `op`, if the host core runs it: a float op with one
/// float result whose kind the host-op table has (Softmax excepted: it has
/// its own integer op, escalate.qsoftmax).
std::optional<HostForm> hostForm(mlir::Operation *op);

} // namespace escalate

#endif
