//===- ConvTiling.cpp - conv layers: legality, code and tile search -------===//
//
// A conv layer runs as a loop over output tiles (rows x cols pixels of one
// output-channel group); each output tile accumulates one `conv` per
// input-channel group into its accumulators, then one `requant` writes the
// activations and a `store` sends them to DRAM. A fused epilogue adds one
// PPU step between the requant and the store: an `eltwise` (a residual
// add) reading the other operand's tile, which is loaded into the second
// half of the output slot while the tile's convs run, or a `pool` writing
// the pooled tile there. The basis engine's maps go
// straight into the coefficient engine through the stream buffer, which
// DMA cannot address: stage-1 maps never reach DRAM.
//
// With double buffering the code is software-pipelined: the next job's
// loads are issued right after the current conv, and a tile's requant and
// store right after the next tile's first conv, so the DMA, the conv
// engines and the PPU overlap.
//
//===----------------------------------------------------------------------===//
#include "Builder.h"
#include "llvm/Support/FormatVariadic.h"
#include <map>

using namespace escalate;
using namespace escalate::codegen;
using namespace escalate::isa;
using hw::Buffer;

namespace {
struct Range {
  int64_t begin, size;
};

std::vector<Range> split(int64_t total, int64_t step) {
  std::vector<Range> out;
  for (int64_t b = 0; b < total; b += step)
    out.push_back({b, std::min(step, total - b)});
  return out;
}

/// The input rows (or columns) an output range reads, clipped to the
/// image, and the padding the load adds around them.
struct Span {
  int64_t first, count, padBefore, padAfter, extent;
};
Span inputSpan(Range r, int64_t stride, int64_t kernel, int64_t dilation,
               int64_t pad, int64_t size) {
  int64_t first = r.begin * stride - pad;
  int64_t extent = (r.size - 1) * stride + (kernel - 1) * dilation + 1;
  int64_t lo = std::max<int64_t>(first, 0);
  int64_t hi = std::min(first + extent, size);
  return {lo, hi - lo, lo - first, first + extent - hi, extent};
}

/// The tile grid of one image.
struct Grid {
  std::vector<Range> rows, cols, outGroups, inGroups;
  bool grouped = false;

  Grid(const ConvLayer &l, const Tile &t) {
    rows = split(l.out.h, t.rows);
    cols = split(l.out.w, t.cols);
    grouped = l.groups > 1;
    outGroups = split(l.out.c, t.outChannels);
    if (!grouped)
      inGroups = split(l.in.c, t.inChannels);
  }
  size_t numIn() const { return grouped ? 1 : inGroups.size(); }
  /// Input channels of job (o, i).
  Range inputs(const ConvLayer &l, size_t o, size_t i) const {
    if (!grouped)
      return inGroups[i];
    Range g = outGroups[o];
    return {g.begin / l.outPerGroup() * l.inPerGroup(),
            g.size / l.outPerGroup() * l.inPerGroup()};
  }
  /// Coefficient-matrix columns of job (o, i).
  Range columns(const ConvLayer &l, size_t o, size_t i) const {
    if (grouped)
      return {0, l.cols()};
    return {inGroups[i].begin * l.bases, inGroups[i].size * l.bases};
  }
};

CoefMatrix matrixOf(const ConvLayer &l) {
  return {l.matrix, uint64_t(l.out.c), uint64_t(l.cols()),
          l.format, l.indexBits,       l.coefBits};
}

/// A two-slot cache of what a buffer region holds: the next job's data goes
/// into the slot the current job does not use.
struct SlotCache {
  int64_t key[2] = {-1, -1};
  unsigned current = 0;
  bool twoSlots;
  explicit SlotCache(bool twoSlots) : twoSlots(twoSlots) {}
  /// The slot holding `k`, and whether it must be loaded.
  std::pair<unsigned, bool> acquire(int64_t k) {
    if (!twoSlots) {
      bool miss = key[0] != k;
      key[0] = k;
      return {0, miss};
    }
    for (unsigned s = 0; s < 2; ++s)
      if (key[s] == k)
        return {s, false};
    unsigned s = 1 - current;
    key[s] = k;
    return {s, true};
  }
};

uint64_t basisBytes(const ConvLayer &l) {
  return l.window ? 0 : packedBytes(uint64_t(l.bases) * l.taps(), l.basisBits);
}

/// Encoded sizes and column entries of every block of a tiling.
using BlockTable = std::vector<std::vector<BlockStats>>;
BlockTable blockTable(const ConvLayer &l, const Grid &g) {
  CoefMatrix m = matrixOf(l);
  BlockTable t(g.outGroups.size());
  for (size_t o = 0; o < g.outGroups.size(); ++o)
    for (size_t i = 0; i < g.numIn(); ++i) {
      Range cols = g.columns(l, o, i);
      Range rows = g.outGroups[o];
      t[o].push_back(coefBlockStats(m, rows.begin, rows.begin + rows.size,
                                    cols.begin, cols.begin + cols.size));
    }
  return t;
}

/// The block tables of every tiling the search tries, without a pass over
/// the matrix per tiling: for each column partition (input-channel group
/// size) one pass sums each column's entries over the segments between
/// consecutive row boundaries of any candidate's output groups; a block is
/// then a sum of segments. Gives exactly blockTable's statistics.
class BlockTables {
public:
  BlockTables(const ConvLayer &l, std::vector<int64_t> rowBounds)
      : l(l), m(matrixOf(l)), bounds(std::move(rowBounds)) {
    llvm::sort(bounds);
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  }

