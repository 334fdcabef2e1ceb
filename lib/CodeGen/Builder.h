//===- Builder.h - appending a layer's steps with their dependencies ------===//
//
// Every step names the buffer slots it reads and writes; the builder turns
// that into dependencies on earlier steps (read-after-write,
// write-after-read, write-after-write), which is all the list schedule
// needs, and records each buffer's peak use.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_LIB_TILING_BUILDER_H
#define ESCALATE_LIB_TILING_BUILDER_H

#include "escalate/Hardware/Timing.h"
#include "escalate/CodeGen/Tiling.h"
#include <initializer_list>
#include <map>

namespace escalate::codegen {

/// Buffer slots, as dependency resources.
enum Res : unsigned {
  In0,
  In1,
  Out0,
  Out1,
  Acc0,
  Acc1,
  Coef0,
  Coef1,
  Par0,
  Par1,
  Basis0,
  Basis1,
  /// The second half of Out0/Out1: a fused epilogue's other operand.
  Other0,
  Other1,
  NumRes
};

/// A `pool` over `c` planes of inH x inW elements (already padded) at
/// act[src], into act[dst].
struct PoolWindows {
  bool isMax = true;
  int64_t c = 1, inH = 1, inW = 1, kh = 1, kw = 1, sh = 1, sw = 1;
  unsigned bits = 8;
  int64_t avgMult = 0, avgShift = 0, zeroPoint = 0;
  // Average pooling's uncounted bands of this tile and the coef address of
  // its multipliers by window size.
  fixed::UncountedBands uncounted = {};
  uint64_t divisors = 0;
};
isa::Instruction poolInstruction(uint64_t src, uint64_t dst,
                                 const PoolWindows &p);

/// Blobs of constant data are DRAM-aligned and loaded as rows of that size.
constexpr uint64_t kBlobAlign = hw::kDramAlign;

inline uint64_t alignTo(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

/// The tile search's rejections: keeps the first reason, to say why no
/// candidate fits.
class Rejections {
public:
  void note(llvm::Error err) {
    if (first.empty())
      first = llvm::toString(std::move(err));
    else
      llvm::consumeError(std::move(err));
  }
  llvm::Error noneFits() const {
    return llvm::createStringError("no tiling fits the buffers: " +
                                   (first.empty() ? "no candidate" : first));
  }

private:
  std::string first;
};

/// The tallest tile height in [1, total] that `fits` (which must accept 1),
/// evened out over the tiles it implies.
int64_t evenRows(int64_t total, llvm::function_ref<bool(int64_t)> fits);

class Builder {
public:
  explicit Builder(const hw::HwDesc &hw) : hw(hw) {}

  /// `joins`: the step fills other bytes of the slots it writes than their
  /// last writer does, so it waits for their readers but not for that
  /// writer, and later readers wait for both.
  uint32_t add(const isa::Instruction &inst, Unit unit, uint64_t duration,
               std::initializer_list<unsigned> reads,
               std::initializer_list<unsigned> writes, bool joins = false);

  /// Appends constant bytes, aligned; returns their offset in the blob.
  uint64_t addConstant(llvm::StringRef bytes);
  /// Places `size` bytes of constants whose values do not matter yet, as
  /// addConstant would.
  uint64_t reserveConstant(uint64_t size);

  /// DRAM -> buffer, 3-D strided, with padding (see the ISA's load).
  struct Transfer {
    hw::Buffer buf;
    uint64_t sram, dram;
    int64_t c, h, w, strideC, strideH;
    int64_t padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
    int64_t padValue = 0, elemBytes = 1;
    /// Fills bytes of the slot beside an earlier load into it (see add).
    bool joins = false;
  };
  void load(const Transfer &t, unsigned res);
  void store(const Transfer &t, unsigned res);
  /// A contiguous blob of `bytes` (already aligned in DRAM) into a slot.
  void loadBlob(hw::Buffer buf, uint64_t sram, uint64_t dram, uint64_t bytes,
                unsigned res);
  /// Bytes a blob load writes (rounded up to whole rows).
  static uint64_t blobFootprint(uint64_t bytes) {
    return bytes <= 4095 ? bytes : alignTo(bytes, kBlobAlign);
  }

  /// Records that [base, base + bytes) of a buffer region is in use; a
  /// buffer's peak is the sum over its regions of the most each held.
  void use(hw::Buffer b, uint64_t base, uint64_t bytes);

  const hw::HwDesc &hw;
  LayerCode code;
  /// False while the tile search only lays the code out: constants then
  /// take their offsets but are not stored.
  bool keepConstants = true;

private:
  void dma(const isa::Instruction &inst, const Transfer &t, bool isLoad,
           unsigned res);

  llvm::SmallVector<uint32_t, 2> writers[NumRes];
  llvm::SmallVector<uint32_t, 4> readers[NumRes];
  std::map<std::pair<unsigned, uint64_t>, uint64_t> regionBytes;
  /// End of the constants placed so far.
  uint64_t constantEnd = 0;
};

} // namespace escalate::codegen

#endif
