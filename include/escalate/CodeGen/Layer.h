//===- Layer.h - accelerator layers, independent of the IR ------*- C++ -*-===//
//
// What the tiler, the cost model and the instruction emitter need to know
// of one layer, taken from the quantized escalate ops
// (escalate/Dialect/Escalate/Utils/AcceleratorLayers.h): shapes, integer weights in the layout the engines read, and
// the post-processing parameters.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_CODEGEN_LAYER_H
#define ESCALATE_CODEGEN_LAYER_H

#include "escalate/Hardware/Instruction.h"
#include "escalate/Support/FixedPoint.h"
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace escalate::codegen {

/// An activation in DRAM, viewed as N x C x H x W (rank 2 as H = W = 1).
struct ActShape {
  int64_t n = 1, c = 1, h = 1, w = 1;
  unsigned bits = 8;
  uint64_t elemBytes() const { return bits / 8; }
  uint64_t plane() const { return uint64_t(h) * w; }
  uint64_t imageBytes() const { return uint64_t(c) * plane() * elemBytes(); }
};

/// What the PPU does to each of a conv's requantized output tiles before
/// its store, so the conv's output never goes to DRAM: an element-wise add
/// or mul with a tensor of the same shape from DRAM (a residual), or a
/// pooling whose windows never cross a tile (kh x kw at stride kh x kw,
/// no padding, or one window over the whole map).
struct ConvEpilogue {
  enum class Kind { Add, Mul, Pool } kind = Kind::Add;
  /// Add, Mul: the other operand, as it lies in DRAM.
  ActShape other;
  /// Add, Mul: {za, zb, zo, ma, mb, shift, lo, hi}, a being the conv's
  /// output.
  std::array<int32_t, 8> params{};
  /// Pool.
  bool isMax = true;
  int64_t kh = 1, kw = 1, sh = 1, sw = 1;
  int64_t avgMult = 0, avgShift = 0, zeroPoint = 0;
  /// The result.
  ActShape out;

  bool isPool() const { return kind == Kind::Pool; }
  /// A tile's rows and columns must be multiples of these (1 unless the
  /// epilogue pools).
  int64_t rowUnit() const { return isPool() ? kh : 1; }
  int64_t colUnit() const { return isPool() ? kw : 1; }
};

/// A conv and the requant that consumes its accumulators.
struct ConvLayer {
  ActShape in, out;
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
  int64_t groups = 1;
  /// Window mode (dense and pruned layers) or basis mode (decomposed).
  bool window = true;
  /// M, or kh * kw in window mode.
  int64_t bases = 1;
  unsigned basisBits = 0, coefBits = 8;
  /// M x kh x kw integer bases (basis mode).
  std::vector<int32_t> basis;
  /// out.c x (in.c / groups * bases), row-major; columns are
  /// (input channel of the group, basis or tap).
  std::vector<int32_t> matrix;
  int64_t format = isa::conv::FormatDense; // isa::conv::Format*
  unsigned indexBits = 0;
  /// Per output channel {bias, multiplier, shift}.
  std::vector<int32_t> bias, multiplier, shift;
  int64_t zeroPoint = 0, clampLo = 0, clampHi = 0, negMult = 1, negShift = 0;
  /// The input zero point pads the borders.
  int64_t inZeroPoint = 0;
  /// Fused into the PPU step of each output tile (escalate-fuse-epilogues).
  std::optional<ConvEpilogue> epilogue;

  int64_t inPerGroup() const { return in.c / groups; }
  int64_t outPerGroup() const { return out.c / groups; }
  int64_t cols() const { return inPerGroup() * bases; }
  int64_t taps() const { return kh * kw; }
};

/// A post-processing layer: pooling, element-wise add or mul, table lookup.
struct PpuLayer {
  enum class Kind { Pool, Add, Mul, Lut } kind = Kind::Pool;
  ActShape in, other, out;
  // Pool.
  bool isMax = true;
  int64_t kh = 1, kw = 1, sh = 1, sw = 1;
  int64_t padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
  int64_t avgMult = 0, avgShift = 0, zeroPoint = 0, padValue = 0;
  // Average pooling whose divisor leaves out these bands of the padding:
  // one multiplier per counted window size (docs/isa.md, `pool`).
  fixed::UncountedBands uncounted;
  std::vector<int32_t> divisors;
  // Eltwise: `other` is the same shape, one value per channel or a scalar.
  int64_t broadcast = isa::eltwise::None; // isa::eltwise::Broadcast*
  std::array<int32_t, 8> eltwiseParams{};
  // Lut.
  std::array<int8_t, 256> table{};
};

} // namespace escalate::codegen

#endif
