//===- Kernels.cpp - the simulator's integer arithmetic -------------------===//
//
// Plain loops written so the compiler vectorises them: accumulators for a
// chunk of pixels live in registers while a row's coefficients stream
// past, so each multiply-add costs one map load. Each kernel is built for
// the host's widest vectors (ESCALATE_VECTORIZED); integer code, so
// results never depend on the CPU, only the speed.
//
//===----------------------------------------------------------------------===//
#include "Kernels.h"
#include "escalate/Support/Vectorize.h"
#include <algorithm>
#include <cstdlib>
#include <cstring>

using namespace escalate;
using namespace escalate::sim;


RowSlice Matrix::slice(uint64_t r, uint64_t colLo, uint64_t colHi) const {
  if (dense)
    return {values.data() + r * cols + colLo, nullptr, colLo, colHi - colLo};
  const uint32_t *first = columns.data() + rowStart[r];
  const uint32_t *last = columns.data() + rowStart[r + 1];
  const uint32_t *lo = std::lower_bound(first, last, uint32_t(colLo));
  const uint32_t *hi = std::lower_bound(lo, last, uint32_t(colHi));
  return {values.data() + (lo - columns.data()), lo, 0, uint64_t(hi - lo)};
}

namespace {
/// W pixels of one row: load, add every coefficient's products, store. W
/// is a compile-time constant so the chunk stays in registers.
template <unsigned W, bool Dense>
[[gnu::always_inline]] inline void
rowChunk(int32_t *__restrict acc, const int32_t *__restrict maps,
         uint64_t stride, const RowSlice &row) {
  int32_t a[W];
  for (unsigned p = 0; p < W; ++p)
    a[p] = acc[p];
  const int32_t *m = maps + row.firstColumn * stride;
  for (uint64_t e = 0; e < row.count; ++e) {
    if (!Dense)
      m = maps + uint64_t(row.columns[e]) * stride;
    int32_t v = row.values[e];
    for (unsigned p = 0; p < W; ++p)
      a[p] += v * m[p];
    if (Dense)
      m += stride;
  }
  for (unsigned p = 0; p < W; ++p)
    acc[p] = a[p];
}

template <bool Dense>
[[gnu::always_inline]] inline void
accumulateRow(int32_t *acc, const int32_t *maps, uint64_t stride,
              const RowSlice &row) {
  if (!row.count)
    return;
  uint64_t p = 0;
  for (; p + 64 <= stride; p += 64)
    rowChunk<64, Dense>(acc + p, maps + p, stride, row);
  for (; p < stride; p += 16)
    rowChunk<16, Dense>(acc + p, maps + p, stride, row);
}
} // namespace

namespace {
/// R rows by W pixels of a dense block: each map chunk loaded once serves
/// R rows.
template <unsigned R, unsigned W>
[[gnu::always_inline]] inline void
denseTile(int32_t *__restrict acc, uint64_t accStride,
          const int32_t *__restrict maps, uint64_t stride,
          const int32_t *values, uint64_t valueStride, uint64_t count) {
  int32_t a[R][W];
  for (unsigned r = 0; r < R; ++r)
    for (unsigned p = 0; p < W; ++p)
      a[r][p] = acc[r * accStride + p];
  for (uint64_t e = 0; e < count; ++e) {
    const int32_t *m = maps + e * stride;
    for (unsigned r = 0; r < R; ++r) {
      int32_t v = values[r * valueStride + e];
      for (unsigned p = 0; p < W; ++p)
        a[r][p] += v * m[p];
    }
  }
  for (unsigned r = 0; r < R; ++r)
    for (unsigned p = 0; p < W; ++p)
      acc[r * accStride + p] = a[r][p];
}

template <unsigned R>
[[gnu::always_inline]] inline void
denseRows(int32_t *acc, const int32_t *maps, uint64_t stride,
          const int32_t *values, uint64_t valueStride, uint64_t count) {
  uint64_t p = 0;
  for (; p + 32 <= stride; p += 32)
    denseTile<R, 32>(acc + p, stride, maps + p, stride, values, valueStride,
                     count);
  for (; p < stride; p += 16)
    denseTile<R, 16>(acc + p, stride, maps + p, stride, values, valueStride,
                     count);
}
} // namespace

