//===- Linear.cpp - Gemm, MatMul and BatchNormalization kernels -----------===//
#include "Broadcast.h"
#include "escalate/Numerics/Numerics.h"

using namespace escalate;
using namespace escalate::numerics;

namespace {
/// out[M,N] += A[M,K] * B[K,N], all row-major with given leading dims; the
/// i-k-j order keeps the inner loop contiguous and vectorizable.
void matmulAccumulate(const float *a, const float *b, float *out, int64_t m,
                      int64_t k, int64_t n, float alpha) {
  for (int64_t i = 0; i < m; ++i) {
    float *orow = out + i * n;
    for (int64_t p = 0; p < k; ++p) {
      float av = alpha * a[i * k + p];
      const float *brow = b + p * n;
      for (int64_t j = 0; j < n; ++j)
        orow[j] += av * brow[j];
    }
  }
}

/// The same for B given as [N,K] (Gemm's transB, a fully connected layer's
/// weights), without a transposed copy: each output is summed in the same
/// order, 64 outputs at a time sharing the rows of B they read.
void matmulAccumulateTransB(const float *a, const float *b, float *out,
                            int64_t m, int64_t k, int64_t n, float alpha) {
  constexpr int64_t kBlock = 64;
  for (int64_t i = 0; i < m; ++i) {
    float *orow = out + i * n;
    for (int64_t j0 = 0; j0 < n; j0 += kBlock) {
      int64_t count = std::min(kBlock, n - j0);
      float acc[kBlock];
      std::copy(orow + j0, orow + j0 + count, acc);
      const float *brows = b + j0 * k;
      for (int64_t p = 0; p < k; ++p) {
        float av = alpha * a[i * k + p];
        for (int64_t j = 0; j < count; ++j)
          acc[j] += av * brows[j * k + p];
      }
      std::copy(acc, acc + count, orow + j0);
    }
  }
}

std::vector<float> transposed2D(const Tensor &t) {
  int64_t r = t.dim(0), c = t.dim(1);
  std::vector<float> res(r * c);
  for (int64_t i = 0; i < r; ++i)
    for (int64_t j = 0; j < c; ++j)
      res[j * r + i] = t.f32()[i * c + j];
  return res;
}
} // namespace

void numerics::gemm(const Tensor &a, const Tensor &b, const Tensor *c,
                   float alpha, float beta, bool transA, bool transB,
                   Tensor &out) {
  int64_t m = out.dim(0), n = out.dim(1);
  int64_t k = transA ? a.dim(0) : a.dim(1);
  std::vector<float> at, bt;
  const float *ap = a.f32().data(), *bp = b.f32().data();
  if (transA) {
    at = transposed2D(a);
    ap = at.data();
  }
  if (transB && transA) {
    bt = transposed2D(b);
    bp = bt.data();
  }
  llvm::MutableArrayRef<float> o = out.f32();
  if (c && beta != 0.0f) {
    llvm::SmallVector<int64_t, 4> sc =
        broadcastStrides(c->shape(), out.shape());
    llvm::SmallVector<int64_t, 4> none(2, 0);
    forEachBroadcast(
        out.shape(), sc, none,
        [&](int64_t i, int64_t oc, int64_t) { o[i] = beta * c->f32()[oc]; });
  } else {
    std::fill(o.begin(), o.end(), 0.0f);
  }
  if (transB && !transA)
    matmulAccumulateTransB(ap, bp, o.data(), m, k, n, alpha);
  else
    matmulAccumulate(ap, bp, o.data(), m, k, n, alpha);
}

void numerics::matmul(const Tensor &a, const Tensor &b, Tensor &out) {
  // Promote 1-D operands as numpy does; the output shape already has the
  // promoted axes removed, so compute on the promoted views.
  llvm::SmallVector<int64_t, 4> as(a.shape()), bs(b.shape());
  if (as.size() == 1)
    as.insert(as.begin(), 1);
  if (bs.size() == 1)
    bs.push_back(1);
  int64_t m = as[as.size() - 2], k = as.back(), n = bs.back();
  llvm::ArrayRef<int64_t> aBatch = llvm::ArrayRef(as).drop_back(2);
  llvm::ArrayRef<int64_t> bBatch = llvm::ArrayRef(bs).drop_back(2);
  llvm::SmallVector<int64_t, 4> batch;
  size_t rank = std::max(aBatch.size(), bBatch.size());
  for (size_t i = 0; i < rank; ++i) {
    int64_t da =
        i + aBatch.size() >= rank ? aBatch[i + aBatch.size() - rank] : 1;
    int64_t db =
        i + bBatch.size() >= rank ? bBatch[i + bBatch.size() - rank] : 1;
    batch.push_back(std::max(da, db));
  }
  llvm::SmallVector<int64_t, 4> sa = broadcastStrides(aBatch, batch);
  llvm::SmallVector<int64_t, 4> sb = broadcastStrides(bBatch, batch);
  llvm::MutableArrayRef<float> o = out.f32();
  std::fill(o.begin(), o.end(), 0.0f);
  forEachBroadcast(batch, sa, sb, [&](int64_t i, int64_t oa, int64_t ob) {
    matmulAccumulate(a.f32().data() + oa * m * k, b.f32().data() + ob * k * n,
                     o.data() + i * m * n, m, k, n, 1.0f);
  });
}

void numerics::batchNorm(const Tensor &x, const Tensor &scale,
                        const Tensor &bias, const Tensor &mean,
                        const Tensor &var, float epsilon, Tensor &out) {
  int64_t n = x.dim(0), c = x.rank() > 1 ? x.dim(1) : 1;
  int64_t inner = x.numElements() / std::max<int64_t>(n * c, 1);
  for (int64_t ch = 0; ch < c; ++ch) {
    float s = scale.f32()[ch] / std::sqrt(var.f32()[ch] + epsilon);
    float t = bias.f32()[ch] - mean.f32()[ch] * s;
    for (int64_t b = 0; b < n; ++b) {
      int64_t base = (b * c + ch) * inner;
      for (int64_t i = 0; i < inner; ++i)
        out.f32()[base + i] = x.f32()[base + i] * s + t;
    }
  }
}
