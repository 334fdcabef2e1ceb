//===- Decomposed.cpp - basis-first two-stage convolution -----------------===//
#include "escalate/Numerics/Numerics.h"

using namespace escalate;
using namespace escalate::numerics;

void numerics::basisMaps(const Tensor &x, const Tensor &bases,
                        const Window &win, Tensor &maps) {
  int64_t cin = x.dim(1), m = bases.dim(0);
  if (cin == 0 || m == 0)
    return;
  // A depthwise conv whose C_in * M filters repeat the M bases.
  int64_t kSize = bases.numElements() / m;
  llvm::SmallVector<int64_t, 5> filterShape = {cin * m, 1};
  llvm::append_range(filterShape, bases.shape().drop_front());
  Tensor filters(DType::F32, filterShape);
  for (int64_t i = 0; i < cin; ++i)
    std::copy(bases.f32().begin(), bases.f32().end(),
              filters.f32().begin() + i * m * kSize);
  conv(x, filters, /*bias=*/nullptr, win, /*group=*/cin, maps);
}

void numerics::decomposedConv(const Tensor &x, const Tensor &bases,
                             const Tensor &coefs, const Tensor *bias,
                             const Window &win, int64_t group, Tensor &out) {
  int64_t n = x.dim(0), cin = x.dim(1), cout = out.dim(1);
  int64_t m = bases.dim(0);
  int64_t cinG = cin / group, coutG = cout / group;

  // Stage 1: map (i, b) = x[i] * bases[b].
  llvm::SmallVector<int64_t, 5> mapShape = {n, cin * m};
  llvm::append_range(mapShape, out.shape().drop_front(2));
  Tensor maps(DType::F32, mapShape);
  basisMaps(x, bases, win, maps);

  // Stage 2: out[o] = bias[o] + sum over nonzero c[o, i, b] of c * map(i, b),
  // with i ranging over o's group.
  int64_t plane = product(out.shape().drop_front(2));
  const float *mapData = maps.f32().data(), *c = coefs.f32().data();
  for (int64_t b = 0; b < n; ++b)
    for (int64_t o = 0; o < cout; ++o) {
      float *dst = out.f32().data() + (b * cout + o) * plane;
      std::fill(dst, dst + plane, bias ? bias->f32()[o] : 0.0f);
      int64_t firstMap = (o / coutG) * cinG * m;
      for (int64_t j = 0; j < cinG * m; ++j) {
        float cv = c[o * cinG * m + j];
        if (cv == 0.0f)
          continue;
        const float *src = mapData + (b * cin * m + firstMap + j) * plane;
        for (int64_t p = 0; p < plane; ++p)
          dst[p] += cv * src[p];
      }
    }
}
