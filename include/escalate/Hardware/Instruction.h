//===- Instruction.h - the ESCALATE instruction set -------------*- C++ -*-===//
//
// Every instruction is one 256-bit word: an 8-bit opcode, then the opcode's
// fields packed LSB-first in table order, then zero bits. The field table
// (Instructions.def) is the single definition the encoder, decoder,
// verifiers, simulator, the escisa ODS and the generated encoding reference
// (docs/generated/isa-encoding.md) all read. Semantics are in docs/isa.md.
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
#define ESCALATE_OPCODE(ID, MNEMONIC, VALUE, UNIT, DOC) ID = VALUE,
#include "escalate/Hardware/Instructions.def"
};

/// Field indices in encoding order, isa::<mnemonic>::<Field>, and the
/// values of enumerated fields, isa::<namespace>::<Type>, from the table.
#define ESCALATE_OPCODE(ID, MNEMONIC, VALUE, UNIT, DOC)                        \
  namespace MNEMONIC {                                                         \
  enum : unsigned {
#define ESCALATE_FIELD(ID, NAME, BITS, SIGNED, ENUM, DOC) ID,
#define ESCALATE_OPCODE_END(ID, MNEMONIC)                                      \
  NumFields                                                                    \
  }                                                                            \
  ;                                                                            \
  }
#include "escalate/Hardware/Instructions.def"

#define ESCALATE_ENUM(NS, TYPE, ODS, DOC)                                      \
  namespace NS {                                                               \
  enum TYPE : int64_t {
#define ESCALATE_CASE(ID, KEYWORD) ID,
#define ESCALATE_ENUM_END(NS, TYPE, ODS)                                       \
  }                                                                            \
  ;                                                                            \
  }
#include "escalate/Hardware/Instructions.def"

namespace conv {
/// The index widths the delta format supports (`index_bits`).
constexpr unsigned kDeltaIndexBits[] = {2, 4, 8, 16};
} // namespace conv

/// The values an enumerated field takes, named by their keywords.
struct EnumDesc {
  const char *name;
  const char *doc;
  llvm::ArrayRef<const char *> keywords;
};

struct FieldDesc {
  const char *name;
  unsigned bits;
  bool isSigned;
  /// The enumeration of an enumerated field, else null.
  const EnumDesc *enumeration;
  const char *doc;
  int64_t min() const { return isSigned ? -(int64_t(1) << (bits - 1)) : 0; }
  int64_t max() const {
    return isSigned ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1;
  }
  unsigned numEnumerants() const {
    return enumeration ? enumeration->keywords.size() : 0;
  }
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
/// Every enumeration of the table (field values and host-op kinds).
llvm::ArrayRef<const EnumDesc *> enumTable();
/// The host-op kinds (isa::host::Kind), for the binary's host-op table.
const EnumDesc &hostKinds();
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
