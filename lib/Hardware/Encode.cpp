//===- Encode.cpp - byte layouts the engines read from buffers ------------===//
#include "escalate/Hardware/Encode.h"
#include <cstring>

using namespace escalate;
using namespace escalate::isa;

void isa::appendPacked(std::string &out, llvm::ArrayRef<int32_t> values,
                       unsigned bits) {
  if (bits == 4) {
    for (size_t j = 0; j < values.size(); j += 2) {
      uint8_t lo = values[j] & 0xf;
      uint8_t hi = j + 1 < values.size() ? values[j + 1] & 0xf : 0;
      out.push_back(char(lo | (hi << 4)));
    }
    return;
  }
  for (int32_t v : values) {
    char bytes[4];
    std::memcpy(bytes, &v, 4); // little-endian hosts only, as the simulator
    out.append(bytes, bits / 8);
  }
}

namespace {
void appendUnsigned(std::string &out, uint64_t &bitPos, uint64_t v,
                    unsigned bits) {
  for (unsigned b = 0; b < bits; ++b, ++bitPos) {
    if (bitPos % 8 == 0)
      out.push_back(0);
    if ((v >> b) & 1)
      out.back() = char(uint8_t(out.back()) | (1u << (bitPos % 8)));
  }
}

} // namespace

std::string isa::encodeCoefficients(const CoefMatrix &m) {
  std::string out;
  if (m.format == conv::FormatDense) {
    appendPacked(out, m.values, m.valueBits);
    return out;
  }
  std::vector<int32_t> values;
  std::string index;
  uint64_t indexBit = 0;
  llvm::SmallVector<uint32_t> rowPtr{0};
  for (uint64_t r = 0; r < m.rows; ++r) {
    const int32_t *row = m.values.data() + r * m.cols;
    if (m.format == conv::FormatBitmap) {
      std::string bits((m.cols + 7) / 8, '\0');
      for (uint64_t c = 0; c < m.cols; ++c)
        if (row[c]) {
          bits[c / 8] = char(uint8_t(bits[c / 8]) | (1u << (c % 8)));
          values.push_back(row[c]);
        }
      index += bits;
    } else {
      forEachDeltaEntry(llvm::ArrayRef<int32_t>(row, m.cols), m.indexBits,
                        [&](int64_t, int64_t distance, int32_t v) {
                          appendUnsigned(index, indexBit, distance,
                                         m.indexBits);
                          values.push_back(v);
                        });
    }
    rowPtr.push_back(uint32_t(values.size()));
  }
  for (uint32_t p : rowPtr) {
    char bytes[4];
    std::memcpy(bytes, &p, 4);
    out.append(bytes, 4);
  }
  out += index;
  appendPacked(out, values, m.valueBits);
  return out;
}

BlockStats isa::coefBlockStats(const CoefMatrix &m, uint64_t r0, uint64_t r1,
                               uint64_t c0, uint64_t c1) {
  BlockStats s;
  uint64_t rows = r1 - r0, cols = c1 - c0;
  s.columnEntries.assign(cols, 0);
  if (m.format == conv::FormatDense) {
    s.bytes = encodedBlockBytes(m, rows, cols, rows * cols);
    for (uint64_t &e : s.columnEntries)
      e = rows;
    return s;
  }
  uint64_t entries = 0;
  for (uint64_t r = r0; r < r1; ++r) {
    const int32_t *row = m.values.data() + r * m.cols + c0;
    if (m.format == conv::FormatBitmap) {
      for (uint64_t c = 0; c < cols; ++c)
        if (row[c]) {
          ++s.columnEntries[c];
          ++entries;
        }
    } else {
      forEachDeltaEntry(llvm::ArrayRef<int32_t>(row, cols), m.indexBits,
                        [&](int64_t c, int64_t, int32_t) {
                          ++s.columnEntries[c];
                          ++entries;
                        });
    }
  }
  s.bytes = encodedBlockBytes(m, rows, cols, entries);
  return s;
}

uint64_t isa::encodedBlockBytes(const CoefMatrix &m, uint64_t rows,
                                uint64_t cols, uint64_t entries) {
  if (m.format == conv::FormatDense)
    return packedBytes(rows * cols, m.valueBits);
  uint64_t indexBytes = m.format == conv::FormatBitmap
                            ? rows * ((cols + 7) / 8)
                            : packedBytes(entries, m.indexBits);
  return 4 * (rows + 1) + indexBytes + packedBytes(entries, m.valueBits);
}

std::vector<int32_t> isa::coefBlock(const CoefMatrix &m, uint64_t r0,
                                    uint64_t r1, uint64_t c0, uint64_t c1) {
  std::vector<int32_t> out;
  out.reserve((r1 - r0) * (c1 - c0));
  for (uint64_t r = r0; r < r1; ++r)
    out.insert(out.end(), m.values.begin() + r * m.cols + c0,
               m.values.begin() + r * m.cols + c1);
  return out;
}
