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

namespace escalate::isa {

inline uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/// A load or store of `rows` rows of `rowBytes` contiguous DRAM bytes each:
/// latency plus the burst-rounded transfer at the DRAM bandwidth.
uint64_t dmaCycles(const hw::HwDesc &hw, uint64_t rows, uint64_t rowBytes);
/// Bytes a DMA moves on the DRAM bus (every row rounded up to bursts).
uint64_t dmaTransferBytes(const hw::HwDesc &hw, uint64_t rows,
                          uint64_t rowBytes);

/// Basis-engine cycles for one input channel of a conv with `bases` maps
/// (window mode: the k*k windows) of `pixels` outputs and a kh x kw kernel.
uint64_t basisCyclesPerChannel(const hw::HwDesc &hw, bool window,
                               uint64_t bases, uint64_t taps, uint64_t pixels);
/// Coefficient-engine cycles for one column with `nnz` stored entries.
inline uint64_t coefCyclesPerColumn(const hw::HwDesc &hw, uint64_t nnz,
                                    uint64_t pixels) {
  return ceilDiv(nnz, hw.coefLanesO) * ceilDiv(pixels, hw.coefLanesP);
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
