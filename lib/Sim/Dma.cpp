//===- Dma.cpp - the DMA engine -------------------------------------------===//
#include "Machine.h"
#include "llvm/Support/FormatVariadic.h"

using namespace escalate;
using namespace escalate::sim;
using namespace escalate::isa;
using hw::Buffer;

llvm::Error sim::executeDma(Machine &m, const Instruction &inst, Step &step) {
  bool isLoad = inst.opcode == Opcode::Load;
  // load and store share the leading fields (buf .. stride_h).
  Buffer buf = Buffer(inst[load::Buf]);
  uint64_t c = inst[load::C], h = inst[load::H], w = inst[load::W];
  uint64_t eb =
      inst[isLoad ? unsigned(load::ElemBytes) : unsigned(store::ElemBytes)];
  uint64_t rowBytes = w * eb;
  uint64_t padT = 0, padB = 0, padL = 0, padR = 0;
  if (isLoad) {
    padT = inst[load::PadTop];
    padB = inst[load::PadBottom];
    padL = inst[load::PadLeft];
    padR = inst[load::PadRight];
  }
  uint64_t rows = h + padT + padB, cols = w + padL + padR;
  uint8_t *sram = m.buffer(buf, inst[load::Sram]);
  uint64_t dram = inst[load::Dram];
  if (isLoad && (padT || padB || padL || padR)) {
    // The pad value everywhere, then the rows over it: one element, then
    // doubling copies.
    uint64_t total = c * rows * cols * eb;
    int32_t pv = int32_t(inst[load::PadValue]);
    std::memcpy(sram, &pv, std::min<uint64_t>(eb, total));
    for (uint64_t done = eb; done < total; done *= 2)
      std::memcpy(sram + done, sram, std::min(done, total - done));
  }
  // A channel's rows are one block when neither side pads them apart.
  bool whole = cols == w && uint64_t(inst[load::StrideH]) == rowBytes;
  uint64_t rowsPerCopy = whole ? h : 1;
  for (uint64_t ci = 0; ci < c; ++ci)
    for (uint64_t hi = 0; hi < h; hi += rowsPerCopy) {
      uint8_t *d = m.dram.data() + dram + ci * inst[load::StrideC] +
                   hi * inst[load::StrideH];
      uint8_t *s = sram + ((ci * rows + hi + padT) * cols + padL) * eb;
      if (isLoad)
        std::memcpy(s, d, rowsPerCopy * rowBytes);
      else
        std::memcpy(d, s, rowsPerCopy * rowBytes);
    }

  const hw::HwDesc &hw = m.hw;
  uint64_t payload = c * h * rowBytes;
  step.dma = dmaTime(hw, dmaBursts(hw, {dram, c, h, rowBytes,
                                        uint64_t(inst[load::StrideC]),
                                        uint64_t(inst[load::StrideH])}));
  uint64_t moved = step.dma.bursts * hw.dramBurst;
  Counters &k = step.counts;
  (isLoad ? k.dramRead : k.dramWrite) = payload;
  k.dramBurstBytes = moved;
  if (isLoad)
    k.bufWrite[unsigned(buf)] = c * rows * cols * eb;
  else
    k.bufRead[unsigned(buf)] = payload;
  // DRAM energy is paid on every byte of every burst moved.
  k.energyPj[unsigned(EnergyKind::Dram)] = moved * hw.dramBytePj;
  step.unitMask = 1u << unsigned(Unit::Dma);
  step.duration = hw.dramLatency + step.dma.dataCycles;
  k.busy[unsigned(Unit::Dma)] = step.dma.dataCycles;
  return llvm::Error::success();
}
