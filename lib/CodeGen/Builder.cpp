//===- Builder.cpp - appending a layer's steps with their dependencies ----===//
#include "Builder.h"

using namespace escalate;
using namespace escalate::codegen;
using namespace escalate::isa;

int64_t codegen::evenRows(int64_t total,
                         llvm::function_ref<bool(int64_t)> fits) {
  int64_t lo = 1, hi = total;
  while (lo < hi) {
    int64_t mid = (lo + hi + 1) / 2;
    if (fits(mid))
      lo = mid;
    else
      hi = mid - 1;
  }
  int64_t tiles = (total + lo - 1) / lo;
  return (total + tiles - 1) / tiles;
}

Instruction codegen::poolInstruction(uint64_t src, uint64_t dst,
                                     const PoolWindows &p) {
  namespace f = isa::pool;
  Instruction inst;
  inst.opcode = Opcode::Pool;
  inst.f[f::Kind] = p.isMax ? f::Max : f::Avg;
  inst.f[f::Src] = src;
  inst.f[f::Dst] = dst;
  inst.f[f::C] = p.c;
  inst.f[f::InH] = p.inH;
  inst.f[f::InW] = p.inW;
  inst.f[f::KernelH] = p.kh;
  inst.f[f::KernelW] = p.kw;
  inst.f[f::StrideH] = p.sh;
  inst.f[f::StrideW] = p.sw;
  inst.f[f::Bits] = p.bits;
  inst.f[f::AvgMult] = p.avgMult;
  inst.f[f::AvgShift] = p.avgShift;
  inst.f[f::ZeroPoint] = p.zeroPoint;
  inst.f[f::UncountedTop] = p.uncounted.top;
  inst.f[f::UncountedLeft] = p.uncounted.left;
  inst.f[f::UncountedBottom] = p.uncounted.bottom;
  inst.f[f::UncountedRight] = p.uncounted.right;
  inst.f[f::Divisors] = p.uncounted.any() ? p.divisors : 0;
  return inst;
}

uint32_t Builder::add(const Instruction &inst, Unit unit, uint64_t duration,
                      std::initializer_list<unsigned> reads,
                      std::initializer_list<unsigned> writes, bool joins) {
  Step s{inst, unit, duration, {}, {}};
  auto dep = [&](uint32_t i) {
    if (!llvm::is_contained(s.deps, i))
      s.deps.push_back(i);
  };
  for (unsigned r : reads)
    for (uint32_t w : writers[r])
      dep(w);
  for (unsigned w : writes) {
    if (!joins)
      for (uint32_t prev : writers[w])
        dep(prev);
    for (uint32_t r : readers[w])
      dep(r);
  }
  uint32_t index = code.steps.size();
  for (unsigned r : reads)
    readers[r].push_back(index);
  for (unsigned w : writes) {
    if (!joins)
      writers[w].clear();
    writers[w].push_back(index);
    readers[w].clear();
  }
  code.steps.push_back(std::move(s));
  return index;
}

void Builder::use(hw::Buffer b, uint64_t base, uint64_t bytes) {
  uint64_t &region = regionBytes[{unsigned(b), base}];
  if (bytes <= region)
    return;
  code.peakBytes[unsigned(b)] += bytes - region;
  region = bytes;
}

uint64_t Builder::addConstant(llvm::StringRef bytes) {
  uint64_t offset = reserveConstant(bytes.size());
  if (keepConstants) {
    code.constants.resize(offset, '\0');
    code.constants += bytes;
    code.constants.resize(constantEnd, '\0');
  }
  return offset;
}

uint64_t Builder::reserveConstant(uint64_t size) {
  uint64_t offset = alignTo(constantEnd, kBlobAlign);
  constantEnd = offset + blobFootprint(size);
  return offset;
}

namespace {
/// Load and store share their leading fields (buf .. stride_h).
Instruction transfer(Opcode opcode, const Builder::Transfer &t) {
  static_assert(isa::load::StrideH == isa::store::StrideH &&
                isa::load::Buf == isa::store::Buf);
  Instruction inst;
  inst.opcode = opcode;
  using namespace isa::load;
  inst.f[Buf] = int64_t(t.buf);
  inst.f[Sram] = t.sram;
  inst.f[Dram] = t.dram;
  inst.f[C] = t.c;
  inst.f[H] = t.h;
  inst.f[W] = t.w;
  inst.f[StrideC] = t.strideC;
  inst.f[StrideH] = t.strideH;
  return inst;
}
} // namespace

void Builder::dma(const Instruction &inst, const Transfer &t, bool isLoad,
                  unsigned res) {
  code.dramPayload += uint64_t(t.c) * t.h * t.w * t.elemBytes;
  DmaTime time = dmaTime(
      hw, dmaBursts(hw, {t.dram, uint64_t(t.c), uint64_t(t.h),
                         uint64_t(t.w * t.elemBytes), uint64_t(t.strideC),
                         uint64_t(t.strideH)}));
  uint64_t cycles = hw.dramLatency + time.dataCycles;
  uint32_t step = isLoad ? add(inst, Unit::Dma, cycles, {}, {res}, t.joins)
                         : add(inst, Unit::Dma, cycles, {res}, {});
  code.steps[step].dma = time;
}

void Builder::load(const Transfer &t, unsigned res) {
  Instruction inst = transfer(Opcode::Load, t);
  using namespace isa::load;
  inst.f[PadTop] = t.padTop;
  inst.f[PadBottom] = t.padBottom;
  inst.f[PadLeft] = t.padLeft;
  inst.f[PadRight] = t.padRight;
  inst.f[PadValue] = t.padValue;
  inst.f[ElemBytes] = t.elemBytes;
  uint64_t rows = t.h + t.padTop + t.padBottom;
  uint64_t cols = t.w + t.padLeft + t.padRight;
  use(t.buf, t.sram, uint64_t(t.c) * rows * cols * t.elemBytes);
  dma(inst, t, /*isLoad=*/true, res);
}

void Builder::store(const Transfer &t, unsigned res) {
  Instruction inst = transfer(Opcode::Store, t);
  inst.f[isa::store::ElemBytes] = t.elemBytes;
  dma(inst, t, /*isLoad=*/false, res);
}

void Builder::loadBlob(hw::Buffer buf, uint64_t sram, uint64_t dram,
                       uint64_t bytes, unsigned res) {
  if (bytes <= 4095) {
    load({buf, sram, dram, 1, 1, int64_t(bytes), 0, 0}, res);
    return;
  }
  // Rows of kBlobAlign bytes, at most 4095 rows (the h field) per load.
  uint64_t rows = alignTo(bytes, kBlobAlign) / kBlobAlign;
  for (uint64_t r = 0; r < rows; r += 4095) {
    uint64_t n = std::min<uint64_t>(4095, rows - r);
    load({buf, sram + r * kBlobAlign, dram + r * kBlobAlign, 1, int64_t(n),
          int64_t(kBlobAlign), 0, int64_t(kBlobAlign)},
         res);
  }
}
