//===- Conv.cpp - the basis and coefficient engines -----------------------===//
//
// Executes `conv` in the order the hardware does: for each input channel,
// the basis engine produces its M maps (window mode: its k*k shifted
// windows), and the coefficient engine adds every nonzero coefficient of
// that channel's columns times the map into the output accumulators.
//
//===----------------------------------------------------------------------===//
#include "Machine.h"
#include "Memory.h"
#include "escalate/Hardware/Timing.h"
#include "llvm/Support/FormatVariadic.h"
#include <climits>

using namespace escalate;
using namespace escalate::sim;
using namespace escalate::isa;
using hw::Buffer;

namespace {
/// The coefficient matrix as columns: for column j, rows[colStart[j] ..
/// colStart[j+1]) ascending with their values (stored zeros included, since
/// the engine spends a slot on them).
struct Columns {
  std::vector<uint64_t> colStart;
  std::vector<uint32_t> rows;
  std::vector<int32_t> values;
  uint64_t encodedBytes = 0;
};

/// Decodes the encoded matrix at `coef`, checking every pointer and index
/// against the matrix shape and the buffer.
llvm::Error decodeCoefficients(Machine &m, const Instruction &inst,
                               const ConvShape &s, Columns &out) {
  using namespace conv;
  uint64_t rows = s.rows(), cols = s.cols();
  unsigned bits = inst[CoefBits];
  const uint8_t *base = m.buffer(Buffer::Coef, inst[Coef]);
  uint64_t avail = m.bufferBytes(Buffer::Coef) - inst[Coef];
  std::vector<uint64_t> rowStart(rows + 1, 0);
  std::vector<uint32_t> entryCol;
  std::vector<int32_t> entryVal;
  int64_t format = inst[Format];
  if (format == FormatDense) {
    out.encodedBytes = packedBytes(rows * cols, bits);
    if (out.encodedBytes > avail)
      return fail("dense coefficients run past the coef buffer");
    entryCol.resize(rows * cols);
    entryVal.resize(rows * cols);
    for (uint64_t r = 0; r < rows; ++r) {
      rowStart[r + 1] = (r + 1) * cols;
      for (uint64_t c = 0; c < cols; ++c) {
        entryCol[r * cols + c] = uint32_t(c);
        entryVal[r * cols + c] = int32_t(loadElem(base, r * cols + c, bits));
      }
    }
  } else {
    uint64_t header = 4 * (rows + 1);
    if (header > avail)
      return fail("coefficient row pointers run past the coef buffer");
    for (uint64_t r = 0; r <= rows; ++r) {
      uint32_t v;
      std::memcpy(&v, base + 4 * r, 4);
      rowStart[r] = v;
      if ((r == 0 && v != 0) || (r && v < rowStart[r - 1]))
        return fail(llvm::formatv("coefficient row pointer {0} = {1} is not "
                                  "ascending from 0",
                                  r, v));
    }
    uint64_t total = rowStart[rows];
    if (format == FormatBitmap && total > rows * cols)
      return fail("bitmap coefficients hold more entries than the matrix");
    uint64_t indexBytes = format == FormatBitmap
                              ? rows * ((cols + 7) / 8)
                              : packedBytes(total, inst[IndexBits]);
    out.encodedBytes = header + indexBytes + packedBytes(total, bits);
    if (out.encodedBytes > avail)
      return fail(llvm::formatv("encoded coefficients ({0} bytes) run past "
                                "the coef buffer",
                                out.encodedBytes));
    const uint8_t *index = base + header, *values = index + indexBytes;
    entryCol.resize(total);
    entryVal.resize(total);
    for (uint64_t r = 0; r < rows; ++r) {
      uint64_t e = rowStart[r];
      if (format == FormatBitmap) {
        const uint8_t *bitmap = index + r * ((cols + 7) / 8);
        for (uint64_t c = 0; c < cols; ++c)
          if ((bitmap[c / 8] >> (c % 8)) & 1) {
            if (e == rowStart[r + 1])
              return fail(llvm::formatv("bitmap row {0} has more bits set "
                                        "than its row pointers allow",
                                        r));
            entryCol[e++] = uint32_t(c);
          }
        if (e != rowStart[r + 1])
          return fail(llvm::formatv("bitmap row {0} has fewer bits set than "
                                    "its row pointers say",
                                    r));
      } else {
        int64_t col = -1;
        for (; e < rowStart[r + 1]; ++e) {
          col += int64_t(loadUnsigned(index, e, inst[IndexBits])) + 1;
          if (uint64_t(col) >= cols)
            return fail(llvm::formatv("delta entry {0} of row {1} reaches "
                                      "column {2}, past the {3} columns",
                                      e, r, col, cols));
          entryCol[e] = uint32_t(col);
        }
      }
    }
    for (uint64_t e = 0; e < total; ++e)
      entryVal[e] = int32_t(loadElem(values, e, bits));
  }
  // Transpose to columns (rows stay ascending within each column).
  out.colStart.assign(cols + 1, 0);
  for (uint32_t c : entryCol)
    ++out.colStart[c + 1];
  for (uint64_t c = 0; c < cols; ++c)
    out.colStart[c + 1] += out.colStart[c];
  std::vector<uint64_t> fillPos(out.colStart.begin(), out.colStart.end() - 1);
  out.rows.resize(entryCol.size());
  out.values.resize(entryCol.size());
  for (uint64_t r = 0; r < rows; ++r)
    for (uint64_t e = rowStart[r]; e < rowStart[r + 1]; ++e) {
      uint64_t pos = fillPos[entryCol[e]]++;
      out.rows[pos] = uint32_t(r);
      out.values[pos] = entryVal[e];
    }
  return llvm::Error::success();
}

template <typename Acc>
void axpy(Acc *__restrict acc, const int32_t *__restrict map, int32_t v,
          uint64_t n) {
  for (uint64_t p = 0; p < n; ++p)
    acc[p] += Acc(v) * Acc(map[p]);
}
} // namespace

