//===- Encode.h - byte layouts the engines read from buffers ----*- C++ -*-===//
//
// The compiler's side of the layouts docs/isa.md defines and the simulator
// decodes: packed elements, the coefficient matrix in its three formats,
// and the PPU's parameter records.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_HARDWARE_ENCODE_H
#define ESCALATE_HARDWARE_ENCODE_H

#include "escalate/Hardware/Instruction.h"
#include <string>

namespace escalate::isa {

/// Signed values packed LSB-first at 4, 8, 16 or 32 bits each.
void appendPacked(std::string &out, llvm::ArrayRef<int32_t> values,
                  unsigned bits);

/// Calls `entry(column, distance, value)` for each entry of `row` in the
/// delta format: its nonzeros, each after `distance` skipped columns, plus
/// zero entries bridging gaps longer than `indexBits` can express. The one
/// definition the encoder, the encoding's size estimates and the sparse
/// encoding attribute count with.
template <typename T, typename Fn>
void forEachDeltaEntry(llvm::ArrayRef<T> row, unsigned indexBits, Fn &&entry) {
  int64_t prev = -1, reach = int64_t(1) << indexBits;
  for (int64_t c = 0, e = int64_t(row.size()); c < e; ++c) {
    if (row[c] == T(0))
      continue;
    for (; c - prev > reach; prev += reach)
      entry(prev + reach, reach - 1, T(0));
    entry(c, c - prev - 1, row[c]);
    prev = c;
  }
}

/// A rows x cols coefficient matrix (row-major) in the coef-buffer layout
/// of `format`; delta uses `indexBits`-wide distances and bridges longer
/// gaps with stored zeros.
struct CoefMatrix {
  llvm::ArrayRef<int32_t> values;
  uint64_t rows = 0, cols = 0;
  int64_t format = conv::FormatDense;
  unsigned indexBits = 0, valueBits = 8;
};
std::string encodeCoefficients(const CoefMatrix &m);
/// The encoded size and, per column, the entries the coefficient engine
/// spends a slot on (nonzeros, plus delta's bridging zeros), of rows
/// [r0, r1) x columns [c0, c1) encoded on their own.
struct BlockStats {
  uint64_t bytes = 0;
  llvm::SmallVector<uint64_t, 0> columnEntries;
};
BlockStats coefBlockStats(const CoefMatrix &m, uint64_t r0, uint64_t r1,
                          uint64_t c0, uint64_t c1);
/// The encoded size of a rows x cols block of `m`'s format holding
/// `entries` entries (coefBlockStats's `bytes`).
uint64_t encodedBlockBytes(const CoefMatrix &m, uint64_t rows, uint64_t cols,
                           uint64_t entries);
/// Rows [r0, r1) x columns [c0, c1) of `m` as a matrix of their own.
std::vector<int32_t> coefBlock(const CoefMatrix &m, uint64_t r0, uint64_t r1,
                               uint64_t c0, uint64_t c1);

} // namespace escalate::isa

#endif
