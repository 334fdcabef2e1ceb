//===- Timing.cpp - per-instruction durations of the timing model ---------===//
#include "escalate/Hardware/Timing.h"
#include <algorithm>

using namespace escalate;
using namespace escalate::isa;

uint64_t isa::dmaTransferBytes(const hw::HwDesc &hw, uint64_t rows,
                               uint64_t rowBytes) {
  return rows * ceilDiv(rowBytes, hw.dramBurst) * hw.dramBurst;
}

uint64_t isa::dmaCycles(const hw::HwDesc &hw, uint64_t rows,
                        uint64_t rowBytes) {
  return hw.dramLatency +
         ceilDiv(dmaTransferBytes(hw, rows, rowBytes), hw.dramBytesPerCycle);
}

uint64_t isa::basisCyclesPerChannel(const hw::HwDesc &hw, bool window,
                                    uint64_t bases, uint64_t taps,
                                    uint64_t pixels) {
  uint64_t pixelGroups = ceilDiv(pixels, hw.basisLanesP);
  if (window)
    return ceilDiv(taps, hw.basisLanesM) * pixelGroups;
  return ceilDiv(bases, hw.basisLanesM) * pixelGroups * taps;
}

uint64_t isa::streamPipelineCycles(const hw::HwDesc &hw, uint64_t basisCycles,
                                   llvm::ArrayRef<uint64_t> coefCycles) {
  // bEnd: basis engine done with channel i; it may start channel i only
  // when slot i % 2 is free, i.e. the coefficient engine finished i - 2.
  uint64_t bEnd = 0, cEnd = 0, cEndPrev2 = 0, cEndPrev1 = 0;
  for (uint64_t c : coefCycles) {
    bEnd = std::max(bEnd, cEndPrev2) + basisCycles;
    cEnd = std::max(bEnd, cEndPrev1) + c;
    cEndPrev2 = cEndPrev1;
    cEndPrev1 = cEnd;
  }
  return cEnd + hw.basisPipeline + hw.coefPipeline;
}
