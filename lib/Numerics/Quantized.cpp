//===- Quantized.cpp - the accelerator's integer kernels ------------------===//
//
// Golden models of the ISA's compute instructions on whole tensors (I64
// storage): what `escalate-run` executes for quantized IR and what the
// simulator must reproduce bit for bit. Element-level rules come from
// escalate/Support/FixedPoint.h, which the simulator uses too.
//
//===----------------------------------------------------------------------===//
#include "escalate/Numerics/Numerics.h"
#include "escalate/Support/FixedPoint.h"
#include "escalate/Support/Vectorize.h"

using namespace escalate;
using namespace escalate::numerics;

namespace {
/// N x C x H x W input padded with `padValue`, as `load` fills the border.
struct Padded {
  int64_t n, c, h, w;
  std::vector<int64_t> data;

  Padded(const Tensor &x, const Window &win, int64_t padValue)
      : n(x.dim(0)), c(x.dim(1)), h(x.dim(2) + win.pads[0] + win.pads[2]),
        w(x.dim(3) + win.pads[1] + win.pads[3]),
        data(size_t(n * c * h * w), padValue) {
    int64_t ih = x.dim(2), iw = x.dim(3);
    const int64_t *src = x.i64().data();
    for (int64_t p = 0; p < n * c; ++p)
      for (int64_t y = 0; y < ih; ++y)
        std::copy(src + (p * ih + y) * iw, src + (p * ih + y + 1) * iw,
                  data.begin() + (p * h + y + win.pads[0]) * w + win.pads[1]);
  }
  const int64_t *plane(int64_t b, int64_t ch) const {
    return data.data() + (b * c + ch) * h * w;
  }
};

/// acc[oy][ox] += weight * xp[oy*sh + ky*dh][ox*sw + kx*dw] over output
/// rows [oyBegin, oyEnd).
template <typename Acc>
[[gnu::always_inline]] inline void
accumulateTap(Acc *acc, const int64_t *xp, int64_t xpW, int64_t weight,
              int64_t ky, int64_t kx, const Window &win, int64_t oyBegin,
              int64_t oyEnd, int64_t ow) {
  // Locals: the stores into `acc` could otherwise alias the window.
  int64_t sy = win.strides[0], sx = win.strides[1];
  int64_t dy = win.dilations[0], dx = win.dilations[1];
  for (int64_t oy = oyBegin; oy < oyEnd; ++oy) {
    const int64_t *__restrict row = xp + (oy * sy + ky * dy) * xpW + kx * dx;
    Acc *__restrict dst = acc + oy * ow;
    if (sx == 1) {
      for (int64_t ox = 0; ox < ow; ++ox)
        dst[ox] += Acc(weight) * row[ox];
    } else {
      for (int64_t ox = 0; ox < ow; ++ox)
        dst[ox] += Acc(weight) * row[ox * sx];
    }
  }
}
} // namespace

ESCALATE_VECTORIZED
void numerics::qconv(const Tensor &x, int64_t zeroPoint, const Tensor &w,
                    const Window &win, int64_t group, unsigned accBits,
                    Tensor &out) {
  Padded xp(x, win, zeroPoint);
  int64_t cout = out.dim(1), oh = out.dim(2), ow = out.dim(3);
  int64_t cinG = w.dim(1), coutG = cout / group, kh = w.dim(2), kw = w.dim(3);
  std::vector<int64_t> acc(size_t(oh * ow));
  // Output rows in bands of about 32 KB of sums, which stay in the cache
  // while every input channel and tap adds into them (exact integers: the
  // order is free).
  int64_t band = std::max<int64_t>(1, 4096 / std::max<int64_t>(ow, 1));
  for (int64_t b = 0; b < xp.n; ++b)
    for (int64_t o = 0; o < cout; ++o) {
      std::fill(acc.begin(), acc.end(), 0);
      int64_t g = o / coutG;
      for (int64_t oy = 0; oy < oh; oy += band)
        for (int64_t i = 0; i < cinG; ++i) {
          const int64_t *plane = xp.plane(b, g * cinG + i);
          for (int64_t ky = 0; ky < kh; ++ky)
            for (int64_t kx = 0; kx < kw; ++kx)
              if (int64_t wt = w.i64()[((o * cinG + i) * kh + ky) * kw + kx])
                accumulateTap(acc.data(), plane, xp.w, wt, ky, kx, win, oy,
                              std::min(oh, oy + band), ow);
        }
      int64_t *dst = out.i64().data() + (b * cout + o) * oh * ow;
      for (int64_t p = 0; p < oh * ow; ++p)
        dst[p] = fixed::saturate(acc[p], accBits);
    }
}