ESCALATE_VECTORIZED
void escalate::sim::accumulateDense(int32_t *acc, const int32_t *maps,
                                    uint64_t stride, const int32_t *values,
                                    uint64_t valueStride, uint64_t rows,
                                    uint64_t count) {
  if (!count)
    return;
  uint64_t r = 0;
  for (; r + 4 <= rows; r += 4)
    denseRows<4>(acc + r * stride, maps, stride, values + r * valueStride,
                 valueStride, count);
  for (; r < rows; ++r)
    denseRows<1>(acc + r * stride, maps, stride, values + r * valueStride,
                 valueStride, count);
}

ESCALATE_VECTORIZED
void escalate::sim::accumulateSparse(int32_t *acc, const int32_t *maps,
                                     uint64_t stride, const RowSlice &row) {
  accumulateRow<false>(acc, maps, stride, row);
}

void escalate::sim::accumulateWide(int64_t *acc, const int32_t *maps,
                                   uint64_t stride, uint64_t pixels,
                                   const RowSlice &row) {
  for (uint64_t e = 0; e < row.count; ++e) {
    int64_t v = row.values[e];
    const int32_t *m = maps + row.column(e) * stride;
    if (v)
      for (uint64_t p = 0; p < pixels; ++p)
        acc[p] += v * m[p];
  }
}

ESCALATE_VECTORIZED
void escalate::sim::finishSums(uint8_t *accMem, const int32_t *acc,
                               uint64_t stride, uint64_t rows, uint64_t pixels,
                               bool accumulate, unsigned bits) {
  int64_t hi = (int64_t(1) << (bits - 1)) - 1, lo = -hi - 1;
  for (uint64_t r = 0; r < rows; ++r) {
    uint8_t *out = accMem + 4 * r * pixels;
    const int32_t *sums = acc + r * stride;
    for (uint64_t p = 0; p < pixels; ++p) {
      int32_t old = 0;
      if (accumulate)
        std::memcpy(&old, out + 4 * p, 4);
      int32_t v =
          int32_t(std::clamp<int64_t>(int64_t(old) + int64_t(sums[p]), lo, hi));
      std::memcpy(out + 4 * p, &v, 4);
    }
  }
}

ESCALATE_VECTORIZED
void escalate::sim::denseRowStats(const int32_t *values, uint64_t channels,
                                  uint64_t bases, uint64_t *nonzero,
                                  int64_t *chanAbs) {
  for (uint64_t c = 0; c < channels * bases; ++c)
    nonzero[c] += values[c] != 0;
  if (bases == 1) {
    for (uint64_t i = 0; i < channels; ++i)
      chanAbs[i] = std::max<int64_t>(chanAbs[i], std::abs(int64_t(values[i])));
    return;
  }
  for (uint64_t i = 0; i < channels; ++i) {
    int64_t sum = 0;
    for (uint64_t b = 0; b < bases; ++b)
      sum += std::abs(int64_t(values[i * bases + b]));
    chanAbs[i] = std::max(chanAbs[i], sum);
  }
}

ESCALATE_VECTORIZED
void escalate::sim::copyStrided(int32_t *__restrict out,
                                const int32_t *__restrict in, uint64_t n,
                                int64_t step) {
  if (step == 1) {
    std::memcpy(out, in, 4 * n);
    return;
  }
  for (uint64_t p = 0; p < n; ++p)
    out[p] = in[p * step];
}

ESCALATE_VECTORIZED
void escalate::sim::accumulateTap(int32_t *__restrict out,
                                  const int32_t *__restrict in, int32_t weight,
                                  uint64_t n, int64_t step) {
  if (step == 1) {
    for (uint64_t p = 0; p < n; ++p)
      out[p] += weight * in[p];
    return;
  }
  for (uint64_t p = 0; p < n; ++p)
    out[p] += weight * in[p * step];
}

