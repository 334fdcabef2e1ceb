//===- Broadcast.h - numpy broadcasting index walk ------------------------===//
#ifndef ESCALATE_LIB_NUMERICS_BROADCAST_H
#define ESCALATE_LIB_NUMERICS_BROADCAST_H

#include "escalate/Support/Tensor.h"

namespace escalate::numerics {

/// Strides of `shape` viewed as broadcast to `outShape`: right-aligned, with
/// stride 0 on broadcast (size-1 or missing) axes.
inline llvm::SmallVector<int64_t, 4>
broadcastStrides(llvm::ArrayRef<int64_t> shape,
                 llvm::ArrayRef<int64_t> outShape) {
  llvm::SmallVector<int64_t, 4> strides(outShape.size(), 0);
  llvm::SmallVector<int64_t, 4> own = stridesOf(shape);
  size_t off = outShape.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i)
    strides[off + i] = shape[i] == 1 ? 0 : own[i];
  return strides;
}

/// Calls body(outIndex, offsetA, offsetB) for every element of `outShape`,
/// walking the operands' broadcast strides with an odometer (no division).
template <typename Body>
void forEachBroadcast(llvm::ArrayRef<int64_t> outShape,
                      llvm::ArrayRef<int64_t> sa, llvm::ArrayRef<int64_t> sb,
                      Body body) {
  int64_t total = product(outShape);
  if (total == 0)
    return;
  size_t rank = outShape.size();
  llvm::SmallVector<int64_t, 4> idx(rank, 0);
  int64_t oa = 0, ob = 0;
  for (int64_t i = 0; i < total; ++i) {
    body(i, oa, ob);
    for (size_t d = rank; d-- > 0;) {
      oa += sa[d];
      ob += sb[d];
      if (++idx[d] < outShape[d])
        break;
      oa -= sa[d] * outShape[d];
      ob -= sb[d] * outShape[d];
      idx[d] = 0;
    }
  }
}

} // namespace escalate::numerics

#endif