  BlockTable table(const Grid &g) {
    if (m.format == conv::FormatDense)
      return blockTable(l, g);
    for (const Range &r : g.outGroups)
      if (!llvm::is_contained(bounds, r.begin))
        return blockTable(l, g);
    int64_t key = g.grouped ? 0 : g.inGroups[0].size;
    auto [it, inserted] = sums.try_emplace(key);
    if (inserted)
      it->second = segmentSums(g);
    const std::vector<uint32_t> &s = it->second;
    BlockTable t(g.outGroups.size());
    for (size_t o = 0; o < g.outGroups.size(); ++o) {
      Range rows = g.outGroups[o];
      size_t k0 = segment(rows.begin), k1 = segment(rows.begin + rows.size);
      for (size_t i = 0; i < g.numIn(); ++i) {
        Range cols = g.columns(l, o, i);
        BlockStats b;
        b.columnEntries.assign(cols.size, 0);
        uint64_t entries = 0;
        for (size_t k = k0; k < k1; ++k)
          for (int64_t c = 0; c < cols.size; ++c)
            b.columnEntries[c] += s[k * m.cols + cols.begin + c];
        for (uint64_t e : b.columnEntries)
          entries += e;
        b.bytes = encodedBlockBytes(m, rows.size, cols.size, entries);
        t[o].push_back(std::move(b));
      }
    }
    return t;
  }

private:
  size_t segment(int64_t row) const {
    return std::lower_bound(bounds.begin(), bounds.end(), row) -
           bounds.begin();
  }
  /// Per segment and column, the entries of the segment's rows, each row
  /// encoded within its block's column range.
  std::vector<uint32_t> segmentSums(const Grid &g) const {
    std::vector<uint32_t> s((bounds.size() - 1) * m.cols, 0);
    size_t k = 0;
    for (uint64_t r = 0; r < m.rows; ++r) {
      while (bounds[k + 1] <= int64_t(r))
        ++k;
      uint32_t *sum = s.data() + k * m.cols;
      const int32_t *row = m.values.data() + r * m.cols;
      for (size_t i = 0; i < g.numIn(); ++i) {
        Range cols = g.columns(l, 0, i);
        if (m.format == conv::FormatBitmap) {
          for (int64_t c = cols.begin; c < cols.begin + cols.size; ++c)
            sum[c] += row[c] != 0;
          continue;
        }
        forEachDeltaEntry(
            llvm::ArrayRef<int32_t>(row + cols.begin, cols.size), m.indexBits,
            [&](int64_t c, int64_t, int32_t) { ++sum[cols.begin + c]; });
      }
    }
    return s;
  }

