//===- Conv.cpp - the basis and coefficient engines -----------------------===//
//
// Executes `conv`: for each input channel the basis engine produces its M
// maps (window mode: its k*k shifted windows), and the coefficient engine
// adds every coefficient of that channel's columns times the map into the
// output accumulators. Timing follows the hardware's channel-by-channel
// stream; the sums are exact integers, so the host computes them in
// whatever order is fastest (Kernels.h) and gets the same bits.
//
//===----------------------------------------------------------------------===//
#include "Kernels.h"
#include "Machine.h"
#include "Memory.h"
#include "escalate/Hardware/Timing.h"
#include "escalate/Support/Tensor.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/FormatVariadic.h"
#include <climits>

using namespace escalate;
using namespace escalate::sim;
using namespace escalate::isa;
using hw::Buffer;

/// Working arrays kept between conv instructions, so each instruction does
/// not map fresh pages.
struct sim::ConvState {
  Matrix matrix;
  std::vector<int32_t> x, bases, maps, acc32;
  std::vector<int64_t> acc64, mapMax, chanAbs;
  std::vector<uint64_t> stored, nonzero, coefCycles;
  std::vector<__int128> increment;
};

namespace {
/// Decodes the encoded matrix at `coef` row by row, checking every pointer
/// and index against the matrix shape and the buffer.
llvm::Error decodeCoefficients(Machine &m, const Instruction &inst,
                               const ConvShape &s, Matrix &out) {
  using namespace conv;
  uint64_t rows = s.rows(), cols = s.cols();
  unsigned bits = inst[CoefBits];
  const uint8_t *base = m.buffer(Buffer::Coef, inst[Coef]);
  uint64_t avail = m.bufferBytes(Buffer::Coef) - inst[Coef];
  out.rows = rows;
  out.cols = cols;
  int64_t format = inst[Format];
  out.dense = format == FormatDense;
  if (out.dense) {
    out.encodedBytes = packedBytes(rows * cols, bits);
    if (out.encodedBytes > avail)
      return fail("dense coefficients run past the coef buffer");
    out.values.resize(rows * cols);
    unpackSigned(base, rows * cols, bits, out.values.data());
    return llvm::Error::success();
  }
  uint64_t header = 4 * (rows + 1);
  if (header > avail)
    return fail("coefficient row pointers run past the coef buffer");
  out.rowStart.resize(rows + 1);
  for (uint64_t r = 0; r <= rows; ++r) {
    uint32_t v;
    std::memcpy(&v, base + 4 * r, 4);
    out.rowStart[r] = v;
    if ((r == 0 && v != 0) || (r && v < out.rowStart[r - 1]))
      return fail(llvm::formatv("coefficient row pointer {0} = {1} is not "
                                "ascending from 0",
                                r, v));
  }
  uint64_t total = out.rowStart[rows];
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
  out.columns.resize(total);
  if (format == FormatDelta)
    unpackUnsigned(index, total, inst[IndexBits], out.columns.data());
  for (uint64_t r = 0; r < rows; ++r) {
    uint64_t e = out.rowStart[r];
    if (format == FormatBitmap) {
      // 64 columns at a time; bits past the last column are ignored.
      uint64_t rowBytes = (cols + 7) / 8;
      const uint8_t *bitmap = index + r * rowBytes;
      for (uint64_t byte = 0; byte < rowBytes; byte += 8) {
        uint64_t word = 0;
        std::memcpy(&word, bitmap + byte,
                    std::min<uint64_t>(8, rowBytes - byte));
        if (cols - 8 * byte < 64)
          word &= (uint64_t(1) << (cols - 8 * byte)) - 1;
        for (; word; word &= word - 1) {
          if (e == out.rowStart[r + 1])
            return fail(llvm::formatv("bitmap row {0} has more bits set "
                                      "than its row pointers allow",
                                      r));
          out.columns[e++] = uint32_t(8 * byte + llvm::countr_zero(word));
        }
      }
      if (e != out.rowStart[r + 1])
        return fail(llvm::formatv("bitmap row {0} has fewer bits set than "
                                  "its row pointers say",
                                  r));
    } else {
      // Deltas (minus one) from the previous column of the row.
      int64_t col = -1;
      for (; e < out.rowStart[r + 1]; ++e) {
        col += int64_t(out.columns[e]) + 1;
        if (uint64_t(col) >= cols)
          return fail(llvm::formatv("delta entry {0} of row {1} reaches "
                                    "column {2}, past the {3} columns",
                                    e, r, col, cols));
        out.columns[e] = uint32_t(col);
      }
    }
  }
  out.values.resize(total);
  unpackSigned(values, total, bits, out.values.data());
  return llvm::Error::success();
}
} // namespace

