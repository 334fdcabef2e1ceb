//===- Instruction.h - the ESCALATE instruction set -------------*- C++ -*-===//
//
// Every instruction is one 256-bit word: an 8-bit opcode, then the opcode's
// fields packed LSB-first in table order, then zero bits. The field table
// below is the single definition the encoder, decoder, verifiers, simulator
// and the generated encoding reference (docs/generated/isa-encoding.md)
// all read. Semantics are in docs/isa.md.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_HARDWARE_INSTRUCTION_H
#define ESCALATE_HARDWARE_INSTRUCTION_H

#include "escalate/Hardware/Hardware.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"
#include <array>
#include <cstdint>

namespace escalate::isa {

constexpr unsigned kWordBytes = 32;
constexpr unsigned kMaxFields = 24;

enum class Opcode : uint8_t {
  Load = 1,
  Store = 2,
  Conv = 3,
  Requant = 4,
  Lut = 5,
  Pool = 6,
  Eltwise = 7,
  Host = 8,
  Halt = 15,
};

/// Field indices, in encoding order, per opcode.
namespace load {
enum : unsigned {
  Buf,
  Sram,
  Dram,
  C,
  H,
  W,
  StrideC,
  StrideH,
  PadTop,
  PadBottom,
  PadLeft,
  PadRight,
  PadValue,
  ElemBytes,
  NumFields
};
}
namespace store {
enum : unsigned {
  Buf,
  Sram,
  Dram,
  C,
  H,
  W,
  StrideC,
  StrideH,
  ElemBytes,
  NumFields
};
}
namespace conv {
enum : unsigned {
  Mode,
  Format,
  IndexBits,
  Input,
  InC,
  InH,
  InW,
  KernelH,
  KernelW,
  StrideH,
  StrideW,
  DilationH,
  DilationW,
  OutC,
  Groups,
  Bases,
  Basis,
  Coef,
  ActBits,
  BasisBits,
  CoefBits,
  Acc,
  Accumulate,
  NumFields
};
enum Mode : int64_t { ModeBasis = 0, ModeWindow = 1 };
enum Format : int64_t { FormatDense = 0, FormatBitmap = 1, FormatDelta = 2 };
/// The index widths the delta format supports (`index_bits`).
constexpr unsigned kDeltaIndexBits[] = {2, 4, 8, 16};
} // namespace conv
namespace requant {
enum : unsigned {
  Src,
  Dst,
  C,
  H,
  W,
  Params,
  OutBits,
  ZeroPoint,
  ClampLo,
  ClampHi,
  NegMult,
  NegShift,
  NumFields
};
}
namespace lut {
enum : unsigned { Src, Dst, Count, Table, NumFields };
}
namespace pool {
enum : unsigned {
  Kind,
  Src,
  Dst,
  C,
  InH,
  InW,
  KernelH,
  KernelW,
  StrideH,
  StrideW,
  Bits,
  AvgMult,
  AvgShift,
  ZeroPoint,
  NumFields
};
enum Kind : int64_t { Max = 0, Avg = 1 };
} // namespace pool
namespace eltwise {
enum : unsigned { Op, Broadcast, A, B, Dst, C, H, W, Params, Bits, NumFields };
enum Op : int64_t { Add = 0, Mul = 1 };
enum Broadcast : int64_t { None = 0, Channel = 1, Scalar = 2 };
} // namespace eltwise
namespace host {
enum : unsigned { Index, NumFields };
}

struct FieldDesc {
  const char *name;
  unsigned bits;
  bool isSigned;
  /// Comma-separated keyword names for enumerated fields, else null.
  const char *enumerants;
  const char *doc;
  int64_t min() const { return isSigned ? -(int64_t(1) << (bits - 1)) : 0; }
  int64_t max() const {
    return isSigned ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1;
  }
  unsigned numEnumerants() const;
};

struct OpcodeDesc {
  Opcode opcode;
  const char *mnemonic;
  /// The unit that executes it ("dma", "basis+coef", "ppu", "host", "-").
  const char *unit;
  llvm::ArrayRef<FieldDesc> fields;
  const char *doc;
};

llvm::ArrayRef<OpcodeDesc> opcodeTable();
const OpcodeDesc *lookupOpcode(unsigned opcode);
const OpcodeDesc &describe(Opcode opcode);

struct Instruction {
  Opcode opcode = Opcode::Halt;
  std::array<int64_t, kMaxFields> f{};
  int64_t operator[](unsigned i) const { return f[i]; }
};

/// Field values must fit their widths (and enumerations their ranges).
llvm::Error checkFields(const Instruction &inst);
/// Packs an instruction that passed checkFields.
void encode(const Instruction &inst, uint8_t out[kWordBytes]);
/// Unpacks a word; unknown opcodes and nonzero unused bits are errors.
llvm::Expected<Instruction> decode(const uint8_t word[kWordBytes]);

/// A byte range an instruction reads or writes: in a buffer or in DRAM.
enum class Space : uint8_t { Act, Basis, Coef, Stream, Accum, Dram };
constexpr unsigned kNumSpaces = 6;
llvm::StringRef spaceName(Space s);
struct Access {
  Space space;
  uint64_t lo, hi; // [lo, hi)
  bool write;
};

/// What static validation needs beyond the instruction itself.
struct ProgramShape {
  const hw::HwDesc *hw;
  uint64_t dramBytes;
  uint64_t numHostOps;
};

/// Checks an instruction against the hardware: supported widths, legal
/// shapes, and every statically known access inside its buffer or DRAM.
/// The message does not name the instruction; callers add the PC or the
/// location.
llvm::Error validate(const Instruction &inst, const ProgramShape &shape);

/// Ranges the instruction touches. For sparse coefficient formats the coef
/// range covers the row pointers only unless `coefBytes` (the encoded size
/// found at run time) is given.
llvm::SmallVector<Access, 4>
accesses(const Instruction &inst, const hw::HwDesc &hw, uint64_t coefBytes = 0);

/// Derived conv geometry.
struct ConvShape {
  int64_t inC, inH, inW, outC, outH, outW, kh, kw, groups, bases;
  int64_t rows() const { return outC; }
  int64_t cols() const { return (inC / groups) * bases; }
  int64_t pixels() const { return outH * outW; }
};
ConvShape convShape(const Instruction &inst);
/// Bytes of `count` elements of `bits` packed LSB-first.
inline uint64_t packedBytes(uint64_t count, unsigned bits) {
  return (count * bits + 7) / 8;
}
/// Bytes of the sparse header (row pointers) or the whole dense matrix.
uint64_t coefHeaderBytes(const Instruction &conv);

/// Per-channel records the PPU reads from the coef buffer.
constexpr uint64_t kRequantParamBytes = 12; // bias, multiplier, shift (i32)
constexpr uint64_t kEltwiseParamBytes = 32; // za zb zo ma mb shift lo hi

} // namespace escalate::isa

#endif