  const ConvLayer &l;
  CoefMatrix m;
  std::vector<int64_t> bounds;
  std::map<int64_t, std::vector<uint32_t>> sums;
};

/// A group's parameter blob: its requant records, then an element-wise
/// epilogue's.
uint64_t paramBytes(const ConvLayer &l, int64_t outChannels) {
  return kRequantParamBytes * outChannels +
         (l.epilogue && !l.epilogue->isPool() ? kEltwiseParamBytes : 0);
}

llvm::Error tooBig(llvm::StringRef what, uint64_t bytes, uint64_t cap) {
  return llvm::createStringError(llvm::formatv(
      "{0} needs {1} bytes, its region holds {2}", what, bytes, cap));
}

llvm::Error checkGeometry(const ConvLayer &l, const Tile &t,
                          const hw::HwDesc &hw, const Regions &r) {
  if (t.rows < 1 || t.cols < 1 || t.rows > l.out.h || t.cols > l.out.w)
    return llvm::createStringError(
        llvm::formatv("tile {0}x{1} is outside the {2}x{3} output", t.rows,
                      t.cols, l.out.h, l.out.w));
  if (l.padTop > 15 || l.padBottom > 15 || l.padLeft > 15 || l.padRight > 15)
    return llvm::createStringError(
        "padding over 15 does not fit the load's pad fields");
  if (l.groups > 1) {
    if (t.outChannels % l.outPerGroup() ||
        t.inChannels != t.outChannels / l.outPerGroup() * l.inPerGroup())
      return llvm::createStringError(
          "a grouped conv's tile must hold whole groups");
  } else if (t.inChannels > l.in.c || t.outChannels > l.out.c) {
    return llvm::createStringError("tile channels exceed the layer's");
  }
  int64_t tileH = (t.rows - 1) * l.sh + (l.kh - 1) * l.dh + 1;
  int64_t tileW = (t.cols - 1) * l.sw + (l.kw - 1) * l.dw + 1;
  if (tileH > 4095 || tileW > 4095 || t.inChannels > 65535 ||
      t.outChannels > 65535)
    return llvm::createStringError("tile exceeds the conv's field widths");
  uint64_t P = uint64_t(t.rows) * t.cols;
  uint64_t eb = l.in.elemBytes();
  if (uint64_t in = uint64_t(t.inChannels) * tileH * tileW * eb;
      in > r.in[0].bytes)
    return tooBig("the input tile", in, r.in[0].bytes);
  uint64_t out = uint64_t(t.outChannels) * P * l.out.elemBytes();
  if (l.epilogue) {
    if (t.rows % l.epilogue->rowUnit() || t.cols % l.epilogue->colUnit())
      return llvm::createStringError(
          llvm::formatv("tile {0}x{1} cuts the fused pool's {2}x{3} windows",
                        t.rows, t.cols, l.epilogue->kh, l.epilogue->kw));
    // The output and the epilogue's other operand (or its pooled output)
    // take half a slot each.
    if (out > r.out[0].bytes / 2)
      return tooBig("the output tile and its epilogue operand", 2 * out,
                    r.out[0].bytes);
  } else if (out > r.out[0].bytes) {
    return tooBig("the output tile", out, r.out[0].bytes);
  }
  if (uint64_t acc = 4 * uint64_t(t.outChannels) * P; acc > r.acc[0].bytes)
    return tooBig("the accumulators", acc, r.acc[0].bytes);
  uint64_t streamCap = hw.buffer(Buffer::Stream).bytes;
  if (uint64_t s = 2 * uint64_t(l.bases) * P * hw.streamBytes(); s > streamCap)
    return tooBig("two channels of stage-1 maps", s, streamCap);
  if (uint64_t p = Builder::blobFootprint(paramBytes(l, t.outChannels));
      p > r.params[0].bytes)
    return tooBig("the requant records", p, r.params[0].bytes);
  if (uint64_t b = Builder::blobFootprint(basisBytes(l)); b > r.basis[0].bytes)
    return tooBig("the bases", b, r.basis[0].bytes);
  return llvm::Error::success();
}

llvm::Error checkBlocks(const BlockTable &blocks, const Regions &r) {
  for (const auto &row : blocks)
    for (const BlockStats &b : row)
      if (uint64_t f = Builder::blobFootprint(b.bytes); f > r.coef[0].bytes)
        return tooBig("a coefficient block", f, r.coef[0].bytes);
  return llvm::Error::success();
}

/// Cycles of the conv of block (o, i) of a tiling over P pixels. They
/// depend only on the block and the pixel count, so each is computed once.
class ConvTimes {
public:
  ConvTimes(const ConvLayer &l, const hw::HwDesc &hw, const Grid &g,
            const BlockTable &blocks)
      : l(l), hw(hw), g(g), blocks(blocks), m(matrixOf(l)) {}

