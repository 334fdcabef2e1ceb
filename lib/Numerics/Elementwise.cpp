//===- Elementwise.cpp - broadcasting binary ops, reductions, softmax -----===//
#include "Broadcast.h"
#include "escalate/Numerics/Numerics.h"

using namespace escalate;
using namespace escalate::numerics;

namespace {
template <typename T> T apply(BinaryKind kind, T a, T b) {
  switch (kind) {
  case BinaryKind::Add:
    return a + b;
  case BinaryKind::Sub:
    return a - b;
  case BinaryKind::Mul:
    return a * b;
  case BinaryKind::Div:
    // Integer division by zero has no ONNX meaning; define it as 0 rather
    // than trap, since the interpreter runs untrusted models.
    if constexpr (std::is_integral_v<T>)
      return b == 0 ? 0 : a / b;
    else
      return a / b;
  case BinaryKind::Pow:
    // Squares (variances) exactly as a product, as ONNX Runtime computes
    // them. Integer powers multiply in wrapping (unsigned) arithmetic, so
    // an overflowing model gets a defined value rather than undefined
    // behaviour; a negative exponent truncates 1 / a^|b| toward zero.
    if constexpr (std::is_integral_v<T>) {
      if (a == 1 || a == 0)
        return b == 0 ? 1 : a;
      if (a == -1)
        return (b % 2) ? -1 : 1;
      if (b < 0)
        return 0;
      uint64_t r = 1;
      // |a| >= 2: after 64 factors every bit has left the word.
      for (T i = 0; i < b && i < 64; ++i)
        r *= uint64_t(a);
      return T(r);
    } else {
      return b == 2 ? a * a : std::pow(a, b);
    }
  case BinaryKind::PRelu:
    return a < 0 ? a * b : a;
  case BinaryKind::Max:
  case BinaryKind::Min:
    // NaN propagates, as in numpy and ONNX Runtime.
    if constexpr (!std::is_integral_v<T>)
      if (std::isnan(a) || std::isnan(b))
        return a + b;
    return (kind == BinaryKind::Max) == (a < b) ? b : a;
  }
  return T();
}

template <typename T>
void binaryTyped(BinaryKind kind, llvm::ArrayRef<T> a, llvm::ArrayRef<T> b,
                 llvm::MutableArrayRef<T> o, llvm::ArrayRef<int64_t> as,
                 llvm::ArrayRef<int64_t> bs, llvm::ArrayRef<int64_t> os) {
  if (a.size() == o.size() && b.size() == o.size()) {
    for (size_t i = 0; i < o.size(); ++i)
      o[i] = apply(kind, a[i], b[i]);
    return;
  }
  if (b.size() == 1 && a.size() == o.size()) {
    for (size_t i = 0; i < o.size(); ++i)
      o[i] = apply(kind, a[i], b[0]);
    return;
  }
  forEachBroadcast(os, broadcastStrides(as, os), broadcastStrides(bs, os),
                   [&](int64_t i, int64_t ia, int64_t ib) {
                     o[i] = apply(kind, a[ia], b[ib]);
                   });
}
} // namespace

void numerics::binary(BinaryKind kind, const Tensor &a, const Tensor &b,
                     Tensor &out) {
  if (out.dtype() == DType::F32)
    binaryTyped<float>(kind, a.f32(), b.f32(), out.f32(), a.shape(), b.shape(),
                       out.shape());
  else
    binaryTyped<int64_t>(kind, a.i64(), b.i64(), out.i64(), a.shape(),
                         b.shape(), out.shape());
}

void numerics::unary(UnaryKind kind, const Tensor &x, Tensor &out) {
  switch (kind) {
  case UnaryKind::Tanh:
    return mapF32(x, out, [](float v) { return std::tanh(v); });
  case UnaryKind::Exp:
    return mapF32(x, out, [](float v) { return std::exp(v); });
  case UnaryKind::Log:
    return mapF32(x, out, [](float v) { return std::log(v); });
  case UnaryKind::Sqrt:
    return mapF32(x, out, [](float v) { return std::sqrt(v); });
  case UnaryKind::Erf:
    return mapF32(x, out, [](float v) { return std::erf(v); });
  case UnaryKind::Neg:
    return mapF32(x, out, [](float v) { return -v; });
  case UnaryKind::Abs:
    return mapF32(x, out, [](float v) { return std::fabs(v); });
  }
}

/// log(1 + exp(v)) without overflow: v + log1p(exp(-v)) for v > 0.
float softplus(float v) {
  return v > 0.0f ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v));
}

