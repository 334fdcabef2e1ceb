//===- PpuTiling.cpp - pooling, element-wise and lookup layers ------------===//
//
// A post-processing layer is a loop over tiles of `channels` x `rows` x the
// full width: load the operands (pooling windows padded by the load),
// run the PPU instruction, store. With double buffering the next tile's
// loads and the previous tile's store overlap the current instruction.
//
//===----------------------------------------------------------------------===//
#include "Builder.h"
#include "llvm/Support/FormatVariadic.h"

using namespace escalate;
using namespace escalate::codegen;
using namespace escalate::isa;
using hw::Buffer;
using Kind = PpuLayer::Kind;

namespace {
/// Input rows of output rows [r0, r0 + n): the window span, clipped, and
/// the padding the load adds (pooling); element-wise layers read the same
/// rows they write.
struct Rows {
  int64_t first, count, padBefore, padAfter, extent;
};
Rows inputRows(const PpuLayer &l, int64_t r0, int64_t n) {
  if (l.kind != Kind::Pool)
    return {r0, n, 0, 0, n};
  int64_t first = r0 * l.sh - l.padTop;
  int64_t extent = (n - 1) * l.sh + l.kh;
  int64_t lo = std::max<int64_t>(first, 0);
  int64_t hi = std::min(first + extent, l.in.h);
  return {lo, hi - lo, lo - first, first + extent - hi, extent};
}

int64_t paddedWidth(const PpuLayer &l) {
  return l.kind == Kind::Pool ? l.in.w + l.padLeft + l.padRight : l.in.w;
}

/// Elements of `other` one tile of `channels` x `rows` reads.
uint64_t otherElements(const PpuLayer &l, int64_t channels, int64_t rows) {
  switch (l.broadcast) {
  case eltwise::None:
    return uint64_t(channels) * rows * l.in.w;
  case eltwise::Channel:
    return channels;
  case eltwise::Pixel:
    return uint64_t(rows) * l.in.w;
  default:
    return 1;
  }
}

uint64_t inputBytes(const PpuLayer &l, const Tile &t) {
  uint64_t eb = l.in.elemBytes();
  Rows r = inputRows(l, 0, t.rows);
  uint64_t a = uint64_t(t.inChannels) * r.extent * paddedWidth(l) * eb;
  if (l.kind == Kind::Add || l.kind == Kind::Mul)
    a = alignTo(a, kBlobAlign) + otherElements(l, t.inChannels, t.rows) * eb;
  return a;
}

uint64_t paramBytes(const PpuLayer &l) {
  switch (l.kind) {
  case Kind::Add:
  case Kind::Mul:
    return kEltwiseParamBytes;
  case Kind::Lut:
    return 256;
  default:
    return 4 * l.divisors.size();
  }
}

/// The bands of a tile's padded input the divisor leaves out: the layer's
/// side bands, and its top (bottom) band where the tile's loaded padding
/// reaches into it (the outer rows of the padding are the uncounted ones).
fixed::UncountedBands tileBands(const PpuLayer &l, const Rows &rows) {
  fixed::UncountedBands u = l.uncounted;
  u.top = std::max<int64_t>(0, rows.padBefore - (l.padTop - u.top));
  u.bottom = std::max<int64_t>(0, rows.padAfter - (l.padBottom - u.bottom));
  return u;
}
} // namespace