  uint64_t operator()(size_t o, size_t i, uint64_t P) {
    auto [it, inserted] = cycles.try_emplace({o, i, P}, 0);
    if (!inserted)
      return it->second;
    // Per input channel, the entries of its columns in its group's rows.
    std::vector<uint64_t> coef;
    auto addChannels = [&](const BlockStats &s) {
      for (uint64_t ch = 0; ch < s.columnEntries.size() / l.bases; ++ch) {
        uint64_t cycles = 0;
        for (int64_t mm = 0; mm < l.bases; ++mm)
          cycles +=
              coefCyclesPerColumn(hw, s.columnEntries[ch * l.bases + mm], P);
        coef.push_back(cycles);
      }
    };
    if (g.grouped) {
      Range rows = g.outGroups[o];
      for (int64_t r = rows.begin; r < rows.begin + rows.size;
           r += l.outPerGroup())
        addChannels(coefBlockStats(m, r, r + l.outPerGroup(), 0, l.cols()));
    } else {
      addChannels(blocks[o][i]);
    }
    uint64_t basis = basisCyclesPerChannel(hw, l.window, l.bases, l.taps(), P);
    return it->second = streamPipelineCycles(hw, basis, coef);
  }

  /// The conv engine's busy cycles over `images` images: the engine runs
  /// one conv at a time, so no schedule of the tiling is shorter.
  uint64_t total(int64_t images) {
    uint64_t sum = 0;
    for (const Range &r : g.rows)
      for (const Range &c : g.cols)
        for (size_t o = 0; o < g.outGroups.size(); ++o)
          for (size_t i = 0; i < g.numIn(); ++i)
            sum += (*this)(o, i, uint64_t(r.size) * c.size);
    return sum * images;
  }

private:
  const ConvLayer &l;
  const hw::HwDesc &hw;
  const Grid &g;
  const BlockTable &blocks;
  CoefMatrix m;
  std::map<std::tuple<size_t, size_t, uint64_t>, uint64_t> cycles;
};

LayerCode build(const ConvLayer &l, const Tile &t, const hw::HwDesc &hw,
                DramView in, DramView out, DramView other, uint64_t constBase,
                unsigned basisSlot, const BlockTable &blocks, int64_t images,
                bool withData) {
  Regions R = bufferRegions(hw, t.doubleBuffer);
  Grid g(l, t);
  Builder b(hw);
  b.keepConstants = withData;
  CoefMatrix m = matrixOf(l);
  uint64_t eb = l.in.elemBytes(), ob = l.out.elemBytes();
  int64_t inH = l.in.h, inW = l.in.w, OH = l.out.h, OW = l.out.w;

  // Constants: bases, every coefficient block, requant records per group.
  uint64_t basisAt = 0;
  if (!l.window) {
    std::string bytes;
    appendPacked(bytes, l.basis, l.basisBits);
    basisAt = constBase + b.addConstant(bytes);
  }
  std::vector<std::vector<uint64_t>> blockAt(g.outGroups.size());
  std::vector<uint64_t> paramsAt;
  for (size_t o = 0; o < g.outGroups.size(); ++o) {
    Range rows = g.outGroups[o];
    for (size_t i = 0; i < g.numIn(); ++i) {
      if (!withData) {
        blockAt[o].push_back(constBase +
                             b.reserveConstant(blocks[o][i].bytes));
        continue;
      }
      Range cols = g.columns(l, o, i);
      std::vector<int32_t> v = coefBlock(m, rows.begin, rows.begin + rows.size,
                                         cols.begin, cols.begin + cols.size);
      CoefMatrix block{v,        uint64_t(rows.size), uint64_t(cols.size),
                       m.format, m.indexBits,         m.valueBits};
      blockAt[o].push_back(constBase +
                           b.addConstant(encodeCoefficients(block)));
    }
    std::vector<int32_t> records;
    for (int64_t c = rows.begin; c < rows.begin + rows.size; ++c)
      records.insert(records.end(), {l.bias[c], l.multiplier[c], l.shift[c]});
    std::string bytes;
    appendPacked(bytes, records, 32);
    if (l.epilogue && !l.epilogue->isPool())
      appendPacked(bytes, l.epilogue->params, 32);
    paramsAt.push_back(constBase + b.addConstant(bytes));
  }

  struct Job {
    size_t r, c, o, i;
  };
  std::vector<Job> jobs;
  auto spatial = [&](size_t o) {
    for (size_t r = 0; r < g.rows.size(); ++r)
      for (size_t c = 0; c < g.cols.size(); ++c)
        for (size_t i = 0; i < g.numIn(); ++i)
          jobs.push_back({r, c, o, i});
  };
  if (t.channelOuter) {
    for (size_t o = 0; o < g.outGroups.size(); ++o)
      spatial(o);
  } else {
    for (size_t r = 0; r < g.rows.size(); ++r)
      for (size_t c = 0; c < g.cols.size(); ++c)
        for (size_t o = 0; o < g.outGroups.size(); ++o)
          for (size_t i = 0; i < g.numIn(); ++i)
            jobs.push_back({r, c, o, i});
  }

  unsigned basisRes = Basis0 + basisSlot;
  Slot basisSlotR = R.basis[basisSlot];
  if (!l.window)
    b.loadBlob(Buffer::Basis, basisSlotR.base, basisAt, basisBytes(l),
               basisRes);

  ConvTimes convDuration(l, hw, g, blocks);

  bool dbl = t.doubleBuffer;
  for (int64_t n = 0; n < images; ++n) {
    SlotCache inCache(dbl), coefCache(dbl), parCache(dbl);
    int64_t numTiles = 0;
    struct Pending {
      bool valid = false;
      Job job;
      unsigned acc = 0, out = 0, par = 0;
    } pending;
    struct Slots {
      unsigned in = 0, coef = 0, par = 0;
    };
    // The epilogue's operand for the tile job k starts, into the second
    // half of the tile's output slot.
    auto loadOther = [&](size_t k) {
      const Job &j = jobs[k];
      Range rows = g.rows[j.r], cols = g.cols[j.c], och = g.outGroups[j.o];
      unsigned slot = dbl ? (k / g.numIn()) % 2 : 0;
      uint64_t at = R.out[slot].base + R.out[slot].bytes / 2;
      uint64_t dram = other.base + n * other.imageStride +
                      ((och.begin * OH + rows.begin) * OW + cols.begin) * ob;
      b.use(Buffer::Act, at, uint64_t(och.size) * rows.size * cols.size * ob);
      b.load({Buffer::Act, at, dram, och.size, rows.size, cols.size,
              int64_t(OH * OW * ob), int64_t(OW * ob), 0, 0, 0, 0, 0,
              int64_t(ob)},
             Other0 + slot);
    };
    auto loadsFor = [&](size_t k) {
      const Job &j = jobs[k];
      Slots s;
      Range ch = g.inputs(l, j.o, j.i);
      // A grouped conv's input channels follow its output group.
      size_t inBlocks = g.grouped ? g.outGroups.size() : g.numIn();
      int64_t inKey = int64_t((j.r * g.cols.size() + j.c) * inBlocks +
                              (g.grouped ? j.o : j.i));
      auto [inSlot, inMiss] = inCache.acquire(inKey);
      s.in = inSlot;
      if (inMiss) {
        Span ys = inputSpan(g.rows[j.r], l.sh, l.kh, l.dh, l.padTop, inH);
        Span xs = inputSpan(g.cols[j.c], l.sw, l.kw, l.dw, l.padLeft, inW);
        uint64_t dram = in.base + n * in.imageStride +
                        ((ch.begin * inH + ys.first) * inW + xs.first) * eb;
        b.load({Buffer::Act, R.in[inSlot].base, dram, ch.size, ys.count,
                xs.count, int64_t(inH * inW * eb), int64_t(inW * eb),
                ys.padBefore, ys.padAfter, xs.padBefore, xs.padAfter,
                l.inZeroPoint, int64_t(eb)},
               In0 + inSlot);
      }
      auto [coefSlot, coefMiss] =
          coefCache.acquire(int64_t(j.o * g.numIn() + j.i));
      s.coef = coefSlot;
      if (coefMiss)
        b.loadBlob(Buffer::Coef, R.coef[coefSlot].base, blockAt[j.o][j.i],
                   blocks[j.o][j.i].bytes, Coef0 + coefSlot);
      auto [parSlot, parMiss] = parCache.acquire(int64_t(j.o));
      s.par = parSlot;
      if (parMiss)
        b.loadBlob(Buffer::Coef, R.params[parSlot].base, paramsAt[j.o],
                   paramBytes(l, g.outGroups[j.o].size), Par0 + parSlot);
      // After the conv's own loads: the epilogue needs its operand last.
      if (l.epilogue && !l.epilogue->isPool() && j.i == 0)
        loadOther(k);
      return s;
    };
    auto epilogue = [&](const Pending &p) {
      Range rows = g.rows[p.job.r], cols = g.cols[p.job.c],
            och = g.outGroups[p.job.o];
      uint64_t P = uint64_t(rows.size) * cols.size;
      Instruction rq;
      rq.opcode = Opcode::Requant;
      namespace rqf = isa::requant;
      rq.f[rqf::Src] = R.acc[p.acc].base;
      rq.f[rqf::Dst] = R.out[p.out].base;
      rq.f[rqf::C] = och.size;
      rq.f[rqf::H] = rows.size;
      rq.f[rqf::W] = cols.size;
      rq.f[rqf::Params] = R.params[p.par].base;
      rq.f[rqf::OutBits] = l.out.bits;
      rq.f[rqf::ZeroPoint] = l.zeroPoint;
      rq.f[rqf::ClampLo] = l.clampLo;
      rq.f[rqf::ClampHi] = l.clampHi;
      rq.f[rqf::NegMult] = l.negMult;
      rq.f[rqf::NegShift] = l.negShift;
      b.use(Buffer::Act, R.out[p.out].base, och.size * P * ob);
      b.add(rq, Unit::Ppu, ppuCycles(hw, och.size * P),
            {Acc0 + p.acc, Par0 + p.par}, {Out0 + p.out});
      // What the store sends: the tile, or its pooled tile (a window per
      // fh x fw pixels).
      uint64_t stored = R.out[p.out].base;
      unsigned storedRes = Out0 + p.out;
      int64_t fh = 1, fw = 1;
      if (l.epilogue && l.epilogue->isPool()) {
        // Windows of rows x cols into the slot's second half.
        const ConvEpilogue &e = *l.epilogue;
        stored = R.out[p.out].base + R.out[p.out].bytes / 2;
        Instruction pl = poolInstruction(
            R.out[p.out].base, stored,
            {e.isMax, och.size, rows.size, cols.size, e.kh, e.kw, e.sh, e.sw,
             l.out.bits, e.avgMult, e.avgShift, e.zeroPoint});
        fh = e.kh, fw = e.kw;
        storedRes = Other0 + p.out;
        b.use(Buffer::Act, stored,
              uint64_t(och.size) * (rows.size / fh) * (cols.size / fw) * ob);
        b.add(pl, Unit::Ppu, ppuCycles(hw, och.size * P), {Out0 + p.out},
              {Other0 + p.out});
      } else if (l.epilogue) {
        namespace ef = isa::eltwise;
        Instruction ew;
        ew.opcode = Opcode::Eltwise;
        ew.f[ef::Op] =
            l.epilogue->kind == ConvEpilogue::Kind::Add ? ef::Add : ef::Mul;
        ew.f[ef::Broadcast] = ef::None;
        ew.f[ef::A] = R.out[p.out].base;
        ew.f[ef::B] = R.out[p.out].base + R.out[p.out].bytes / 2;
        ew.f[ef::Dst] = R.out[p.out].base;
        ew.f[ef::C] = och.size;
        ew.f[ef::H] = rows.size;
        ew.f[ef::W] = cols.size;
        ew.f[ef::Params] = R.params[p.par].base + kRequantParamBytes * och.size;
        ew.f[ef::Bits] = l.out.bits;
        b.add(ew, Unit::Ppu, ppuCycles(hw, och.size * P),
              {Out0 + p.out, Other0 + p.out, Par0 + p.par}, {Out0 + p.out});
      }
      int64_t RH = OH / fh, RW = OW / fw;
      uint64_t cs = out.channelStride ? out.channelStride : RH * RW * ob;
      uint64_t dram = out.base + n * out.imageStride + och.begin * cs +
                      (rows.begin / fh * RW + cols.begin / fw) * ob;
      b.store({Buffer::Act, stored, dram, och.size, rows.size / fh,
               cols.size / fw, int64_t(cs), int64_t(RW * ob), 0, 0, 0, 0, 0,
               int64_t(ob)},
              storedRes);
    };

    Slots next = loadsFor(0);
    for (size_t k = 0; k < jobs.size(); ++k) {
      const Job &j = jobs[k];
      Slots cur = next;
      inCache.current = cur.in;
      coefCache.current = cur.coef;
      parCache.current = cur.par;
      Range rows = g.rows[j.r], cols = g.cols[j.c], och = g.outGroups[j.o];
      Range ich = g.inputs(l, j.o, j.i);
      uint64_t P = uint64_t(rows.size) * cols.size;
      unsigned acc = dbl ? numTiles % 2 : 0;
      Span ys = inputSpan(rows, l.sh, l.kh, l.dh, l.padTop, inH);
      Span xs = inputSpan(cols, l.sw, l.kw, l.dw, l.padLeft, inW);
      Instruction cv;
      cv.opcode = Opcode::Conv;
      {
        using namespace isa::conv;
        cv.f[Mode] = l.window ? ModeWindow : ModeBasis;
        cv.f[Format] = l.format;
        cv.f[IndexBits] = l.format == FormatDelta ? l.indexBits : 0;
        cv.f[Input] = R.in[cur.in].base;
        cv.f[InC] = ich.size;
        cv.f[InH] = ys.extent;
        cv.f[InW] = xs.extent;
        cv.f[KernelH] = l.kh;
        cv.f[KernelW] = l.kw;
        cv.f[StrideH] = l.sh;
        cv.f[StrideW] = l.sw;
        cv.f[DilationH] = l.dh;
        cv.f[DilationW] = l.dw;
        cv.f[OutC] = och.size;
        cv.f[Groups] = g.grouped ? och.size / l.outPerGroup() : 1;
        cv.f[Bases] = l.bases;
        cv.f[Basis] = l.window ? 0 : basisSlotR.base;
        cv.f[Coef] = R.coef[cur.coef].base;
        cv.f[ActBits] = l.in.bits;
        cv.f[BasisBits] = l.window ? 0 : l.basisBits;
        cv.f[CoefBits] = l.coefBits;
        cv.f[Acc] = R.acc[acc].base;
        cv.f[Accumulate] = j.i > 0;
      }
      b.use(Buffer::Accum, R.acc[acc].base, 4 * och.size * P);
      b.use(Buffer::Stream, 0, 2 * uint64_t(l.bases) * P * hw.streamBytes());
      b.add(cv, Unit::Conv, convDuration(j.o, j.i, P),
            {In0 + cur.in, Coef0 + cur.coef, basisRes}, {Acc0 + acc});
      bool lastOfTile = j.i + 1 == g.numIn();
      Pending done{true, j, acc, dbl ? unsigned(numTiles % 2) : 0u, cur.par};
      if (!dbl && lastOfTile)
        epilogue(done);
      if (pending.valid) {
        epilogue(pending);
        pending.valid = false;
      }
      if (k + 1 < jobs.size())
        next = loadsFor(k + 1);
      if (lastOfTile) {
        if (dbl)
          pending = done;
        ++numTiles;
      }
    }
    if (pending.valid)
      epilogue(pending);
  }
  return std::move(b.code);
}

BlockTable blocksFor(const ConvLayer &l, const Tile &t) {
  return blockTable(l, Grid(l, t));
}
} // namespace