llvm::Error sim::executeConv(Machine &m, const Instruction &inst, Step &step) {
  using namespace conv;
  const hw::HwDesc &hw = m.hw;
  ConvShape s = convShape(inst);
  bool window = inst[Mode] == ModeWindow;
  uint64_t P = s.pixels(), M = s.bases, K = s.kh * s.kw;
  uint64_t inPerGroup = s.inC / s.groups, outPerGroup = s.outC / s.groups;
  int64_t sh = inst[StrideH], sw = inst[StrideW];
  int64_t dh = inst[DilationH], dw = inst[DilationW];

  Columns cols;
  if (llvm::Error err = decodeCoefficients(m, inst, s, cols))
    return err;
  step.coefBytes = cols.encodedBytes;

  // Activations and bases, widened once.
  uint64_t planeIn = uint64_t(s.inH) * s.inW;
  std::vector<int32_t> x(s.inC * planeIn);
  const uint8_t *act = m.buffer(Buffer::Act, inst[Input]);
  for (uint64_t i = 0; i < x.size(); ++i)
    x[i] = int32_t(loadElem(act, i, inst[ActBits]));
  std::vector<int32_t> bases(window ? 0 : M * K);
  const uint8_t *basisMem = m.buffer(Buffer::Basis, inst[Basis]);
  for (uint64_t i = 0; i < bases.size(); ++i)
    bases[i] = int32_t(loadElem(basisMem, i, inst[BasisBits]));

  // Accumulate in int32 while a bound on every row's partial sum proves it
  // cannot overflow; flush into exact int64 sums before it could.
  std::vector<int64_t> acc64(s.outC * P, 0);
  std::vector<int32_t> acc32(s.outC * P, 0);
  if (inst[Accumulate]) {
    const uint8_t *accMem = m.buffer(Buffer::Accum, inst[Acc]);
    for (uint64_t i = 0; i < acc64.size(); ++i)
      acc64[i] = loadElem(accMem, i, 32);
  }
  auto flush = [&] {
    for (uint64_t i = 0; i < acc64.size(); ++i) {
      acc64[i] += acc32[i];
      acc32[i] = 0;
    }
  };
  int64_t bound32 = 0;

  // Stage-1 maps saturate at the stream width; the fast int32 path is taken
  // when no map can reach it.
  int64_t streamMax = (int64_t(1) << (hw.streamBits - 1)) - 1;
  int64_t xMax = 0, basisAbs = 0;
  for (int32_t v : x)
    xMax = std::max<int64_t>(xMax, std::abs(int64_t(v)));
  for (uint64_t mm = 0; mm < bases.size() / std::max<uint64_t>(K, 1); ++mm) {
    int64_t sum = 0;
    for (uint64_t t = 0; t < K; ++t)
      sum += std::abs(int64_t(bases[mm * K + t]));
    basisAbs = std::max(basisAbs, sum);
  }
  bool wideMaps = !window && xMax * basisAbs > streamMax;
  std::vector<int32_t> maps(M * P);
  std::vector<uint64_t> coefCycles(s.inC);
  uint64_t basisCycles = basisCyclesPerChannel(hw, window, M, K, P);
  uint64_t entries = 0, useful = 0;
  double coefBound = 0;
  // Per column, the sum of |value| over the rows of one group.
  std::vector<int64_t> rowAbs(s.outC);

  for (int64_t i = 0; i < s.inC; ++i) {
    uint64_t g = i / inPerGroup, il = i % inPerGroup;
    const int32_t *xi = x.data() + i * planeIn;
    // Basis engine: this channel's M maps.
    if (window) {
      for (int64_t kh = 0; kh < s.kh; ++kh)
        for (int64_t kw = 0; kw < s.kw; ++kw) {
          int32_t *out = maps.data() + (kh * s.kw + kw) * P;
          for (int64_t oh = 0; oh < s.outH; ++oh) {
            const int32_t *row = xi + (oh * sh + kh * dh) * s.inW + kw * dw;
            for (int64_t ow = 0; ow < s.outW; ++ow)
              out[oh * s.outW + ow] = row[ow * sw];
          }
        }
    } else if (!wideMaps) {
      std::fill(maps.begin(), maps.end(), 0);
      for (uint64_t mm = 0; mm < M; ++mm)
        for (int64_t kh = 0; kh < s.kh; ++kh)
          for (int64_t kw = 0; kw < s.kw; ++kw) {
            int32_t bv = bases[(mm * s.kh + kh) * s.kw + kw];
            if (!bv)
              continue;
            int32_t *out = maps.data() + mm * P;
            for (int64_t oh = 0; oh < s.outH; ++oh) {
              const int32_t *row = xi + (oh * sh + kh * dh) * s.inW + kw * dw;
              int32_t *o = out + oh * s.outW;
              if (sw == 1)
                for (int64_t ow = 0; ow < s.outW; ++ow)
                  o[ow] += bv * row[ow];
              else
                for (int64_t ow = 0; ow < s.outW; ++ow)
                  o[ow] += bv * row[ow * sw];
            }
          }
    } else {
      // Maps that may pass the stream width: exact sums, then saturation.
      for (uint64_t mm = 0; mm < M; ++mm)
        for (int64_t oh = 0; oh < s.outH; ++oh)
          for (int64_t ow = 0; ow < s.outW; ++ow) {
            int64_t sum = 0;
            for (int64_t kh = 0; kh < s.kh; ++kh)
              for (int64_t kw = 0; kw < s.kw; ++kw)
                sum += int64_t(bases[(mm * s.kh + kh) * s.kw + kw]) *
                       xi[(oh * sh + kh * dh) * s.inW + ow * sw + kw * dw];
            maps[mm * P + oh * s.outW + ow] =
                int32_t(std::clamp<int64_t>(sum, -streamMax - 1, streamMax));
          }
    }
    int64_t mapMax = 0;
    for (int32_t v : maps)
      mapMax = std::max<int64_t>(mapMax, std::abs(int64_t(v)));

    // Coefficient engine: the rows of group g in each of the channel's
    // columns.
    uint64_t rowLo = g * outPerGroup, rowHi = rowLo + outPerGroup;
    int64_t chanAbs = 0;
    uint64_t cycles = 0, usefulGroups = 0;
    struct Span {
      uint64_t begin, end;
    };
    llvm::SmallVector<Span, 16> spans(M);
    for (uint64_t mm = 0; mm < M; ++mm) {
      uint64_t col = il * M + mm;
      const uint32_t *first = cols.rows.data() + cols.colStart[col];
      const uint32_t *last = cols.rows.data() + cols.colStart[col + 1];
      const uint32_t *lo = std::lower_bound(first, last, uint32_t(rowLo));
      const uint32_t *hi = std::lower_bound(lo, last, uint32_t(rowHi));
      spans[mm] = {uint64_t(lo - cols.rows.data()),
                   uint64_t(hi - cols.rows.data())};
      uint64_t nnz = hi - lo, nonzero = 0;
      for (uint64_t e = spans[mm].begin; e < spans[mm].end; ++e)
        nonzero += cols.values[e] != 0;
      entries += nnz;
      useful += nonzero;
      usefulGroups += ceilDiv(nonzero, hw.coefLanesO);
      cycles += coefCyclesPerColumn(hw, nnz, P);
      for (uint64_t e = spans[mm].begin; e < spans[mm].end; ++e)
        rowAbs[cols.rows[e]] += std::abs(int64_t(cols.values[e]));
    }
    for (uint64_t r = rowLo; r < rowHi; ++r) {
      chanAbs = std::max(chanAbs, rowAbs[r]);
      rowAbs[r] = 0;
    }
    coefCycles[i] = cycles;
    coefBound += double(usefulGroups) * P / hw.coefLanesP;
    __int128 increment = __int128(mapMax) * chanAbs;
    bool wide = increment > INT32_MAX;
    if (!wide && bound32 + increment > INT32_MAX) {
      flush();
      bound32 = 0;
    }
    if (!wide)
      bound32 += int64_t(increment);
    for (uint64_t mm = 0; mm < M; ++mm) {
      const int32_t *map = maps.data() + mm * P;
      for (uint64_t e = spans[mm].begin; e < spans[mm].end; ++e) {
        int32_t v = cols.values[e];
        if (!v)
          continue;
        uint64_t r = cols.rows[e];
        if (wide)
          axpy(acc64.data() + r * P, map, v, P);
        else
          axpy(acc32.data() + r * P, map, v, P);
      }
    }
  }
  flush();

  uint8_t *accMem = m.buffer(Buffer::Accum, inst[Acc]);
  for (uint64_t i = 0; i < acc64.size(); ++i)
    storeElem(accMem, i, 32, saturate(acc64[i], hw.accumBits));

  Counters &c = step.counts;
  uint64_t matrix = uint64_t(s.rows()) * s.cols();
  c.basisMacs = window ? 0 : uint64_t(s.inC) * M * K * P;
  c.coefMacs = entries * P;
  c.usefulCoefMacs = useful * P;
  c.coefBound = coefBound;
  c.basisBound = double(s.inC) *
                 (window ? ceilDiv(K, hw.basisLanesM)
                         : ceilDiv(M, hw.basisLanesM) * K) *
                 P / hw.basisLanesP;
  c.skippedMacs = (matrix - std::min(matrix, cols.values.size())) * P;
  c.denseMacs = uint64_t(s.outC) * inPerGroup * K * P;
  c.bufRead[unsigned(Buffer::Act)] = x.size() * (inst[ActBits] / 8);
  c.bufRead[unsigned(Buffer::Basis)] =
      window ? 0 : packedBytes(M * K, inst[BasisBits]);
  c.bufRead[unsigned(Buffer::Coef)] = cols.encodedBytes;
  // The stream holds basis maps at the stream width, or (window mode) the
  // shifted input windows at the activation width.
  c.bufWrite[unsigned(Buffer::Stream)] = c.bufRead[unsigned(Buffer::Stream)] =
      uint64_t(s.inC) * M * P *
      (window ? uint64_t(inst[ActBits] / 8) : hw.streamBytes());
  // Every coefficient MAC is a read-modify-write of a 32-bit accumulator
  // (the column-at-a-time dataflow scatters into any output row); the
  // first column of an overwriting conv only writes.
  uint64_t firstTouch = inst[Accumulate] ? 0 : acc64.size();
  c.bufWrite[unsigned(Buffer::Accum)] = 4 * std::max(c.coefMacs, firstTouch);
  c.bufRead[unsigned(Buffer::Accum)] =
      4 * (c.coefMacs - std::min(c.coefMacs, firstTouch));
  c.busy[unsigned(Unit::Basis)] = basisCycles * s.inC;
  for (uint64_t cc : coefCycles)
    c.busy[unsigned(Unit::Coef)] += cc;
  // The coefficient multipliers are one array, built for the stream's
  // width (the basis maps); window mode runs on the same multipliers.
  c.energyPj[unsigned(EnergyKind::Mac)] =
      c.basisMacs * hw.macPj(inst[ActBits], inst[BasisBits]) +
      c.coefMacs * hw.macPj(inst[CoefBits], hw.streamBits);
  step.unitMask = (1u << unsigned(Unit::Basis)) | (1u << unsigned(Unit::Coef));
  step.duration = streamPipelineCycles(hw, basisCycles, coefCycles);
  return llvm::Error::success();
}
