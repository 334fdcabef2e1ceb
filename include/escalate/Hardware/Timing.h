//===- Timing.h - per-instruction durations of the timing model -*- C++ -*-===//
//
// The durations docs/isa.md ("Timing") defines, in one place: the simulator
// times every instruction with them and the compiler's tiling cost model
// estimates layers with them, so the two cannot drift apart.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_HARDWARE_TIMING_H
#define ESCALATE_HARDWARE_TIMING_H

#include "escalate/Hardware/Hardware.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

namespace escalate::isa {

inline uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/// The DRAM side of a load or store: `c` x `h` rows of `rowBytes`
/// contiguous bytes, row (ci, hi) at dram + ci*strideC + hi*strideH.
struct DmaShape {
  uint64_t dram, c, h, rowBytes, strideC, strideH;
};
/// Bursts the transfer moves: the distinct burst-aligned DRAM blocks its
/// rows touch, so rows that are contiguous share their bursts and only the
/// two ends of a contiguous run are rounded.
uint64_t dmaBursts(const hw::HwDesc &hw, const DmaShape &s);

/// A transfer's timing on one DMA channel: its `bursts` occupy the DRAM bus
/// `busCycles`; with at most `outstanding_requests` bursts in flight a
/// channel cannot stream faster than one burst per latency/outstanding
/// cycles, so its data phase lasts `dataCycles` >= busCycles; the last data
/// arrives `latency` after the channel issued its last request.
struct DmaTime {
  uint64_t bursts = 0, busCycles = 0, dataCycles = 0;
};
DmaTime dmaTime(const hw::HwDesc &hw, uint64_t bursts);

/// The DMA channels and the DRAM bus on a timeline, shared by the
/// simulator and the compiler's list schedule. A transfer goes to the
/// channel free first; its requests go out from `start` and its data uses
/// the bus once the latency has passed and the bus is free, so a channel's
/// next descriptor overlaps the previous one's latency.
class DmaTimeline {
public:
  explicit DmaTimeline(const hw::HwDesc &hw);
  /// The first cycle a channel can take a new descriptor.
  uint64_t channelFree() const;
  struct Placement {
    uint64_t start, end;
  };
  /// Places a transfer that may not start before `ready` (which must be at
  /// least channelFree()): it starts at `ready` and ends when its last
  /// data has arrived.
  Placement place(uint64_t ready, const DmaTime &t);

private:
  uint64_t latency;
  llvm::SmallVector<uint64_t, 4> free;
  uint64_t busFree = 0;
};

/// Basis-engine cycles for one input channel of a conv with `bases` maps
/// (window mode: the k*k windows) of `pixels` outputs and a kh x kw kernel.
uint64_t basisCyclesPerChannel(const hw::HwDesc &hw, bool window,
                               uint64_t bases, uint64_t taps, uint64_t pixels);
/// How many groups the coefficient engine's lanes_p pixel lanes form for a
/// conv of `pixels` outputs: the largest power of two g up to
/// channel_groups that divides lanes_p with pixels <= lanes_p / g. Each
/// group works on all the pixels with lanes_o other entries of the same
/// column (other output channels), so a small tile keeps the lanes busy.
inline uint64_t coefChannelGroups(const hw::HwDesc &hw, uint64_t pixels) {
  uint64_t g = 1;
  while (2 * g <= hw.coefChannelGroups && hw.coefLanesP % (2 * g) == 0 &&
         2 * g * pixels <= hw.coefLanesP)
    g *= 2;
  return g;
}
/// Coefficient-engine cycles for one column with `nnz` stored entries.
inline uint64_t coefCyclesPerColumn(const hw::HwDesc &hw, uint64_t nnz,
                                    uint64_t pixels) {
  uint64_t g = coefChannelGroups(hw, pixels);
  return ceilDiv(nnz, hw.coefLanesO * g) * ceilDiv(pixels, hw.coefLanesP / g);
}
/// The two-stage basis-first pipeline: the basis engine spends
/// `basisCycles` per input channel, the coefficient engine `coefCycles[i]`;
/// the two-slot stream buffer lets the basis engine run one channel ahead.
uint64_t streamPipelineCycles(const hw::HwDesc &hw, uint64_t basisCycles,
                              llvm::ArrayRef<uint64_t> coefCycles);

/// A post-processing instruction over `elements` (pool: output elements x
/// window).
inline uint64_t ppuCycles(const hw::HwDesc &hw, uint64_t elements) {
  return ceilDiv(elements, hw.ppuLanes) + hw.ppuPipeline;
}
/// A host op over `elements`.
inline uint64_t hostCycles(const hw::HwDesc &hw, uint64_t elements) {
  return elements * hw.hostInstructionsPerElement;
}

} // namespace escalate::isa

#endif
