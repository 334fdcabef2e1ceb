//===- Tiling.cpp - buffer regions and the list-schedule cost -------------===//
#include "escalate/CodeGen/Tiling.h"
#include <algorithm>

using namespace escalate;
using namespace escalate::codegen;

namespace {
/// Consecutive slots of `banks[k]` banks each; a buffer with too few banks
/// is split by bytes in the same proportions instead (correct, but its
/// slots then share banks and the scoreboard serializes them).
llvm::SmallVector<Slot, 4> carve(const hw::BufferDesc &b,
                                 llvm::ArrayRef<uint64_t> banks) {
  uint64_t total = 0;
  for (uint64_t n : banks)
    total += n;
  llvm::SmallVector<Slot, 4> out;
  uint64_t unit = b.banks >= total ? b.bankBytes() : b.bytes / total;
  uint64_t at = 0;
  for (uint64_t n : banks) {
    out.push_back({at, n * unit});
    at += n * unit;
  }
  return out;
}
} // namespace

Regions codegen::bufferRegions(const hw::HwDesc &hw, bool doubleBuffer) {
  using hw::Buffer;
  Regions r;
  const hw::BufferDesc &act = hw.buffer(Buffer::Act),
                       &acc = hw.buffer(Buffer::Accum),
                       &coef = hw.buffer(Buffer::Coef),
                       &basis = hw.buffer(Buffer::Basis);
  // Parameter records are small: an eighth of the coef banks, at least one.
  uint64_t paramBanks = std::max<uint64_t>(1, coef.banks / 8);
  if (doubleBuffer) {
    uint64_t q = std::max<uint64_t>(1, act.banks / 4);
    auto a = carve(act, {q, q, q, q});
    r.in[0] = a[0], r.in[1] = a[1], r.out[0] = a[2], r.out[1] = a[3];
    uint64_t h = std::max<uint64_t>(1, acc.banks / 2);
    auto c = carve(acc, {h, h});
    r.acc[0] = c[0], r.acc[1] = c[1];
    uint64_t w = coef.banks > 2 * paramBanks ? (coef.banks - 2 * paramBanks) / 2
                                             : 3 * paramBanks;
    auto k = carve(coef, {w, w, paramBanks, paramBanks});
    r.coef[0] = k[0], r.coef[1] = k[1], r.params[0] = k[2], r.params[1] = k[3];
    uint64_t bh = std::max<uint64_t>(1, basis.banks / 2);
    auto b = carve(basis, {bh, bh});
    r.basis[0] = b[0], r.basis[1] = b[1];
    return r;
  }
  uint64_t half = std::max<uint64_t>(1, act.banks / 2);
  auto a = carve(act, {half, half});
  r.in[0] = r.in[1] = a[0];
  r.out[0] = r.out[1] = a[1];
  r.acc[0] = r.acc[1] = {0, acc.bytes};
  uint64_t w =
      coef.banks > paramBanks ? coef.banks - paramBanks : 7 * paramBanks;
  auto k = carve(coef, {w, paramBanks});
  r.coef[0] = r.coef[1] = k[0];
  r.params[0] = r.params[1] = k[1];
  r.basis[0] = r.basis[1] = {0, basis.bytes};
  return r;
}

uint64_t codegen::scheduleCycles(const hw::HwDesc &hw, const LayerCode &code) {
  std::vector<uint64_t> end(code.steps.size());
  uint64_t unitFree[3] = {}, issue = 0, last = 0;
  isa::DmaTimeline dma(hw);
  for (auto [i, s] : llvm::enumerate(code.steps)) {
    bool isDma = s.unit == Unit::Dma;
    uint64_t t =
        std::max(issue, isDma ? dma.channelFree() : unitFree[unsigned(s.unit)]);
    for (uint32_t d : s.deps)
      t = std::max(t, end[d]);
    if (isDma) {
      end[i] = dma.place(t, s.dma).end;
    } else {
      end[i] = t + s.duration;
      unitFree[unsigned(s.unit)] = end[i];
    }
    issue = t + 1;
    last = std::max(last, end[i]);
  }
  return last;
}