llvm::Expected<LayerCode> codegen::buildConv(const ConvLayer &l, const Tile &t,
                                             const hw::HwDesc &hw, DramView in,
                                             DramView out, DramView other,
                                             uint64_t constBase,
                                             unsigned basisSlot) {
  // The tile may come from an edited attribute: check it like the search.
  Regions r = bufferRegions(hw, t.doubleBuffer);
  if (llvm::Error err = checkGeometry(l, t, hw, r))
    return std::move(err);
  BlockTable blocks = blocksFor(l, t);
  if (llvm::Error err = checkBlocks(blocks, r))
    return std::move(err);
  return build(l, t, hw, in, out, other, constBase, basisSlot, blocks, l.in.n,
               /*withData=*/true);
}

namespace {
/// Candidate sizes: total / d for a few divisors d, rounded up to `align`
/// where that stays below the total.
llvm::SmallVector<int64_t> sizes(int64_t total, int64_t align,
                                 llvm::ArrayRef<int64_t> divisors) {
  llvm::SmallVector<int64_t> out;
  for (int64_t d : divisors) {
    int64_t s = (total + d - 1) / d;
    if (s < total && align > 1 && s > align)
      s = std::min(total, (s + align - 1) / align * align);
    if (s >= 1 && !llvm::is_contained(out, s))
      out.push_back(s);
  }
  return out;
}
} // namespace