void numerics::qdecomposedConv(const Tensor &x, int64_t zeroPoint,
                              const Tensor &bases, const Tensor &coefs,
                              const Window &win, int64_t group,
                              unsigned mapBits, unsigned accBits,
                              Tensor &out) {
  Padded xp(x, win, zeroPoint);
  int64_t cin = x.dim(1), cout = out.dim(1), oh = out.dim(2), ow = out.dim(3);
  int64_t m = bases.dim(0), kh = bases.dim(1), kw = bases.dim(2);
  int64_t cinG = cin / group, coutG = cout / group, plane = oh * ow;
  std::vector<__int128> acc(static_cast<size_t>(cout * plane));
  std::vector<__int128> map(static_cast<size_t>(plane));
  std::vector<int64_t> sat(static_cast<size_t>(plane));
  for (int64_t b = 0; b < xp.n; ++b) {
    std::fill(acc.begin(), acc.end(), 0);
    for (int64_t i = 0; i < cin; ++i) {
      int64_t g = i / cinG, col = i % cinG;
      for (int64_t basis = 0; basis < m; ++basis) {
        // Stage 1: one map, saturated to the stream width.
        std::fill(map.begin(), map.end(), 0);
        for (int64_t ky = 0; ky < kh; ++ky)
          for (int64_t kx = 0; kx < kw; ++kx)
            if (int64_t bv = bases.i64()[(basis * kh + ky) * kw + kx])
              accumulateTap(map.data(), xp.plane(b, i), xp.w, bv, ky, kx, win,
                            0, oh, ow);
        for (int64_t p = 0; p < plane; ++p)
          sat[p] = fixed::saturate(map[p], mapBits);
        // Stage 2: every nonzero coefficient of this (input, basis) column.
        for (int64_t o = g * coutG; o < (g + 1) * coutG; ++o)
          if (int64_t c = coefs.i64()[(o * cinG + col) * m + basis]) {
            __int128 *dst = acc.data() + o * plane;
            for (int64_t p = 0; p < plane; ++p)
              dst[p] += __int128(c) * sat[p];
          }
      }
    }
    int64_t *dst = out.i64().data() + b * cout * plane;
    for (int64_t p = 0; p < cout * plane; ++p)
      dst[p] = fixed::saturate(acc[p], accBits);
  }
}

void numerics::requant(const Tensor &acc,
                      llvm::ArrayRef<fixed::RequantParams> channels,
                      const fixed::RequantOutput &output, Tensor &out) {
  int64_t n = acc.dim(0), c = acc.dim(1);
  int64_t plane = product(acc.shape().drop_front(2));
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t i = (b * c + ch) * plane, e = i + plane; i < e; ++i)
        out.i64()[i] = fixed::requantize(acc.i64()[i], channels[ch], output);
}

void numerics::qeltwise(bool multiply, const Tensor &a, const Tensor &b,
                       const fixed::EltwiseParams &params, unsigned bits,
                       Tensor &out) {
  int64_t n = a.dim(0), c = a.dim(1);
  int64_t plane = product(a.shape().drop_front(2));
  int64_t bPlane = product(b.shape().drop_front(2));
  for (int64_t img = 0; img < n; ++img) {
    int64_t bImg = b.dim(0) == 1 ? 0 : img;
    for (int64_t ch = 0; ch < c; ++ch) {
      int64_t bCh = b.dim(1) == 1 ? 0 : ch;
      for (int64_t p = 0; p < plane; ++p) {
        int64_t i = (img * c + ch) * plane + p;
        int64_t va = a.i64()[i];
        int64_t vb = b.i64()[(bImg * b.dim(1) + bCh) * bPlane +
                             (bPlane == 1 ? 0 : p)];
        out.i64()[i] = multiply ? fixed::eltwiseMul(va, vb, params, bits)
                                : fixed::eltwiseAdd(va, vb, params, bits);
      }
    }
  }
}

