//===- HostOps.h - the host core's op kinds ----------------------*- C++
//-*-===//
//
// What a host-op table entry means, kind by kind (docs/isa.md, "Host ops"):
// how many inputs it takes, what its `ints` and `reals` hold, the shapes
// they imply, and how much work the host does. The loader checks every
// entry here, so the simulator's executor never indexes outside a tensor.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_HARDWARE_HOSTOPS_H
#define ESCALATE_HARDWARE_HOSTOPS_H

#include "escalate/Hardware/Binary.h"
#include "llvm/Support/Error.h"
#include <optional>

namespace escalate::isa {

/// The kind of `op`, if it is one the table knows.
std::optional<host::Kind> hostKind(const HostOp &op);

/// Every per-kind rule: input count, parameter counts and ranges, and the
/// output shape the inputs and parameters imply. Tensor bounds and widths
/// are validateProgram's.
llvm::Error checkHostOp(const HostOp &op);

/// The host's element operations for `op` (the simulator charges
/// `instructions_per_element` host instructions for each): multiply-adds
/// for matmul, interpolation taps for resize, the larger of the elements
/// read and written otherwise.
uint64_t hostWork(const HostOp &op);

} // namespace escalate::isa

#endif