namespace {
template <typename T>
[[gnu::always_inline]] inline void
requantLoop(const uint8_t *src, uint64_t n, int64_t bias, int64_t mult,
            unsigned shift, int64_t negMult, unsigned negShift,
            const fixed::RequantOutput &o, uint8_t *dst) {
  int64_t half = shift ? int64_t(1) << (shift - 1) : 0;
  int64_t negHalf = negShift ? int64_t(1) << (negShift - 1) : 0;
  for (uint64_t i = 0; i < n; ++i) {
    int32_t acc;
    std::memcpy(&acc, src + 4 * i, 4);
    int64_t y = ((int64_t(acc) + bias) * mult + half) >> shift;
    if (y < 0)
      y = (y * negMult + negHalf) >> negShift;
    T v = T(std::clamp(y + o.zeroPoint, o.clampLo, o.clampHi));
    std::memcpy(dst + sizeof(T) * i, &v, sizeof(T));
  }
}
} // namespace

ESCALATE_VECTORIZED
void escalate::sim::requantChannel(const uint8_t *src, uint64_t n,
                                   const fixed::RequantParams &p,
                                   const fixed::RequantOutput &o, unsigned bits,
                                   uint8_t *dst) {
  // Bounds of every intermediate for a 32-bit sum; 2^62 leaves room for
  // the rounding halves and the zero point (both below 2^62).
  __int128 limit = __int128(1) << 62;
  __int128 scaled = (__int128(1) << 31) + std::abs(int64_t(p.bias));
  scaled *= std::abs(int64_t(p.multiplier));
  __int128 shifted = (scaled >> p.shift) + 1;
  bool fits = scaled < limit &&
              shifted * std::abs(int64_t(o.negMultiplier)) < limit &&
              std::abs(o.zeroPoint) < limit && std::abs(o.clampLo) < limit &&
              std::abs(o.clampHi) < limit;
  if (!fits) {
    for (uint64_t i = 0; i < n; ++i) {
      int32_t acc;
      std::memcpy(&acc, src + 4 * i, 4);
      int64_t v = fixed::requantize(acc, p, o);
      std::memcpy(dst + (bits / 8) * i, &v, bits / 8);
    }
    return;
  }
  switch (bits) {
  case 8:
    return requantLoop<int8_t>(src, n, p.bias, p.multiplier, p.shift,
                               o.negMultiplier, o.negShift, o, dst);
  case 16:
    return requantLoop<int16_t>(src, n, p.bias, p.multiplier, p.shift,
                                o.negMultiplier, o.negShift, o, dst);
  default:
    return requantLoop<int32_t>(src, n, p.bias, p.multiplier, p.shift,
                                o.negMultiplier, o.negShift, o, dst);
  }
}

ESCALATE_VECTORIZED
int64_t escalate::sim::maxAbs(const int32_t *data, uint64_t n) {
  int64_t best = 0;
  for (uint64_t i = 0; i < n; ++i)
    best = std::max<int64_t>(best, std::abs(int64_t(data[i])));
  return best;
}

ESCALATE_VECTORIZED
void escalate::sim::unpackSigned(const uint8_t *base, uint64_t n, unsigned bits,
                                 int32_t *out) {
  switch (bits) {
  case 4:
    for (uint64_t i = 0; i < n; ++i) {
      int v = (base[i / 2] >> (4 * (i & 1))) & 0xf;
      out[i] = v >= 8 ? v - 16 : v;
    }
    return;
  case 8:
    for (uint64_t i = 0; i < n; ++i)
      out[i] = int8_t(base[i]);
    return;
  case 16:
    for (uint64_t i = 0; i < n; ++i) {
      int16_t v;
      std::memcpy(&v, base + 2 * i, 2);
      out[i] = v;
    }
    return;
  default:
    if (n)
      std::memcpy(out, base, 4 * n);
    return;
  }
}

void escalate::sim::unpackUnsigned(const uint8_t *base, uint64_t n,
                                   unsigned bits, uint32_t *out) {
  uint64_t window = 0, mask = (uint64_t(1) << bits) - 1;
  unsigned held = 0;
  for (uint64_t i = 0; i < n; ++i) {
    while (held < bits) {
      window |= uint64_t(*base++) << held;
      held += 8;
    }
    out[i] = uint32_t(window & mask);
    window >>= bits;
    held -= bits;
  }
}
