//===- Kernels.h - the simulator's integer arithmetic ----------*- C++ -*-===//
//
// The arithmetic of the conv and requant instructions, separated from
// their semantics: Conv.cpp decides what is summed and proves the sums
// fit; these kernels only add. They are exact integer code, so every build
// computes the same bits; on x86-64 each is compiled for AVX-512 and AVX2
// beside the portable version and the loader picks the widest the CPU runs.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_SIM_KERNELS_H
#define ESCALATE_SIM_KERNELS_H

#include "escalate/Support/FixedPoint.h"
#include <cstdint>
#include <vector>

namespace escalate::sim {

/// Consecutive coefficients of one row: `count` values, at the columns
/// `columns[e]` (compressed rows) or `firstColumn + e` (dense).
struct RowSlice {
  const int32_t *values;
  const uint32_t *columns;
  uint64_t firstColumn, count;
  uint64_t column(uint64_t e) const {
    return columns ? columns[e] : firstColumn + e;
  }
};

/// A conv's coefficient matrix as the engine holds it: dense (row-major,
/// zeros included) or compressed rows (ascending columns; stored zeros
/// included, since the engine spends a slot on them).
struct Matrix {
  bool dense = true;
  uint64_t rows = 0, cols = 0, encodedBytes = 0;
  std::vector<int32_t> values;
  std::vector<uint32_t> columns;  // compressed rows
  std::vector<uint64_t> rowStart; // compressed rows: rows + 1
  uint64_t begin(uint64_t r) const { return dense ? r * cols : rowStart[r]; }
  uint64_t end(uint64_t r) const {
    return dense ? (r + 1) * cols : rowStart[r + 1];
  }
  /// Row r's coefficients in columns [colLo, colHi).
  RowSlice slice(uint64_t r, uint64_t colLo, uint64_t colHi) const;
};

// Maps are `stride` int32 apart, column c's at maps + c * stride; `stride`
// is a multiple of 16 (maps and accumulator rows padded with zeros). The
// int32 kernels need the caller's proof that no product or partial sum
// leaves int32.

/// For r < rows and p < stride: acc[r * stride + p] +=
/// sum_{e < count} values[r * valueStride + e] * maps[e * stride + p] (a
/// block of dense rows).
void accumulateDense(int32_t *acc, const int32_t *maps, uint64_t stride,
                     const int32_t *values, uint64_t valueStride, uint64_t rows,
                     uint64_t count);
/// acc[p] += sum_e row.values[e] * maps[row.column(e) * stride + p] for
/// p < stride, for a compressed row.
void accumulateSparse(int32_t *acc, const int32_t *maps, uint64_t stride,
                      const RowSlice &row);
/// The same for p < pixels, exactly in int64.
void accumulateWide(int64_t *acc, const int32_t *maps, uint64_t stride,
                    uint64_t pixels, const RowSlice &row);

/// The integer sums of a conv that fit one int32 run: for r < rows and
/// p < pixels, the 32-bit accumulator element r * pixels + p at `accMem`
/// becomes acc[r * stride + p] (plus its old value when `accumulate`),
/// saturated to `bits`.
void finishSums(uint8_t *accMem, const int32_t *acc, uint64_t stride,
                uint64_t rows, uint64_t pixels, bool accumulate, unsigned bits);

/// One dense row of `channels` x `bases` coefficients: counts each
/// column's nonzero, and raises chanAbs[i] to the row's sum of
/// |coefficient| over channel i's columns.
void denseRowStats(const int32_t *values, uint64_t channels, uint64_t bases,
                   uint64_t *nonzero, int64_t *chanAbs);

/// out[p] = in[p * step] for p < n (window mode's shifted windows).
void copyStrided(int32_t *out, const int32_t *in, uint64_t n, int64_t step);

/// out[p] += weight * in[p * step] for p < n, in int32 (the basis engine's
/// taps; the caller has proved the sums fit).
void accumulateTap(int32_t *out, const int32_t *in, int32_t weight, uint64_t n,
                   int64_t step);

/// requant of one channel: the n 32-bit sums at `src` through
/// fixed::requantize into `bits`-wide elements at `dst`. Channels whose
/// parameters bound every intermediate within int64 take a loop the
/// compiler vectorises; the rest go element by element in 128 bits.
void requantChannel(const uint8_t *src, uint64_t n,
                    const fixed::RequantParams &p,
                    const fixed::RequantOutput &out, unsigned bits,
                    uint8_t *dst);

/// The largest |v| over v in [data, data + n).
int64_t maxAbs(const int32_t *data, uint64_t n);

/// The n signed `bits`-wide elements at `base` (4: two per byte, low
/// nibble first; 8, 16, 32: little-endian), widened.
void unpackSigned(const uint8_t *base, uint64_t n, unsigned bits, int32_t *out);
/// The n unsigned `bits`-wide fields (bits <= 32) of an LSB-first packed
/// stream.
void unpackUnsigned(const uint8_t *base, uint64_t n, unsigned bits,
                    uint32_t *out);

} // namespace escalate::sim

#endif
