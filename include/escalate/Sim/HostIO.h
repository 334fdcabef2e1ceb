//===- HostIO.h - tensors in and out of a program's integer form -*- C++
//-*-===//
//
// A program's inputs and outputs are integers with a scale and zero point
// (isa::TensorDesc). The host side converts: float inputs are quantized as
// the compiler's own quantize op does, outputs dequantized by the same
// formula as the reference.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_SIM_HOSTIO_H
#define ESCALATE_SIM_HOSTIO_H

#include "escalate/Hardware/Binary.h"
#include "escalate/Support/Tensor.h"
#include "llvm/Support/Error.h"
#include <vector>

namespace escalate::sim {

/// `t` as the integers of input `desc`: integer tensors are taken as they
/// are (the simulator checks their range), float ones quantized with its
/// scale (round half to even, saturating). The shape must match.
llvm::Expected<std::vector<int64_t>> inputValues(const isa::TensorDesc &desc,
                                                 const Tensor &t);

/// Output integers `values` of `desc` as a tensor: dequantized floats, or
/// the integers themselves.
Tensor outputTensor(const isa::TensorDesc &desc, llvm::ArrayRef<int64_t> values,
                    bool dequantize);

} // namespace escalate::sim

#endif
