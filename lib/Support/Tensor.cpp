//===- Tensor.cpp - host tensor -------------------------------------------===//
#include "escalate/Support/Tensor.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
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
  // A zero dimension empties the tensor, but strides still multiply the
  // dimensions after it, so those must not overflow either.
  int64_t nonzero = 1;
  bool empty = false;
  for (int64_t v : values) {
    if (v < 0 || (v > 0 && nonzero > limit / v))
      return std::nullopt;
    if (v == 0)
      empty = true;
    else
      nonzero *= v;
  }
  return empty ? 0 : nonzero;
}

llvm::Expected<uint64_t>
escalate::checkAllocation(const llvm::Twine &what,
                          llvm::ArrayRef<int64_t> counts, int64_t elementBytes,
                          uint64_t limitBytes) {
  llvm::SmallVector<int64_t, 6> factors(counts.begin(), counts.end());
  factors.push_back(elementBytes);
  std::optional<int64_t> bytes = checkedProduct(
      factors, int64_t(std::min<uint64_t>(limitBytes, INT64_MAX)));
  if (!bytes)
    return llvm::createStringError(what + " would take more than " +
                                   llvm::Twine(limitBytes) + " bytes");
  return uint64_t(*bytes);
}

llvm::Expected<Tensor> escalate::allocateTensor(const llvm::Twine &what,
                                                DType dtype,
                                                llvm::ArrayRef<int64_t> shape,
                                                uint64_t limitBytes) {
  int64_t elementBytes = dtype == DType::F32 ? sizeof(float) : sizeof(int64_t);
  if (llvm::Error e =
          checkAllocation(what, shape, elementBytes, limitBytes).takeError())
    return std::move(e);
  return Tensor(dtype, shape);
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

std::string escalate::describeTensorType(llvm::ArrayRef<int64_t> shape,
                                         DType dtype) {
  std::string s;
  llvm::raw_string_ostream os(s);
  for (int64_t d : shape)
    os << d << "x";
  os << (dtype == DType::F32 ? "f32" : "i64");
  return s;
}

std::string Tensor::describe() const { return describeTensorType(dims, type); }

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
