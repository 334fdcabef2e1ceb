//===- PostProcess.cpp - the post-processing unit -------------------------===//
//
// requant, lut, pool and eltwise: integer only, with the rounding of
// roundShift (docs/isa.md, "Rounding").
//
//===----------------------------------------------------------------------===//
#include "Kernels.h"
#include "Machine.h"
#include "Memory.h"
#include "llvm/Support/FormatVariadic.h"

using namespace escalate;
using namespace escalate::sim;
using namespace escalate::isa;
using hw::Buffer;

namespace {
int32_t param(Machine &m, uint64_t addr, unsigned index) {
  return int32_t(loadElem(m.buffer(Buffer::Coef, addr), index, 32));
}

llvm::Error checkShift(int64_t shift, const llvm::Twine &what) {
  if (shift < 0 || shift > 63)
    return fail(what + llvm::formatv(" shift {0} is outside [0, 63]", shift));
  return llvm::Error::success();
}

void finish(Machine &m, Step &step, uint64_t elements) {
  step.counts.ppuElements = elements;
  step.counts.energyPj[unsigned(EnergyKind::Ppu)] =
      elements * m.hw.ppuElementPj;
  step.unitMask = 1u << unsigned(Unit::Ppu);
  step.duration = ppuCycles(m.hw, elements);
  step.counts.busy[unsigned(Unit::Ppu)] = step.duration;
}

llvm::Error requantOp(Machine &m, const Instruction &inst, Step &step) {
  using namespace requant;
  uint64_t plane = uint64_t(inst[H]) * inst[W];
  unsigned bits = inst[OutBits];
  const uint8_t *src = m.buffer(Buffer::Accum, inst[Src]);
  uint8_t *dst = m.buffer(Buffer::Act, inst[Dst]);
  fixed::RequantOutput out{inst[ZeroPoint], inst[ClampLo], inst[ClampHi],
                           int32_t(inst[NegMult]), unsigned(inst[NegShift])};
  for (int64_t c = 0; c < inst[C]; ++c) {
    fixed::RequantParams p{param(m, inst[Params], 3 * c),
                           param(m, inst[Params], 3 * c + 1),
                           param(m, inst[Params], 3 * c + 2)};
    if (llvm::Error err =
            checkShift(p.shift, llvm::formatv("channel {0}'s requant", c)))
      return err;
    requantChannel(src + 4 * c * plane, plane, p, out, bits,
                   dst + c * plane * (bits / 8));
  }
  uint64_t n = inst[C] * plane;
  step.counts.bufRead[unsigned(Buffer::Accum)] = 4 * n;
  step.counts.bufRead[unsigned(Buffer::Coef)] = kRequantParamBytes * inst[C];
  step.counts.bufWrite[unsigned(Buffer::Act)] = n * bits / 8;
  finish(m, step, n);
  return llvm::Error::success();
}

llvm::Error lutOp(Machine &m, const Instruction &inst, Step &step) {
  using namespace lut;
  const uint8_t *src = m.buffer(Buffer::Act, inst[Src]);
  uint8_t *dst = m.buffer(Buffer::Act, inst[Dst]);
  const uint8_t *table = m.buffer(Buffer::Coef, inst[Table]);
  for (int64_t i = 0; i < inst[Count]; ++i)
    dst[i] = table[src[i]];
  step.counts.bufRead[unsigned(Buffer::Act)] = inst[Count];
  step.counts.bufRead[unsigned(Buffer::Coef)] = inst[Count];
  step.counts.bufWrite[unsigned(Buffer::Act)] = inst[Count];
  finish(m, step, inst[Count]);
  return llvm::Error::success();
}

llvm::Error poolOp(Machine &m, const Instruction &inst, Step &step) {
  using namespace pool;
  int64_t inH = inst[InH], inW = inst[InW], kh = inst[KernelH],
          kw = inst[KernelW];
  int64_t outH = (inH - kh) / inst[StrideH] + 1;
  int64_t outW = (inW - kw) / inst[StrideW] + 1;
  unsigned bits = inst[Bits];
  const uint8_t *src = m.buffer(Buffer::Act, inst[Src]);
  uint8_t *dst = m.buffer(Buffer::Act, inst[Dst]);
  bool isMax = inst[Kind] == Max;
  int64_t zp = inst[ZeroPoint];
  fixed::UncountedBands bands{inst[UncountedTop], inst[UncountedLeft],
                              inst[UncountedBottom], inst[UncountedRight]};
  // Without uncounted bands every window counts kh * kw positions.
  bool divisors = !isMax && bands.any();
  for (int64_t c = 0; c < inst[C]; ++c)
    for (int64_t oh = 0; oh < outH; ++oh)
      for (int64_t ow = 0; ow < outW; ++ow) {
        int32_t mult = int32_t(inst[AvgMult]);
        if (divisors) {
          int64_t n = fixed::countedTaps(oh * inst[StrideH], ow * inst[StrideW],
                                         kh, kw, inH, inW, bands);
          if (n == 0)
            return fail(llvm::formatv("pool window ({0}, {1}) lies wholly in "
                                      "the uncounted bands",
                                      oh, ow));
          mult = param(m, inst[Divisors], unsigned(n - 1));
        }
        int64_t best = INT64_MIN, sum = 0;
        for (int64_t y = 0; y < kh; ++y)
          for (int64_t x = 0; x < kw; ++x) {
            int64_t v = loadElem(src,
                                 (c * inH + oh * inst[StrideH] + y) * inW +
                                     ow * inst[StrideW] + x,
                                 bits);
            best = std::max(best, v);
            sum += v - zp;
          }
        int64_t out =
            isMax ? best
                  : fixed::averageFromSum(sum, mult, inst[AvgShift], zp, bits);
        storeElem(dst, (c * outH + oh) * outW + ow, bits, out);
      }
  uint64_t outElems = inst[C] * outH * outW;
  step.counts.bufRead[unsigned(Buffer::Act)] = inst[C] * inH * inW * (bits / 8);
  step.counts.bufWrite[unsigned(Buffer::Act)] = outElems * (bits / 8);
  if (divisors)
    step.counts.bufRead[unsigned(Buffer::Coef)] = 4 * outElems;
  finish(m, step, outElems * kh * kw);
  return llvm::Error::success();
}

llvm::Error eltwiseOp(Machine &m, const Instruction &inst, Step &step) {
  using namespace eltwise;
  fixed::EltwiseParams p;
  int32_t *fields[] = {&p.za, &p.zb, &p.zo, &p.ma, &p.mb, &p.shift, &p.lo, &p.hi};
  for (auto [i, field] : llvm::enumerate(fields))
    *field = param(m, inst[Params], i);
  if (llvm::Error err = checkShift(p.shift, "eltwise"))
    return err;
  if (p.lo > p.hi)
    return fail(llvm::formatv("eltwise clamp [{0}, {1}] is empty", p.lo, p.hi));
  unsigned bits = inst[Bits];
  uint64_t plane = uint64_t(inst[H]) * inst[W];
  uint64_t n = inst[C] * plane;
  const uint8_t *a = m.buffer(Buffer::Act, inst[A]);
  const uint8_t *b = m.buffer(Buffer::Act, inst[B]);
  uint8_t *dst = m.buffer(Buffer::Act, inst[Dst]);
  int64_t bcast = inst[Broadcast];
  bool isAdd = inst[Op] == Add;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t bi = bcast == None      ? i
                  : bcast == Channel ? i / plane
                  : bcast == Pixel   ? i % plane
                                     : 0;
    int64_t va = loadElem(a, i, bits), vb = loadElem(b, bi, bits);
    storeElem(dst, i, bits,
              isAdd ? fixed::eltwiseAdd(va, vb, p, bits)
                    : fixed::eltwiseMul(va, vb, p, bits));
  }
  uint64_t eb = bits / 8;
  step.counts.bufRead[unsigned(Buffer::Act)] =
      (n + (bcast == None      ? n
            : bcast == Channel ? inst[C]
            : bcast == Pixel   ? plane
                               : 1)) *
      eb;
  step.counts.bufRead[unsigned(Buffer::Coef)] = kEltwiseParamBytes;
  step.counts.bufWrite[unsigned(Buffer::Act)] = n * eb;
  finish(m, step, n);
  return llvm::Error::success();
}
} // namespace

llvm::Error sim::executePpu(Machine &m, const Instruction &inst, Step &step) {
  switch (inst.opcode) {
  case Opcode::Requant:
    return requantOp(m, inst, step);
  case Opcode::Lut:
    return lutOp(m, inst, step);
  case Opcode::Pool:
    return poolOp(m, inst, step);
  default:
    return eltwiseOp(m, inst, step);
  }
}