llvm::Error sim::executeConv(Machine &m, const Instruction &inst, Step &step) {
  using namespace conv;
  const hw::HwDesc &hw = m.hw;
  ConvShape s = convShape(inst);
  bool window = inst[Mode] == ModeWindow;
  uint64_t P = s.pixels(), M = s.bases, K = s.kh * s.kw;
  uint64_t inPerGroup = s.inC / s.groups, outPerGroup = s.outC / s.groups;
  uint64_t cols = s.cols();
  int64_t sh = inst[StrideH], sw = inst[StrideW];
  int64_t dh = inst[DilationH], dw = inst[DilationW];
  if (!m.conv)
    m.conv = std::make_shared<ConvState>();
  ConvState &st = *m.conv;

  Matrix &matrix = st.matrix;
  if (llvm::Error err = decodeCoefficients(m, inst, s, matrix))
    return err;
  step.coefBytes = matrix.encodedBytes;

  // The engine's work per column of each group (stored entries, nonzeros)
  // and, per channel, the largest sum of |coefficient| over one row. A
  // dense matrix stores every row of a group in each column.
  st.stored.assign(s.groups * cols, matrix.dense ? outPerGroup : 0);
  st.nonzero.assign(s.groups * cols, 0);
  st.chanAbs.assign(s.inC, 0);
  for (int64_t r = 0; r < s.outC; ++r) {
    uint64_t g = r / outPerGroup;
    uint64_t *stored = st.stored.data() + g * cols;
    uint64_t *nonzero = st.nonzero.data() + g * cols;
    int64_t *chanAbs = st.chanAbs.data() + g * inPerGroup;
    const int32_t *v = matrix.values.data() + matrix.begin(r);
    uint64_t n = matrix.end(r) - matrix.begin(r);
    if (matrix.dense) {
      denseRowStats(v, inPerGroup, M, nonzero, chanAbs);
      continue;
    }
    // Columns ascend, so a channel's entries are consecutive.
    const uint32_t *col = matrix.columns.data() + matrix.begin(r);
    uint64_t channel = 0, channelEnd = 0;
    int64_t sum = 0;
    for (uint64_t e = 0; e < n; ++e) {
      ++stored[col[e]];
      nonzero[col[e]] += v[e] != 0;
      if (col[e] >= channelEnd) {
        chanAbs[channel] = std::max(chanAbs[channel], sum);
        channel = col[e] / M;
        channelEnd = (channel + 1) * M;
        sum = 0;
      }
      sum += std::abs(int64_t(v[e]));
    }
    chanAbs[channel] = std::max(chanAbs[channel], sum);
  }
  uint64_t entries = 0, useful = 0;
  double coefBound = 0;
  uint64_t groups = coefChannelGroups(hw, P);
  st.coefCycles.assign(s.inC, 0);
  for (int64_t i = 0; i < s.inC; ++i) {
    uint64_t g = i / inPerGroup, il = i % inPerGroup, usefulGroups = 0;
    for (uint64_t mm = 0; mm < M; ++mm) {
      uint64_t col = g * cols + il * M + mm;
      entries += st.stored[col];
      useful += st.nonzero[col];
      usefulGroups += ceilDiv(st.nonzero[col], hw.coefLanesO * groups);
      st.coefCycles[i] += coefCyclesPerColumn(hw, st.stored[col], P);
    }
    coefBound += double(usefulGroups) * P * groups / hw.coefLanesP;
  }

  // Activations and bases, widened once.
  uint64_t planeIn = uint64_t(s.inH) * s.inW;
  std::vector<int32_t> &x = st.x;
  x.resize(s.inC * planeIn);
  unpackSigned(m.buffer(Buffer::Act, inst[Input]), x.size(), inst[ActBits],
               x.data());
  std::vector<int32_t> &bases = st.bases;
  bases.resize(window ? 0 : M * K);
  unpackSigned(m.buffer(Buffer::Basis, inst[Basis]), bases.size(),
               inst[BasisBits], bases.data());

  // Stage 1, the basis engine: every channel's M maps, saturated at the
  // stream width (window mode: its k*k shifted windows), each padded with
  // zeros to `stride` pixels for the kernels. The int32 tap kernel is used
  // when no map can reach the stream width.
  uint64_t stride = ceilDiv(P, 16) * 16, channelMaps = M * stride;
  int64_t streamMax = (int64_t(1) << (hw.streamBits - 1)) - 1;
  int64_t xMax = maxAbs(x.data(), x.size()), basisAbs = 0;
  for (uint64_t mm = 0; mm < bases.size() / std::max<uint64_t>(K, 1); ++mm) {
    int64_t sum = 0;
    for (uint64_t t = 0; t < K; ++t)
      sum += std::abs(int64_t(bases[mm * K + t]));
    basisAbs = std::max(basisAbs, sum);
  }
  bool wideMaps = !window && xMax * basisAbs > streamMax;
  if (llvm::Error err = checkAllocation("the conv's stage-1 maps",
                                        {s.inC, int64_t(M), int64_t(stride)}, 4)
                            .takeError())
    return err;
  std::vector<int32_t> &maps = st.maps;
  // Window maps are written whole but for their padding; basis maps are
  // sums, so they start at zero.
  if (window)
    maps.resize(s.inC * channelMaps);
  else
    maps.assign(s.inC * channelMaps, 0);
  st.mapMax.resize(s.inC);
  m.parallelFor(
      s.inC, s.inC * channelMaps * (window ? 1 : K),
      [&](uint64_t channelLo, uint64_t channelHi) {
        for (uint64_t i = channelLo; i < channelHi; ++i) {
          const int32_t *xi = x.data() + i * planeIn;
          int32_t *mi = maps.data() + i * channelMaps;
          if (window) {
            for (int64_t kh = 0; kh < s.kh; ++kh)
              for (int64_t kw = 0; kw < s.kw; ++kw) {
                int32_t *out = mi + (kh * s.kw + kw) * stride;
                for (int64_t oh = 0; oh < s.outH; ++oh)
                  copyStrided(out + oh * s.outW,
                              xi + (oh * sh + kh * dh) * s.inW + kw * dw,
                              s.outW, sw);
                std::fill(out + P, out + stride, 0);
              }
            // Every window is part of the channel's plane, which bounds it.
            st.mapMax[i] = maxAbs(xi, planeIn);
            continue;
          }
          if (!wideMaps) {
            for (uint64_t mm = 0; mm < M; ++mm)
              for (int64_t kh = 0; kh < s.kh; ++kh)
                for (int64_t kw = 0; kw < s.kw; ++kw) {
                  int32_t bv = bases[(mm * s.kh + kh) * s.kw + kw];
                  if (!bv)
                    continue;
                  for (int64_t oh = 0; oh < s.outH; ++oh)
                    accumulateTap(mi + mm * stride + oh * s.outW,
                                  xi + (oh * sh + kh * dh) * s.inW + kw * dw,
                                  bv, s.outW, sw);
                }
          } else {
            // Maps that may pass the stream width: exact sums, then saturation.
            for (uint64_t mm = 0; mm < M; ++mm)
              for (int64_t oh = 0; oh < s.outH; ++oh)
                for (int64_t ow = 0; ow < s.outW; ++ow) {
                  int64_t sum = 0;
                  for (int64_t kh = 0; kh < s.kh; ++kh)
                    for (int64_t kw = 0; kw < s.kw; ++kw)
                      sum +=
                          int64_t(bases[(mm * s.kh + kh) * s.kw + kw]) *
                          xi[(oh * sh + kh * dh) * s.inW + ow * sw + kw * dw];
                  mi[mm * stride + oh * s.outW + ow] = int32_t(
                      std::clamp<int64_t>(sum, -streamMax - 1, streamMax));
                }
          }
          st.mapMax[i] = maxAbs(mi, channelMaps);
        }
      });

  // Stage 2, the coefficient engine. Channel i adds at most
  // mapMax[i] * chanAbs[i] to any accumulator. Channels whose products fit
  // int32 are summed in int32, in runs whose bound (the sum of their
  // increments) stays within int32, each run flushed into exact int64
  // sums; a channel whose single products may leave int32 goes to int64
  // directly. Usually every channel fits one run, and the int32 sums go
  // straight to the accumulator buffer. Integer sums are exact, so the
  // order within a run is free: runs are cut into blocks of about 256 KB
  // of maps for the cache.
  std::vector<__int128> &increment = st.increment;
  increment.resize(s.inC);
  __int128 bound = 0;
  for (int64_t i = 0; i < s.inC; ++i) {
    increment[i] = __int128(st.mapMax[i]) * st.chanAbs[i];
    bound += increment[i];
  }
  bool oneRun = bound <= INT32_MAX;
  uint8_t *accMem = m.buffer(Buffer::Accum, inst[Acc]);
  std::vector<int64_t> &acc64 = st.acc64;
  std::vector<int32_t> &acc32 = st.acc32;
  acc32.assign(s.outC * stride, 0);
  if (!oneRun) {
    acc64.assign(s.outC * P, 0);
    if (inst[Accumulate])
      for (uint64_t i = 0; i < acc64.size(); ++i)
        acc64[i] = loadElem(accMem, i, 32);
  }
  // Rows are independent: threads take contiguous ranges of them, each
  // making the same decisions from the channels' increments.
  auto stage2 = [&](int64_t rowBegin, int64_t rowEnd) {
    auto flush = [&] {
      for (int64_t r = rowBegin; r < rowEnd; ++r)
        for (uint64_t p = 0; p < P; ++p) {
          acc64[r * P + p] += acc32[r * stride + p];
          acc32[r * stride + p] = 0;
        }
    };
    // Channels [lo, hi): per group, its rows in the range and the columns
    // of its channels.
    auto accumulateChannels = [&](int64_t lo, int64_t hi, bool wide) {
      for (uint64_t g = lo / inPerGroup; g * inPerGroup < uint64_t(hi); ++g) {
        int64_t rowLo = std::max<int64_t>(g * outPerGroup, rowBegin);
        int64_t rowHi = std::min<int64_t>((g + 1) * outPerGroup, rowEnd);
        if (rowLo >= rowHi)
          continue;
        uint64_t first = std::max<int64_t>(lo, g * inPerGroup) - g * inPerGroup;
        uint64_t last =
            std::min<int64_t>(hi, (g + 1) * inPerGroup) - g * inPerGroup;
        const int32_t *groupMaps = maps.data() + g * inPerGroup * channelMaps;
        if (matrix.dense && !wide) {
          accumulateDense(acc32.data() + rowLo * stride,
                          groupMaps + first * M * stride, stride,
                          matrix.values.data() + rowLo * cols + first * M, cols,
                          rowHi - rowLo, (last - first) * M);
          continue;
        }
        for (int64_t r = rowLo; r < rowHi; ++r) {
          RowSlice row = matrix.slice(r, first * M, last * M);
          if (wide)
            accumulateWide(acc64.data() + r * P, groupMaps, stride, P, row);
          else
            accumulateSparse(acc32.data() + r * stride, groupMaps, stride, row);
        }
      }
    };
    int64_t blockChannels = std::max<int64_t>(
        1, (int64_t(1) << 16) / std::max<int64_t>(channelMaps, 1));
    int64_t runStart = 0, bound32 = 0;
    for (int64_t i = 0; i <= s.inC; ++i) {
      bool wide = i < s.inC && increment[i] > INT32_MAX;
      bool full = i < s.inC && !wide && bound32 + increment[i] > INT32_MAX;
      if (i == s.inC || wide || full || i - runStart == blockChannels) {
        accumulateChannels(runStart, i, false);
        runStart = i + wide;
      }
      if (full) {
        flush();
        bound32 = 0;
      }
      if (wide)
        accumulateChannels(i, i + 1, true);
      else if (i < s.inC)
        bound32 += int64_t(increment[i]);
    }
    if (oneRun) {
      finishSums(accMem + 4 * rowBegin * P, acc32.data() + rowBegin * stride,
                 stride, rowEnd - rowBegin, P, inst[Accumulate], hw.accumBits);
      return;
    }
    flush();
    for (uint64_t i = rowBegin * P; i < rowEnd * P; ++i)
      storeElem(accMem, i, 32, saturate(acc64[i], hw.accumBits));
  };
  m.parallelFor(s.outC, entries * stride, stage2);

  Counters &c = step.counts;
  uint64_t total = uint64_t(s.rows()) * s.cols();
  c.basisMacs = window ? 0 : uint64_t(s.inC) * M * K * P;
  c.coefMacs = entries * P;
  c.usefulCoefMacs = useful * P;
  c.coefBound = coefBound;
  c.basisBound =
      double(s.inC) *
      (window ? ceilDiv(K, hw.basisLanesM) : ceilDiv(M, hw.basisLanesM) * K) *
      P / hw.basisLanesP;
  c.skippedMacs = (total - std::min<uint64_t>(total, matrix.values.size())) * P;
  c.denseMacs = uint64_t(s.outC) * inPerGroup * K * P;
  c.bufRead[unsigned(Buffer::Act)] = x.size() * (inst[ActBits] / 8);
  c.bufRead[unsigned(Buffer::Basis)] =
      window ? 0 : packedBytes(M * K, inst[BasisBits]);
  c.bufRead[unsigned(Buffer::Coef)] = matrix.encodedBytes;
  // The stream holds basis maps at the stream width, or (window mode) the
  // shifted input windows at the activation width.
  c.bufWrite[unsigned(Buffer::Stream)] = c.bufRead[unsigned(Buffer::Stream)] =
      uint64_t(s.inC) * M * P *
      (window ? uint64_t(inst[ActBits] / 8) : hw.streamBytes());
  // Every coefficient MAC is a read-modify-write of a 32-bit accumulator
  // (the column-at-a-time dataflow scatters into any output row); the
  // first column of an overwriting conv only writes.
  uint64_t firstTouch = inst[Accumulate] ? 0 : uint64_t(s.outC) * P;
  c.bufWrite[unsigned(Buffer::Accum)] = 4 * std::max(c.coefMacs, firstTouch);
  c.bufRead[unsigned(Buffer::Accum)] =
      4 * (c.coefMacs - std::min(c.coefMacs, firstTouch));
  uint64_t basisCycles = basisCyclesPerChannel(hw, window, M, K, P);
  c.busy[unsigned(Unit::Basis)] = basisCycles * s.inC;
  for (uint64_t cc : st.coefCycles)
    c.busy[unsigned(Unit::Coef)] += cc;
  // The coefficient multipliers are one array, built for the stream's
  // width (the basis maps); window mode runs on the same multipliers.
  c.energyPj[unsigned(EnergyKind::Mac)] =
      c.basisMacs * hw.macPj(inst[ActBits], inst[BasisBits]) +
      c.coefMacs * hw.macPj(inst[CoefBits], hw.streamBits);
  step.unitMask = (1u << unsigned(Unit::Basis)) | (1u << unsigned(Unit::Coef));
  step.duration = streamPipelineCycles(hw, basisCycles, st.coefCycles);
  return llvm::Error::success();
}