void numerics::activation(ActivationKind kind, float a, float b,
                          const Tensor &x, Tensor &out) {
  switch (kind) {
  case ActivationKind::Relu:
    return mapF32(x, out, [](float v) { return v < 0.0f ? 0.0f : v; });
  case ActivationKind::LeakyRelu:
    return mapF32(x, out, [a](float v) { return v >= 0.0f ? v : a * v; });
  case ActivationKind::Clip:
    return mapF32(x, out,
                  [a, b](float v) { return std::min(std::max(v, a), b); });
  case ActivationKind::Sigmoid:
    return mapF32(x, out, [](float v) { return 1.0f / (1.0f + std::exp(-v)); });
  case ActivationKind::HardSigmoid:
    return mapF32(x, out, [a, b](float v) {
      return std::max(0.0f, std::min(1.0f, a * v + b));
    });
  case ActivationKind::HardSwish:
    return mapF32(x, out, [](float v) {
      return v * std::max(0.0f, std::min(1.0f, v / 6.0f + 0.5f));
    });
  case ActivationKind::Elu:
    return mapF32(x, out,
                  [a](float v) { return v > 0.0f ? v : a * std::expm1(v); });
  case ActivationKind::Selu:
    return mapF32(x, out, [a, b](float v) {
      return b * (v > 0.0f ? v : a * std::expm1(v));
    });
  case ActivationKind::Celu:
    return mapF32(x, out, [a](float v) {
      return std::max(0.0f, v) + std::min(0.0f, a * std::expm1(v / a));
    });
  case ActivationKind::Softplus:
    return mapF32(x, out, [](float v) { return softplus(v); });
  case ActivationKind::Softsign:
    return mapF32(x, out, [](float v) { return v / (1.0f + std::fabs(v)); });
  case ActivationKind::ThresholdedRelu:
    return mapF32(x, out, [a](float v) { return v > a ? v : 0.0f; });
  }
}

/// Calls `take(o, v)` for every element v of `x` with o the index of the
/// output element it reduces into (the reduced axes contribute nothing);
/// returns how many elements each output takes.
template <typename Take>
static int64_t reduceInto(const Tensor &x, llvm::ArrayRef<int64_t> axes,
                          Take take) {
  llvm::SmallVector<int64_t, 4> kept(x.shape());
  int64_t count = 1;
  for (int64_t a : axes) {
    count *= kept[a];
    kept[a] = 1;
  }
  llvm::SmallVector<int64_t, 4> outStrides = stridesOf(kept);
  for (int64_t a : axes)
    outStrides[a] = 0;
  llvm::SmallVector<int64_t, 4> idx(x.rank(), 0);
  llvm::ArrayRef<float> in = x.f32();
  for (int64_t i = 0, n = x.numElements(); i < n; ++i) {
    int64_t o = 0;
    for (int64_t d = 0; d < x.rank(); ++d)
      o += idx[d] * outStrides[d];
    take(o, in[i]);
    for (int64_t d = x.rank(); d-- > 0;) {
      if (++idx[d] < x.dim(d))
        break;
      idx[d] = 0;
    }
  }
  return count;
}

void numerics::reduceMean(const Tensor &x, llvm::ArrayRef<int64_t> axes,
                          Tensor &out) {
  std::vector<double> sums(out.numElements(), 0.0);
  int64_t count =
      reduceInto(x, axes, [&](int64_t o, float v) { sums[o] += v; });
  for (size_t o = 0; o < sums.size(); ++o)
    out.f32()[o] = float(sums[o] / double(std::max<int64_t>(count, 1)));
}

void numerics::reduceExtremum(const Tensor &x, llvm::ArrayRef<int64_t> axes,
                              bool isMax, Tensor &out) {
  float start = isMax ? -std::numeric_limits<float>::infinity()
                      : std::numeric_limits<float>::infinity();
  llvm::MutableArrayRef<float> o = out.f32();
  std::fill(o.begin(), o.end(), start);
  reduceInto(x, axes, [&](int64_t i, float v) {
    if (std::isnan(v) || std::isnan(o[i]))
      o[i] = std::isnan(o[i]) ? o[i] : v;
    else
      o[i] = isMax ? std::max(o[i], v) : std::min(o[i], v);
  });
}

/// Calls `row(src, dst, n, stride)` for every 1-D line of `x` along `axis`
/// and the matching line of `out`.
template <typename Row>
static void alongAxis(const Tensor &x, int64_t axis, Tensor &out, Row row) {
  int64_t n = x.dim(axis);
  int64_t outer = product(x.shape().take_front(axis));
  int64_t inner = product(x.shape().drop_front(axis + 1));
  const float *xd = x.f32().data();
  float *od = out.f32().data();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i)
      row(xd + o * n * inner + i, od + o * n * inner + i, n, inner);
}

static float rowMax(const float *src, int64_t n, int64_t stride) {
  float mx = -std::numeric_limits<float>::infinity();
  for (int64_t j = 0; j < n; ++j)
    mx = std::max(mx, src[j * stride]);
  return mx;
}

void numerics::softmax(const Tensor &x, int64_t axis, Tensor &out) {
  alongAxis(x, axis, out,
            [](const float *src, float *dst, int64_t n, int64_t inner) {
              float mx = rowMax(src, n, inner);
              double sum = 0;
              for (int64_t j = 0; j < n; ++j) {
                dst[j * inner] = std::exp(src[j * inner] - mx);
                sum += dst[j * inner];
              }
              for (int64_t j = 0; j < n; ++j)
                dst[j * inner] = static_cast<float>(dst[j * inner] / sum);
            });
}

void numerics::logSoftmax(const Tensor &x, int64_t axis, Tensor &out) {
  alongAxis(x, axis, out,
            [](const float *src, float *dst, int64_t n, int64_t inner) {
              double mx = rowMax(src, n, inner), sum = 0;
              for (int64_t j = 0; j < n; ++j)
                sum += std::exp(double(src[j * inner]) - mx);
              double logSum = std::log(sum);
              for (int64_t j = 0; j < n; ++j)
                dst[j * inner] =
                    static_cast<float>(double(src[j * inner]) - mx - logSum);
            });
}
