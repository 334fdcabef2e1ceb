//===- Timing.cpp - per-instruction durations of the timing model ---------===//
#include "escalate/Hardware/Timing.h"
#include <algorithm>

using namespace escalate;
using namespace escalate::isa;

uint64_t isa::dmaBursts(const hw::HwDesc &hw, const DmaShape &s) {
  if (!s.c || !s.h || !s.rowBytes)
    return 0;
  uint64_t burst = hw.dramBurst;
  auto blocks = [&](uint64_t lo, uint64_t bytes) {
    return (lo + bytes - 1) / burst - lo / burst + 1;
  };
  // Rows in ascending, non-overlapping order can share boundary blocks.
  // Anything else (overlapping or interleaved strides) is counted row by
  // row, which can only overcount.
  bool ascending =
      (s.h == 1 || s.strideH >= s.rowBytes) &&
      (s.c == 1 || s.strideC >= (s.h - 1) * s.strideH + s.rowBytes);
  if (!ascending)
    return s.c * s.h * blocks(s.dram % burst, s.rowBytes);
  // Contiguous rows form one run per channel; contiguous channels, one run.
  bool rowsContiguous = s.h == 1 || s.strideH == s.rowBytes;
  uint64_t rowsPerRun = rowsContiguous ? s.h : 1;
  uint64_t runBytes = rowsPerRun * s.rowBytes;
  if (rowsContiguous && (s.c == 1 || s.strideC == runBytes))
    return blocks(s.dram, s.c * runBytes);
  uint64_t total = 0, lastBlock = UINT64_MAX;
  for (uint64_t ci = 0; ci < s.c; ++ci)
    for (uint64_t hi = 0; hi < s.h; hi += rowsPerRun) {
      uint64_t lo = s.dram + ci * s.strideC + hi * s.strideH;
      uint64_t first = lo / burst, last = (lo + runBytes - 1) / burst;
      total += last - first + 1 - (first == lastBlock);
      lastBlock = last;
    }
  return total;
}

DmaTime isa::dmaTime(const hw::HwDesc &hw, uint64_t bursts) {
  DmaTime t;
  t.bursts = bursts;
  t.busCycles = ceilDiv(bursts * hw.dramBurst, hw.dramBytesPerCycle);
  t.dataCycles =
      std::max(t.busCycles, ceilDiv(bursts * hw.dramLatency, hw.dmaOutstanding));
  return t;
}

DmaTimeline::DmaTimeline(const hw::HwDesc &hw)
    : latency(hw.dramLatency), free(hw.dmaChannels, 0) {}

uint64_t DmaTimeline::channelFree() const {
  return *std::min_element(free.begin(), free.end());
}

DmaTimeline::Placement DmaTimeline::place(uint64_t ready, const DmaTime &t) {
  uint64_t &channel = *std::min_element(free.begin(), free.end());
  uint64_t dataStart = std::max(ready + latency, busFree);
  uint64_t end = dataStart + t.dataCycles;
  busFree = dataStart + t.busCycles;
  // The channel has issued its last request `latency` before the end.
  channel = std::max(ready + 1, end - latency);
  return {ready, end};
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
