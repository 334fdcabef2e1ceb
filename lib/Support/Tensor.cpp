//===- Tensor.cpp - host tensor -------------------------------------------===//
#include "escalate/Support/Tensor.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>

using namespace escalate;

int64_t escalate::product(llvm::ArrayRef<int64_t> values) {
  int64_t p = 1;
  for (int64_t v : values)
    p *= v;
  return p;
}

std::optional<int64_t> escalate::checkedProduct(llvm::ArrayRef<int64_t> values,
                                                int64_t limit) {
  int64_t p = 1;
  for (int64_t v : values) {
    if (v < 0 || (v > 0 && p > limit / v))
      return std::nullopt;
    p *= v;
  }
  return p;
}

llvm::SmallVector<int64_t, 4>
escalate::stridesOf(llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t, 4> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

Tensor::Tensor(DType dtype, llvm::ArrayRef<int64_t> shape)
    : type(dtype), dims(shape.begin(), shape.end()) {
  if (dtype == DType::F32)
    fdata.assign(product(shape), 0.0f);
  else
    idata.assign(product(shape), 0);
}

int64_t Tensor::numElements() const { return product(dims); }

Tensor Tensor::reshaped(llvm::ArrayRef<int64_t> shape) const {
  Tensor t = *this;
  t.dims.assign(shape.begin(), shape.end());
  return t;
}

std::string Tensor::describe() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  for (int64_t d : dims)
    os << d << "x";
  os << (type == DType::F32 ? "f32" : "i64");
  return s;
}

std::optional<std::string> escalate::describeNonFinite(const Tensor &t) {
  if (t.dtype() != DType::F32)
    return std::nullopt;
  int64_t first = -1, count = 0;
  for (auto [i, v] : llvm::enumerate(t.f32()))
    if (!std::isfinite(v)) {
      if (first < 0)
        first = int64_t(i);
      ++count;
    }
  if (first < 0)
    return std::nullopt;
  float v = t.f32()[first];
  return "element " + std::to_string(first) + " is " +
         (std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf") + " (" +
         std::to_string(count) + " of " + std::to_string(t.numElements()) +
         " values are not finite)";
}