llvm::Expected<Choice> codegen::chooseConvTile(const ConvLayer &l,
                                              const hw::HwDesc &hw) {
  static const int64_t kDivisors[] = {1, 2, 3, 4, 6, 8, 12, 16, 32, 64};
  std::optional<Choice> best;
  Rejections rejected;
  llvm::SmallVector<std::pair<int64_t, int64_t>> channels;
  if (l.groups > 1) {
    for (int64_t gpt : sizes(l.groups, 1, kDivisors))
      channels.push_back({gpt * l.inPerGroup(), gpt * l.outPerGroup()});
  } else {
    for (int64_t co : sizes(l.out.c, int64_t(hw.coefLanesO), kDivisors))
      for (int64_t ci : sizes(l.in.c, 8, kDivisors))
        channels.push_back({ci, co});
  }
  std::vector<int64_t> rowBounds = {l.out.c};
  for (auto [ci, co] : channels)
    for (int64_t b = 0; b < l.out.c; b += co)
      rowBounds.push_back(b);
  BlockTables blockTables(l, std::move(rowBounds));
  std::map<std::pair<int64_t, int64_t>, BlockTable> tables;
  for (bool dbl : {true, false}) {
    Regions r = bufferRegions(hw, dbl);
    // A fused pool's windows must not cross tiles: rows and columns in
    // whole windows.
    int64_t rowUnit = l.epilogue ? l.epilogue->rowUnit() : 1;
    int64_t colUnit = l.epilogue ? l.epilogue->colUnit() : 1;
    for (auto [ci, co] : channels)
      for (int64_t colUnits : sizes(l.out.w / colUnit, 1, kDivisors)) {
        Tile t{rowUnit, colUnits * colUnit, ci, co, false, dbl};
        if (llvm::Error err = checkGeometry(l, t, hw, r)) {
          rejected.note(std::move(err));
          continue;
        }
        t.rows = rowUnit * evenRows(l.out.h / rowUnit, [&](int64_t rows) {
                   Tile taller = t;
                   taller.rows = rows * rowUnit;
                   llvm::Error err = checkGeometry(l, taller, hw, r);
                   bool fits = !err;
                   llvm::consumeError(std::move(err));
                   return fits;
                 });
        auto [it, inserted] = tables.try_emplace({ci, co});
        if (inserted)
          it->second = blockTables.table(Grid(l, t));
        if (llvm::Error err = checkBlocks(it->second, r)) {
          rejected.note(std::move(err));
          continue;
        }
        // Both loop orders run the same convs: neither can beat the best so
        // far when the conv engine alone needs longer.
        Grid grid(l, t);
        if (best &&
            ConvTimes(l, hw, grid, it->second).total(l.in.n) > best->cycles)
          break;
        for (bool channelOuter : {false, true}) {
          t.channelOuter = channelOuter;
          DramView other{0, l.epilogue && !l.epilogue->isPool()
                                ? l.epilogue->other.imageBytes()
                                : 0};
          LayerCode code = build(l, t, hw, {0, l.in.imageBytes()}, {0, 0},
                                 other, 0, 0, it->second, l.in.n,
                                 /*withData=*/false);
          Choice c{t, scheduleCycles(hw, code), code.dramPayload};
          if (!best || c.cycles < best->cycles ||
              (c.cycles == best->cycles && c.dramBytes < best->dramBytes))
            best = c;
        }
        // Narrower tiles only when the full width does not fit.
        break;
      }
    if (best)
      return *best;
  }
  return rejected.noneFits();
}
