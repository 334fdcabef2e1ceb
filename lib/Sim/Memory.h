//===- Memory.h - element access to simulated memories ----------*- C++ -*-===//
//
// Signed little-endian integers of 4, 8, 16 or 32 bits. Packed widths (4)
// hold element j in byte j/2, low nibble first.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_SIM_MEMORY_H
#define ESCALATE_SIM_MEMORY_H

#include "escalate/Support/FixedPoint.h"
#include <cstdint>
#include <cstring>

namespace escalate::sim {

inline int64_t loadElem(const uint8_t *base, uint64_t index, unsigned bits) {
  switch (bits) {
  case 4: {
    uint8_t byte = base[index / 2];
    int v = (index & 1) ? byte >> 4 : byte & 0xf;
    return v >= 8 ? v - 16 : v;
  }
  case 8:
    return int8_t(base[index]);
  case 16: {
    int16_t v;
    std::memcpy(&v, base + 2 * index, 2);
    return v;
  }
  default: {
    int32_t v;
    std::memcpy(&v, base + 4 * index, 4);
    return v;
  }
  }
}

/// Stores a value already inside the width's range (8, 16 or 32 bits).
inline void storeElem(uint8_t *base, uint64_t index, unsigned bits, int64_t v) {
  switch (bits) {
  case 8:
    base[index] = uint8_t(int8_t(v));
    return;
  case 16: {
    int16_t x = int16_t(v);
    std::memcpy(base + 2 * index, &x, 2);
    return;
  }
  default: {
    int32_t x = int32_t(v);
    std::memcpy(base + 4 * index, &x, 4);
    return;
  }
  }
}

/// Unsigned `bits`-wide field `index` of an LSB-first packed stream.
inline uint64_t loadUnsigned(const uint8_t *base, uint64_t index,
                             unsigned bits) {
  uint64_t bit = index * bits, v = 0;
  for (unsigned i = 0; i < bits; ++i, ++bit)
    v |= uint64_t((base[bit / 8] >> (bit % 8)) & 1) << i;
  return v;
}

using fixed::roundShift;
using fixed::saturate;

} // namespace escalate::sim

#endif
