//===- Tiling.h - tiles, buffer placement, schedules and their cost -*- C++
//-*-===//
//
// One code path builds a layer's instruction stream for a given tiling:
// escalate-tile runs it with placeholder DRAM addresses to cost every
// candidate, convert-escalate-to-escisa runs it with the planned addresses
// to emit the program. The cost is a list schedule of those same instructions over
// the units, with the durations of escalate/Hardware/Timing.h and the data
// dependencies the tiling creates (docs/tiling.md).
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_CODEGEN_TILING_H
#define ESCALATE_CODEGEN_TILING_H

#include "escalate/Hardware/Encode.h"
#include "escalate/Hardware/Timing.h"
#include "escalate/CodeGen/Layer.h"
#include "llvm/Support/Error.h"

namespace escalate::codegen {

/// A layer's tiling (the `#escalate.tile` attribute without the estimate).
struct Tile {
  int64_t rows = 1, cols = 1, inChannels = 1, outChannels = 1;
  bool channelOuter = false;
  bool doubleBuffer = true;
};

/// Bank-aligned regions of the buffers; with double buffering each has two
/// slots in different banks so that the DMA, the conv engines and the PPU
/// never touch the same bank at once.
struct Slot {
  uint64_t base = 0, bytes = 0;
};
struct Regions {
  Slot in[2], out[2], acc[2], coef[2], params[2], basis[2];
};
Regions bufferRegions(const hw::HwDesc &hw, bool doubleBuffer);

/// Where a layer's data lives in DRAM. A tensor's image n starts at
/// `base + n * imageStride` (a concat places its inputs inside its output,
/// so the stride can exceed the image).
struct DramView {
  uint64_t base = 0, imageStride = 0;
  /// Bytes between channels, or 0 for contiguous channels (a tensor placed
  /// inside an interleave is every n-th channel of it).
  uint64_t channelStride = 0;
};

/// A unit of the machine, for the list schedule.
enum class Unit : uint8_t { Dma, Conv, Ppu };

/// One instruction of a layer with what the cost model needs.
struct Step {
  isa::Instruction inst;
  Unit unit = Unit::Dma;
  uint64_t duration = 0;
  /// Loads and stores: the DRAM timing the DMA timeline places.
  isa::DmaTime dma;
  /// Earlier steps (indices) whose data this one reads or overwrites.
  llvm::SmallVector<uint32_t, 4> deps;
};

/// A layer's instructions and constant data. Segment offsets are relative
/// to the layer's constant blob, placed in DRAM by the caller (`constBase`).
struct LayerCode {
  std::vector<Step> steps;
  std::string constants;
  uint64_t dramPayload = 0; ///< bytes loaded and stored
  /// Peak bytes used in each buffer.
  uint64_t peakBytes[hw::kNumBuffers] = {};
};

/// Cycles of the list schedule: each step issues in order, one per cycle,
/// when its unit is free and its dependencies have completed; loads and
/// stores go through the DMA channels and DRAM bus as in the simulator.
uint64_t scheduleCycles(const hw::HwDesc &hw, const LayerCode &code);

/// Builds the layer's code, or says why the tiling is illegal for it.
/// `basisSlot` alternates between layers so a layer's bases can load while
/// the previous layer still convolves. `other` is the epilogue's other
/// operand (unused without one); `out` is then the epilogue's result.
llvm::Expected<LayerCode> buildConv(const ConvLayer &layer, const Tile &tile,
                                    const hw::HwDesc &hw, DramView in,
                                    DramView out, DramView other,
                                    uint64_t constBase, unsigned basisSlot);
llvm::Expected<LayerCode> buildPpu(const PpuLayer &layer, const Tile &tile,
                                   const hw::HwDesc &hw, DramView in,
                                   DramView other, DramView out,
                                   uint64_t constBase);

/// The best legal tiling by estimated cycles (then DRAM traffic), with its
/// estimate; an error says why none fits.
struct Choice {
  Tile tile;
  uint64_t cycles = 0, dramBytes = 0;
};
llvm::Expected<Choice> chooseConvTile(const ConvLayer &layer,
                                      const hw::HwDesc &hw);
llvm::Expected<Choice> choosePpuTile(const PpuLayer &layer,
                                     const hw::HwDesc &hw);

} // namespace escalate::codegen

#endif
