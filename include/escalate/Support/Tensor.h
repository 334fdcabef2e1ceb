//===- Tensor.h - host tensor used by kernels and the interpreter --------===//
#ifndef ESCALATE_SUPPORT_TENSOR_H
#define ESCALATE_SUPPORT_TENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace escalate {

enum class DType { F32, I64 };

/// Dense row-major host tensor. Float and integer data live in separate
/// vectors so kernels get typed access without casts; only the one matching
/// `dtype` is populated.
class Tensor {
public:
  Tensor() = default;
  Tensor(DType dtype, llvm::ArrayRef<int64_t> shape);

  DType dtype() const { return type; }
  llvm::ArrayRef<int64_t> shape() const { return dims; }
  int64_t rank() const { return dims.size(); }
  int64_t dim(int64_t i) const { return dims[i]; }
  int64_t numElements() const;

  llvm::ArrayRef<float> f32() const { return fdata; }
  llvm::MutableArrayRef<float> f32() { return fdata; }
  llvm::ArrayRef<int64_t> i64() const { return idata; }
  llvm::MutableArrayRef<int64_t> i64() { return idata; }

  /// Same data, new shape of equal element count.
  Tensor reshaped(llvm::ArrayRef<int64_t> shape) const;
  /// "1x3x224x224xf32", for messages.
  std::string describe() const;

private:
  DType type = DType::F32;
  llvm::SmallVector<int64_t, 4> dims;
  std::vector<float> fdata;
  std::vector<int64_t> idata;
};

/// Where a float tensor holds NaN or an infinity: "element 5 is nan (2 of
/// 768 values are not finite)", or nothing if all are finite (integer
/// tensors always are).
std::optional<std::string> describeNonFinite(const Tensor &t);

/// "1x3x224x224xf32": how messages name a tensor type (Tensor::describe).
std::string describeTensorType(llvm::ArrayRef<int64_t> shape, DType dtype);

/// Row-major strides of `shape`.
llvm::SmallVector<int64_t, 4> stridesOf(llvm::ArrayRef<int64_t> shape);
int64_t product(llvm::ArrayRef<int64_t> values);
/// Product of non-negative `values`, or std::nullopt if the product of the
/// nonzero ones (which strides reach even when a zero empties the tensor)
/// exceeds `limit` (default: int64 range); for shape arithmetic on
/// untrusted input.
std::optional<int64_t> checkedProduct(llvm::ArrayRef<int64_t> values,
                                      int64_t limit = INT64_MAX);

/// Ceiling on any one buffer whose size a model, file or binary decides (a
/// tensor, a padded copy, a scratch matrix); --max-tensor-bytes defaults to
/// the same.
constexpr uint64_t kMaxInputSizedBytes = uint64_t(4) << 30;

/// The one check before every allocation whose size comes from input
/// (docs/reliability.md lists them): the bytes that the product of `counts`
/// elements of `elementBytes` each takes, or an error "<what> would take
/// more than <limit> bytes" when a count is negative or the product exceeds
/// `limitBytes`.
llvm::Expected<uint64_t>
checkAllocation(const llvm::Twine &what, llvm::ArrayRef<int64_t> counts,
                int64_t elementBytes,
                uint64_t limitBytes = kMaxInputSizedBytes);

/// A zero tensor of `shape` allocated through checkAllocation.
llvm::Expected<Tensor>
allocateTensor(const llvm::Twine &what, DType dtype,
               llvm::ArrayRef<int64_t> shape,
               uint64_t limitBytes = kMaxInputSizedBytes);

} // namespace escalate

#endif // ESCALATE_SUPPORT_TENSOR_H
