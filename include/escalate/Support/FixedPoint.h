//===- FixedPoint.h - the accelerator's integer arithmetic ------*- C++ -*-===//
//
// The integer rules of the post-processing unit and the host (docs/isa.md,
// "Rounding"), shared by the simulator and the quantized reference kernels so
// the two are bit-exact by construction rather than by agreement.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_SUPPORT_FIXEDPOINT_H
#define ESCALATE_SUPPORT_FIXEDPOINT_H

#include "llvm/ADT/ArrayRef.h"
#include <algorithm>
#include <cmath>
#include <cstdint>

namespace escalate::fixed {

/// Largest and smallest value of a signed `bits`-wide integer.
inline int64_t maxOf(unsigned bits) { return (int64_t(1) << (bits - 1)) - 1; }
inline int64_t minOf(unsigned bits) { return -maxOf(bits) - 1; }

inline int64_t saturate(__int128 v, unsigned bits) {
  __int128 hi = maxOf(bits), lo = minOf(bits);
  return int64_t(v < lo ? lo : v > hi ? hi : v);
}

/// Rounding right shift: adds half an LSB, then shifts arithmetically, so
/// ties round toward +infinity.
inline __int128 roundShift(__int128 v, unsigned shift) {
  if (shift == 0)
    return v;
  return (v + (__int128(1) << (shift - 1))) >> shift;
}

/// Per-output-channel requantization of the `requant` instruction.
struct RequantParams {
  int32_t bias = 0, multiplier = 0, shift = 0;
};
/// The parts of `requant` shared by all channels.
struct RequantOutput {
  int64_t zeroPoint = 0, clampLo = 0, clampHi = 0;
  int32_t negMultiplier = 1;
  unsigned negShift = 0;
};

inline int64_t requantize(int64_t acc, const RequantParams &p,
                          const RequantOutput &o) {
  __int128 y = roundShift(__int128(acc + int64_t(p.bias)) * p.multiplier,
                          unsigned(p.shift));
  if (y < 0)
    y = roundShift(y * o.negMultiplier, o.negShift);
  y += o.zeroPoint;
  return int64_t(std::clamp<__int128>(y, o.clampLo, o.clampHi));
}

/// The `eltwise` record {za, zb, zo, ma, mb, shift, lo, hi}.
struct EltwiseParams {
  int32_t za = 0, zb = 0, zo = 0, ma = 0, mb = 0, shift = 0, lo = 0, hi = 0;
};

inline int64_t eltwiseAdd(int64_t a, int64_t b, const EltwiseParams &p,
                          unsigned bits) {
  __int128 y = roundShift(__int128(a - p.za) * p.ma + __int128(b - p.zb) * p.mb,
                          unsigned(p.shift));
  return saturate(std::clamp<__int128>(y + p.zo, p.lo, p.hi), bits);
}

inline int64_t eltwiseMul(int64_t a, int64_t b, const EltwiseParams &p,
                          unsigned bits) {
  __int128 y = roundShift(__int128(a - p.za) * (b - p.zb) * p.ma,
                          unsigned(p.shift));
  return saturate(std::clamp<__int128>(y + p.zo, p.lo, p.hi), bits);
}

/// `pool avg`: the window sum of (x - zero point), scaled and re-offset.
inline int64_t averageFromSum(int64_t sumMinusZp, int32_t mult, unsigned shift,
                              int64_t zeroPoint, unsigned bits) {
  return saturate(roundShift(__int128(sumMinusZp) * mult, shift) + zeroPoint,
                  bits);
}

/// The bands of a padded plane an average's divisor does not count
/// (`pool`'s uncounted_* fields): padding that ONNX's count_include_pad = 0
/// or ceil_mode leaves out of the window size.
struct UncountedBands {
  int64_t top = 0, left = 0, bottom = 0, right = 0;
  bool any() const { return top || left || bottom || right; }
};

/// How many positions of the kh x kw window at (y, x) of an h x w padded
/// plane lie outside `bands`: the divisor of that window's average.
inline int64_t countedTaps(int64_t y, int64_t x, int64_t kh, int64_t kw,
                           int64_t h, int64_t w, const UncountedBands &bands) {
  int64_t rows = std::min(y + kh, h - bands.bottom) - std::max(y, bands.top);
  int64_t cols = std::min(x + kw, w - bands.right) - std::max(x, bands.left);
  return rows > 0 && cols > 0 ? rows * cols : 0;
}

/// Whether a window along one axis of `extent` padded positions (size k,
/// stride s) lies wholly in the uncounted bands `lead` and `trail`: only
/// the first and the last window can, being the nearest to them.
inline bool windowWhollyUncounted(int64_t extent, int64_t k, int64_t s,
                                  int64_t lead, int64_t trail) {
  int64_t last = (extent - k) / s * s;
  for (int64_t start : {int64_t(0), last})
    if (std::min(start + k, extent - trail) <= std::max(start, lead))
      return true;
  return false;
}

/// Round half to even, offset and saturate: how the host quantizes.
inline int64_t quantizeHost(double v, double scale, int64_t zeroPoint,
                            unsigned bits) {
  double q = std::nearbyint(v / scale) + double(zeroPoint);
  if (std::isnan(q))
    return zeroPoint;
  q = std::clamp(q, double(minOf(bits)), double(maxOf(bits)));
  return int64_t(q);
}

/// The host's softmax over one row of `in.size()` elements: dequantize,
/// softmax in double precision, quantize.
inline void softmaxRow(llvm::ArrayRef<int64_t> in, double inScale,
                       int64_t inZp, double outScale, int64_t outZp,
                       unsigned outBits, llvm::MutableArrayRef<int64_t> out,
                       llvm::MutableArrayRef<double> scratch) {
  double mx = -INFINITY, sum = 0;
  for (size_t k = 0; k < in.size(); ++k) {
    scratch[k] = inScale * double(in[k] - inZp);
    mx = std::max(mx, scratch[k]);
  }
  for (size_t k = 0; k < in.size(); ++k)
    sum += (scratch[k] = std::exp(scratch[k] - mx));
  for (size_t k = 0; k < in.size(); ++k)
    out[k] = quantizeHost(scratch[k] / sum, outScale, outZp, outBits);
}

/// A positive real multiplier as multiplier * 2^-shift with a 31-bit
/// multiplier in [2^30, 2^31) and shift <= `maxShift` (precision is given up
/// past it); std::nullopt when the real is too large for a non-negative
/// shift.
struct FixedMultiplier {
  int32_t multiplier = 0;
  int32_t shift = 0;
};
inline bool toFixedMultiplier(double real, unsigned maxShift,
                              FixedMultiplier &out) {
  out = {};
  if (!(real > 0) || !std::isfinite(real))
    return real == 0;
  int exp;
  double frac = std::frexp(real, &exp); // real = frac * 2^exp, frac in [.5, 1)
  int64_t mult = std::llround(std::ldexp(frac, 31));
  if (mult == (int64_t(1) << 31)) {
    mult >>= 1;
    ++exp;
  }
  int64_t shift = 31 - exp;
  if (shift < 0)
    return false;
  while (shift > int64_t(maxShift)) {
    mult = (mult + 1) >> 1;
    --shift;
  }
  out.multiplier = int32_t(mult);
  out.shift = int32_t(shift);
  return true;
}

} // namespace escalate::fixed

#endif // ESCALATE_SUPPORT_FIXEDPOINT_H
