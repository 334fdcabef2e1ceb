//===- HostIO.cpp - tensors in and out of a program's integer form --------===//
#include "escalate/Sim/HostIO.h"
#include "escalate/Support/FixedPoint.h"

using namespace escalate;

llvm::Expected<std::vector<int64_t>>
sim::inputValues(const isa::TensorDesc &desc, const Tensor &t) {
  if (t.shape() != llvm::ArrayRef<int64_t>(desc.shape))
    return llvm::createStringError("shape " + t.describe() +
                                   " does not match input '" + desc.name + "'");
  std::vector<int64_t> values(desc.numElements());
  if (t.dtype() == DType::I64) {
    llvm::copy(t.i64(), values.begin());
    return values;
  }
  if (desc.scale <= 0)
    return llvm::createStringError(
        "input '" + desc.name +
        "' has no quantization scale; give integers (.npy int32/int64)");
  for (auto [i, v] : llvm::enumerate(t.f32()))
    values[i] = fixed::quantizeHost(v, desc.scale, desc.zeroPoint, desc.bits);
  return values;
}

Tensor sim::outputTensor(const isa::TensorDesc &desc,
                         llvm::ArrayRef<int64_t> values, bool dequantize) {
  Tensor t(dequantize ? DType::F32 : DType::I64, desc.shape);
  for (auto [j, v] : llvm::enumerate(values)) {
    if (dequantize)
      t.f32()[j] = float(desc.scale * double(v - desc.zeroPoint));
    else
      t.i64()[j] = v;
  }
  return t;
}