namespace {
llvm::Error checkPpuTile(const PpuLayer &l, const Tile &t,
                         const hw::HwDesc &hw) {
  Regions r = bufferRegions(hw, t.doubleBuffer);
  if (t.rows < 1 || t.rows > l.out.h || t.cols != l.out.w ||
      t.inChannels != t.outChannels || t.inChannels < 1 ||
      t.inChannels > l.out.c)
    return llvm::createStringError(llvm::formatv(
        "tile {0} rows x {1} cols x {2} channels does not cover whole rows "
        "of the {3}x{4}x{5} output",
        t.rows, t.cols, t.outChannels, l.out.c, l.out.h, l.out.w));
  if (l.padTop > 15 || l.padBottom > 15 || l.padLeft > 15 || l.padRight > 15)
    return llvm::createStringError(
        "padding over 15 does not fit the load's pad fields");
  Rows rows = inputRows(l, 0, t.rows);
  if (rows.extent > 4095 || paddedWidth(l) > 4095 || t.inChannels > 65535 ||
      l.kh > 4095 || l.kw > 4095 || l.sh > 15 || l.sw > 15)
    return llvm::createStringError("tile exceeds the PPU's field widths");
  if (uint64_t in = inputBytes(l, t); in > r.in[0].bytes)
    return llvm::createStringError(
        llvm::formatv("the input tile needs {0} bytes, its region holds {1}",
                      in, r.in[0].bytes));
  uint64_t out = uint64_t(t.outChannels) * t.rows * l.out.w * l.out.elemBytes();
  if (out > r.out[0].bytes)
    return llvm::createStringError(
        llvm::formatv("the output tile needs {0} bytes, its region holds {1}",
                      out, r.out[0].bytes));
  return llvm::Error::success();
}

LayerCode build(const PpuLayer &l, const Tile &t, const hw::HwDesc &hw,
                DramView in, DramView other, DramView out, uint64_t constBase,
                int64_t images) {
  Regions R = bufferRegions(hw, t.doubleBuffer);
  Builder b(hw);
  uint64_t eb = l.in.elemBytes();
  bool eltwise = l.kind == Kind::Add || l.kind == Kind::Mul;
  uint64_t paramsAt = 0;
  if (uint64_t pb = paramBytes(l)) {
    std::string bytes;
    if (l.kind == Kind::Lut)
      bytes.assign(reinterpret_cast<const char *>(l.table.data()), 256);
    else if (l.kind == Kind::Pool)
      appendPacked(bytes, l.divisors, 32);
    else
      appendPacked(bytes, l.eltwiseParams, 32);
    paramsAt = constBase + b.addConstant(bytes);
    b.loadBlob(Buffer::Coef, R.params[0].base, paramsAt, pb, Par0);
  }
  int64_t inH = l.in.h, inW = l.in.w, OH = l.out.h, OW = l.out.w;
  bool dbl = t.doubleBuffer;
  struct Job {
    int64_t n, c0, ch, r0, rows;
  };
  std::vector<Job> jobs;
  for (int64_t n = 0; n < images; ++n)
    for (int64_t c0 = 0; c0 < l.out.c; c0 += t.outChannels)
      for (int64_t r0 = 0; r0 < OH; r0 += t.rows)
        jobs.push_back({n, c0, std::min(t.outChannels, l.out.c - c0), r0,
                        std::min(t.rows, OH - r0)});

  auto loads = [&](const Job &j, unsigned slot) {
    Rows rows = inputRows(l, j.r0, j.rows);
    uint64_t dram =
        in.base + j.n * in.imageStride + ((j.c0 * inH + rows.first) * inW) * eb;
    uint64_t at = R.in[slot].base;
    b.load({Buffer::Act, at, dram, j.ch, rows.count, inW,
            int64_t(inH * inW * eb), int64_t(inW * eb), rows.padBefore,
            rows.padAfter, l.kind == Kind::Pool ? l.padLeft : 0,
            l.kind == Kind::Pool ? l.padRight : 0, l.padValue, int64_t(eb)},
           In0 + slot);
    if (!eltwise)
      return;
    uint64_t bAt = alignTo(at + uint64_t(j.ch) * j.rows * inW * eb, kBlobAlign);
    uint64_t odram = other.base + j.n * other.imageStride;
    if (l.broadcast == eltwise::None)
      b.load({Buffer::Act, bAt, odram + ((j.c0 * inH + j.r0) * inW) * eb, j.ch,
              j.rows, inW, int64_t(inH * inW * eb), int64_t(inW * eb), 0, 0, 0,
              0, 0, int64_t(eb), /*joins=*/true},
             In0 + slot);
    else if (l.broadcast == eltwise::Channel)
      b.load({Buffer::Act, bAt, odram + j.c0 * eb, 1, 1, j.ch, 0, 0, 0, 0, 0, 0,
              0, int64_t(eb), /*joins=*/true},
             In0 + slot);
    else if (l.broadcast == eltwise::Pixel)
      b.load({Buffer::Act, bAt, odram + j.r0 * inW * eb, 1, j.rows, inW,
              int64_t(inH * inW * eb), int64_t(inW * eb), 0, 0, 0, 0, 0,
              int64_t(eb), /*joins=*/true},
             In0 + slot);
    else
      b.load(
          {Buffer::Act, bAt, odram, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, int64_t(eb),
           /*joins=*/true},
          In0 + slot);
  };
  auto op = [&](const Job &j, unsigned slot) {
    uint64_t src = R.in[slot].base, dst = R.out[slot].base;
    Instruction inst;
    uint64_t elements = uint64_t(j.ch) * j.rows * OW;
    uint64_t work = elements;
    switch (l.kind) {
    case Kind::Pool: {
      Rows rows = inputRows(l, j.r0, j.rows);
      inst =
          poolInstruction(src, dst,
                          {l.isMax, j.ch, rows.extent, paddedWidth(l), l.kh,
                           l.kw, l.sh, l.sw, l.in.bits, l.avgMult, l.avgShift,
                           l.zeroPoint, tileBands(l, rows), R.params[0].base});
      work = elements * l.kh * l.kw;
      break;
    }
    case Kind::Add:
    case Kind::Mul: {
      namespace f = isa::eltwise;
      inst.opcode = Opcode::Eltwise;
      inst.f[f::Op] = l.kind == Kind::Add ? f::Add : f::Mul;
      inst.f[f::Broadcast] = l.broadcast;
      inst.f[f::A] = src;
      inst.f[f::B] = alignTo(src + elements * eb, kBlobAlign);
      inst.f[f::Dst] = dst;
      inst.f[f::C] = j.ch;
      inst.f[f::H] = j.rows;
      inst.f[f::W] = OW;
      inst.f[f::Params] = R.params[0].base;
      inst.f[f::Bits] = l.in.bits;
      break;
    }
    case Kind::Lut: {
      namespace f = isa::lut;
      inst.opcode = Opcode::Lut;
      inst.f[f::Src] = src;
      inst.f[f::Dst] = dst;
      inst.f[f::Count] = elements;
      inst.f[f::Table] = R.params[0].base;
      break;
    }
    }
    b.use(Buffer::Act, dst, elements * l.out.elemBytes());
    b.add(inst, Unit::Ppu, ppuCycles(hw, work), {In0 + slot, Par0},
          {Out0 + slot});
  };
  auto store = [&](const Job &j, unsigned slot) {
    uint64_t ob = l.out.elemBytes();
    uint64_t cs = out.channelStride ? out.channelStride : OH * OW * ob;
    uint64_t dram =
        out.base + j.n * out.imageStride + j.c0 * cs + j.r0 * OW * ob;
    b.store({Buffer::Act, R.out[slot].base, dram, j.ch, j.rows, OW, int64_t(cs),
             int64_t(OW * ob), 0, 0, 0, 0, 0, int64_t(ob)},
            Out0 + slot);
  };

  loads(jobs.front(), 0);
  std::optional<std::pair<Job, unsigned>> pending;
  for (size_t k = 0; k < jobs.size(); ++k) {
    unsigned slot = dbl ? k % 2 : 0;
    op(jobs[k], slot);
    if (!dbl)
      store(jobs[k], slot);
    if (pending) {
      store(pending->first, pending->second);
      pending.reset();
    }
    if (k + 1 < jobs.size())
      loads(jobs[k + 1], dbl ? (k + 1) % 2 : 0);
    if (dbl)
      pending = {jobs[k], slot};
  }
  if (pending)
    store(pending->first, pending->second);
  return std::move(b.code);
}
} // namespace

