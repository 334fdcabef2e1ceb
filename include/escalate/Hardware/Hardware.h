//===- Hardware.h - the accelerator's hardware description ------*- C++ -*-===//
//
// One JSON file describes the machine (docs/isa.md). The compiler, the
// escisa verifiers and the simulator all read it through this struct, and
// binaries embed its text, so no hardware number is written twice.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_HARDWARE_HARDWARE_H
#define ESCALATE_HARDWARE_HARDWARE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <string>

namespace escalate::hw {

/// On-chip buffers. The numbering is part of the ISA (the `buf` field).
enum class Buffer : uint8_t { Act = 0, Basis, Coef, Stream, Accum };
constexpr unsigned kNumBuffers = 5;
/// Every tensor and constant segment starts at a multiple of this many
/// bytes of DRAM (the program format's alignment, docs/binary-format.md).
constexpr uint64_t kDramAlign = 64;
llvm::StringRef bufferName(Buffer b);

struct BufferDesc {
  uint64_t bytes = 0;
  uint64_t banks = 0;
  double pjPerByte = 0;
  uint64_t bankBytes() const { return bytes / banks; }
};

struct HwDesc {
  std::string name;
  double clockMhz = 0;

  uint64_t dramCapacity = 0, dramBytesPerCycle = 0, dramLatency = 0,
           dramBurst = 0;
  /// DMA channels (descriptors in flight at once) and the burst requests
  /// each channel may have outstanding.
  uint64_t dmaChannels = 0, dmaOutstanding = 0;
  uint64_t basisLanesM = 0, basisLanesP = 0, basisPipeline = 0;
  uint64_t coefLanesO = 0, coefLanesP = 0, coefPipeline = 0;
  /// Most groups the coefficient engine's pixel lanes split into for small
  /// tiles (isa::coefChannelGroups); 1: pixels only.
  uint64_t coefChannelGroups = 1;
  uint64_t ppuLanes = 0, ppuPipeline = 0;
  uint64_t hostInstructionsPerElement = 0;
  BufferDesc buffers[kNumBuffers];

  llvm::SmallVector<unsigned, 4> actBits, basisBits, coefBits;
  unsigned accumBits = 0, streamBits = 0;

  double multPjPerBit2 = 0, add32Pj = 0, ppuElementPj = 0, dramBytePj = 0,
         hostInstructionPj = 0;
  /// Area figures in um^2: a multiplier per operand bit squared, a 32-bit
  /// adder, a PPU lane, an SRAM byte.
  double multUm2PerBit2 = 0, add32Um2 = 0, ppuLaneUm2 = 0, sramByteUm2 = 0;

  /// The JSON text this was parsed from, re-printed canonically (sorted
  /// keys, no whitespace); binaries embed exactly this.
  std::string canonicalJson;

  const BufferDesc &buffer(Buffer b) const {
    return buffers[static_cast<unsigned>(b)];
  }
  /// Bytes of one stage-1 map element in the stream buffer.
  unsigned streamBytes() const { return streamBits > 16 ? 4 : 2; }
  /// Energy of one multiply-accumulate of an a-bit by a b-bit operand into
  /// a wide accumulator.
  double macPj(unsigned a, unsigned b) const {
    return multPjPerBit2 * a * b + add32Pj;
  }
};

/// Silicon area of the engines and buffers, from the description's area
/// figures. Multipliers are sized for the widest operands they must take:
/// basis engine act x basis bits, coefficient engine coef x stream bits
/// (window mode runs on the same multipliers); each MAC lane has a 32-bit
/// accumulating adder.
struct Area {
  double basisEngine = 0, coefEngine = 0, ppu = 0;
  double buffers[kNumBuffers] = {};
  double sram() const;
  double total() const { return basisEngine + coefEngine + ppu + sram(); }
};
Area area(const HwDesc &hw);

/// Parses and validates a description. Unknown keys are errors (a typo must
/// not silently fall back to a default); keys starting with '_' are comments.
llvm::Expected<HwDesc> parseHwDesc(llvm::StringRef json);
llvm::Expected<HwDesc> loadHwDesc(llvm::StringRef path);
/// The built-in description: hw/escalate-default.json, embedded at build
/// time.
const HwDesc &defaultHwDesc();

} // namespace escalate::hw

#endif