void numerics::qpool(const Tensor &x, bool isMax, const Window &win,
                     int64_t zeroPoint, int32_t avgMultiplier,
                     unsigned avgShift, unsigned bits,
                     const fixed::UncountedBands &bands,
                     llvm::ArrayRef<int64_t> divisors, Tensor &out) {
  bool counted = !isMax && bands.any();
  Padded xp(x, win, isMax ? fixed::minOf(bits) : zeroPoint);
  int64_t oh = out.dim(2), ow = out.dim(3);
  int64_t kh = win.kernel[0], kw = win.kernel[1];
  for (int64_t b = 0; b < xp.n; ++b)
    for (int64_t ch = 0; ch < xp.c; ++ch) {
      const int64_t *plane = xp.plane(b, ch);
      int64_t *dst = out.i64().data() + (b * xp.c + ch) * oh * ow;
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          int64_t best = INT64_MIN, sum = 0;
          for (int64_t ky = 0; ky < kh; ++ky)
            for (int64_t kx = 0; kx < kw; ++kx) {
              int64_t v = plane[(oy * win.strides[0] + ky) * xp.w +
                                ox * win.strides[1] + kx];
              best = std::max(best, v);
              sum += v - zeroPoint;
            }
          int32_t mult = avgMultiplier;
          if (counted) {
            // The IR verifier keeps every window's count in 1..kh*kw.
            int64_t n =
                fixed::countedTaps(oy * win.strides[0], ox * win.strides[1], kh,
                                   kw, xp.h, xp.w, bands);
            mult = int32_t(divisors[std::max<int64_t>(n, 1) - 1]);
          }
          dst[oy * ow + ox] = isMax ? best
                                    : fixed::averageFromSum(sum, mult, avgShift,
                                                            zeroPoint, bits);
        }
    }
}

void numerics::qlut(const Tensor &x, llvm::ArrayRef<int8_t> table,
                   Tensor &out) {
  for (int64_t i = 0, e = x.numElements(); i < e; ++i)
    out.i64()[i] = table[uint8_t(int8_t(x.i64()[i]))];
}

void numerics::qsoftmax(const Tensor &x, int64_t axis, const QuantInfo &in,
                       const QuantInfo &outInfo, Tensor &out) {
  int64_t len = x.dim(axis);
  int64_t outer = product(x.shape().take_front(axis));
  int64_t inner = product(x.shape().drop_front(axis + 1));
  std::vector<int64_t> row(len), result(len);
  std::vector<double> scratch(len);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      for (int64_t k = 0; k < len; ++k)
        row[k] = x.i64()[(o * len + k) * inner + i];
      fixed::softmaxRow(row, in.scale, in.zeroPoint, outInfo.scale,
                        outInfo.zeroPoint, outInfo.bits, result, scratch);
      for (int64_t k = 0; k < len; ++k)
        out.i64()[(o * len + k) * inner + i] = result[k];
    }
}

void numerics::quantize(const Tensor &x, const QuantInfo &q, Tensor &out) {
  for (int64_t i = 0, e = x.numElements(); i < e; ++i)
    out.i64()[i] = fixed::quantizeHost(x.f32()[i], q.scale, q.zeroPoint,
                                       q.bits);
}

void numerics::dequantize(const Tensor &x, const QuantInfo &q, Tensor &out) {
  for (int64_t i = 0, e = x.numElements(); i < e; ++i)
    out.f32()[i] = float(q.scale * double(x.i64()[i] - q.zeroPoint));
}