llvm::Expected<LayerCode> codegen::buildPpu(const PpuLayer &l, const Tile &t,
                                           const hw::HwDesc &hw, DramView in,
                                           DramView other, DramView out,
                                           uint64_t constBase) {
  if (llvm::Error err = checkPpuTile(l, t, hw))
    return std::move(err);
  return build(l, t, hw, in, other, out, constBase, l.in.n);
}

llvm::Expected<Choice> codegen::choosePpuTile(const PpuLayer &l,
                                             const hw::HwDesc &hw) {
  std::optional<Choice> best;
  Rejections rejected;
  for (bool dbl : {true, false}) {
    for (int64_t d : {1, 2, 4, 8, 16, 32, 64, 128}) {
      int64_t ch = (l.out.c + d - 1) / d;
      Tile t{1, l.out.w, ch, ch, false, dbl};
      if (llvm::Error err = checkPpuTile(l, t, hw)) {
        rejected.note(std::move(err));
        continue;
      }
      t.rows = evenRows(l.out.h, [&](int64_t rows) {
        Tile taller = t;
        taller.rows = rows;
        llvm::Error err = checkPpuTile(l, taller, hw);
        bool fits = !err;
        llvm::consumeError(std::move(err));
        return fits;
      });
      LayerCode code = build(l, t, hw, {0, l.in.imageBytes()},
                             {0, l.other.imageBytes()}, {0, 0}, 0, l.in.n);
      Choice c{t, scheduleCycles(hw, code), code.dramPayload};
      if (!best || c.cycles < best->cycles)
        best = c;
      if (d > 1 && best->tile.inChannels != ch)
        break; // splitting channels further no longer helps
    }
    if (best)
      return *best;
  }
  return rejected.noneFits();
}
