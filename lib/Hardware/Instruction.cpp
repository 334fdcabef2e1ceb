//===- Instruction.cpp - opcode table, encoding and static checks ---------===//
#include "escalate/Hardware/Instruction.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

using namespace escalate;
using namespace escalate::isa;
using hw::Buffer;
using llvm::StringRef;

namespace {
#define ESCALATE_ENUM(NS, TYPE, ODS, DOC) const char *const ODS##Keywords[] = {
#define ESCALATE_CASE(ID, KEYWORD) #KEYWORD,
#define ESCALATE_ENUM_END(NS, TYPE, ODS)                                       \
  }                                                                            \
  ;
#include "escalate/Hardware/Instructions.def"

namespace enums {
#define ESCALATE_ENUM(NS, TYPE, ODS, DOC)                                      \
  const EnumDesc ODS = {#ODS, DOC, ODS##Keywords};
#include "escalate/Hardware/Instructions.def"
} // namespace enums

/// A field row's enumeration by its table name; `NoEnum` is a plain
/// integer.
namespace fieldEnum {
constexpr const EnumDesc *NoEnum = nullptr;
#define ESCALATE_ENUM(NS, TYPE, ODS, DOC)                                      \
  constexpr const EnumDesc *ODS = &enums::ODS;
#include "escalate/Hardware/Instructions.def"
} // namespace fieldEnum

const EnumDesc *const allEnums[] = {
#define ESCALATE_ENUM(NS, TYPE, ODS, DOC) &enums::ODS,
#include "escalate/Hardware/Instructions.def"
};

#define ESCALATE_OPCODE(ID, MNEMONIC, VALUE, UNIT, DOC)                        \
  const std::array<FieldDesc, MNEMONIC::NumFields> MNEMONIC##Fields = {{
#define ESCALATE_FIELD(ID, NAME, BITS, SIGNED, ENUM, DOC)                      \
  {#NAME, BITS, SIGNED, fieldEnum::ENUM, DOC},
#define ESCALATE_OPCODE_END(ID, MNEMONIC)                                      \
  }                                                                            \
  }                                                                            \
  ;
#include "escalate/Hardware/Instructions.def"

const OpcodeDesc table[] = {
#define ESCALATE_OPCODE(ID, MNEMONIC, VALUE, UNIT, DOC)                        \
  {Opcode::ID, #MNEMONIC, UNIT, MNEMONIC##Fields, DOC},
#include "escalate/Hardware/Instructions.def"
};

// Every opcode's fields fit the word after the opcode byte.
#define ESCALATE_OPCODE(ID, MNEMONIC, VALUE, UNIT, DOC) static_assert(8
#define ESCALATE_FIELD(ID, NAME, BITS, SIGNED, ENUM, DOC) +BITS
#define ESCALATE_OPCODE_END(ID, MNEMONIC)                                      \
  <= kWordBytes * 8 && MNEMONIC::NumFields <= kMaxFields);
#include "escalate/Hardware/Instructions.def"

// The buffer field's values are the hardware description's buffers.
static_assert(buffer::Act == int64_t(Buffer::Act) &&
              buffer::Basis == int64_t(Buffer::Basis) &&
              buffer::Coef == int64_t(Buffer::Coef) &&
              buffer::Stream == int64_t(Buffer::Stream) &&
              buffer::Accum == int64_t(Buffer::Accum) &&
              std::size(BufferKeywords) == hw::kNumBuffers);

llvm::Error fail(const llvm::Twine &msg) {
  return llvm::createStringError(msg);
}

/// Reads or writes `bits` bits at bit offset `pos` of a 256-bit word.
uint64_t getBits(const uint8_t *w, unsigned pos, unsigned bits) {
  uint64_t v = 0;
  for (unsigned i = 0; i < bits; ++i)
    v |= uint64_t((w[(pos + i) / 8] >> ((pos + i) % 8)) & 1) << i;
  return v;
}
void putBits(uint8_t *w, unsigned pos, unsigned bits, uint64_t v) {
  for (unsigned i = 0; i < bits; ++i)
    if ((v >> i) & 1)
      w[(pos + i) / 8] |= uint8_t(1 << ((pos + i) % 8));
}
} // namespace

llvm::ArrayRef<OpcodeDesc> isa::opcodeTable() { return table; }

llvm::ArrayRef<const EnumDesc *> isa::enumTable() { return allEnums; }

const EnumDesc &isa::hostKinds() { return enums::HostKind; }

const OpcodeDesc *isa::lookupOpcode(unsigned opcode) {
  for (const OpcodeDesc &d : table)
    if (unsigned(d.opcode) == opcode)
      return &d;
  return nullptr;
}

const OpcodeDesc &isa::describe(Opcode opcode) {
  return *lookupOpcode(unsigned(opcode));
}

StringRef isa::spaceName(Space s) {
  return s == Space::Dram ? "dram" : hw::bufferName(Buffer(s));
}

llvm::Error isa::checkFields(const Instruction &inst) {
  const OpcodeDesc &d = describe(inst.opcode);
  for (auto [i, field] : llvm::enumerate(d.fields)) {
    int64_t v = inst.f[i];
    int64_t hi = field.enumeration ? field.numEnumerants() - 1 : field.max();
    if (v < field.min() || v > hi)
      return fail(llvm::formatv("field '{0}' = {1} is outside [{2}, {3}]",
                                field.name, v, field.min(), hi));
  }
  return llvm::Error::success();
}

void isa::encode(const Instruction &inst, uint8_t out[kWordBytes]) {
  std::fill(out, out + kWordBytes, 0);
  out[0] = uint8_t(inst.opcode);
  unsigned pos = 8;
  for (auto [i, field] : llvm::enumerate(describe(inst.opcode).fields)) {
    uint64_t mask = field.bits == 64 ? ~0ull : (1ull << field.bits) - 1;
    putBits(out, pos, field.bits, uint64_t(inst.f[i]) & mask);
    pos += field.bits;
  }
}

llvm::Expected<Instruction> isa::decode(const uint8_t word[kWordBytes]) {
  const OpcodeDesc *d = lookupOpcode(word[0]);
  if (!d)
    return fail(llvm::formatv("illegal opcode {0:x2}", word[0]));
  Instruction inst;
  inst.opcode = d->opcode;
  unsigned pos = 8;
  for (auto [i, field] : llvm::enumerate(d->fields)) {
    uint64_t raw = getBits(word, pos, field.bits);
    if (field.isSigned && (raw >> (field.bits - 1)))
      inst.f[i] = int64_t(raw) - (int64_t(1) << field.bits);
    else
      inst.f[i] = int64_t(raw);
    pos += field.bits;
  }
  for (unsigned b = pos; b < kWordBytes * 8; ++b)
    if ((word[b / 8] >> (b % 8)) & 1)
      return fail(
          llvm::formatv("'{0}' word has reserved bit {1} set", d->mnemonic, b));
  if (llvm::Error err = checkFields(inst))
    return std::move(err);
  return inst;
}

ConvShape isa::convShape(const Instruction &c) {
  using namespace conv;
  ConvShape s;
  s.inC = c[InC];
  s.inH = c[InH];
  s.inW = c[InW];
  s.outC = c[OutC];
  s.kh = c[KernelH];
  s.kw = c[KernelW];
  s.groups = c[Groups];
  s.bases = c[Bases];
  int64_t effH = c[DilationH] * (s.kh - 1) + 1;
  int64_t effW = c[DilationW] * (s.kw - 1) + 1;
  s.outH = c[StrideH] && s.inH >= effH ? (s.inH - effH) / c[StrideH] + 1 : 0;
  s.outW = c[StrideW] && s.inW >= effW ? (s.inW - effW) / c[StrideW] + 1 : 0;
  return s;
}

uint64_t isa::coefHeaderBytes(const Instruction &c) {
  ConvShape s = convShape(c);
  if (c[conv::Format] == conv::FormatDense)
    return packedBytes(uint64_t(s.rows()) * s.cols(), c[conv::CoefBits]);
  return 4 * uint64_t(s.rows() + 1);
}

namespace {
int64_t actBytes(int64_t bits) { return bits / 8; }

/// DRAM hull of a 3-D strided transfer.
Access dramHull(const Instruction &inst, unsigned dram, unsigned c, unsigned h,
                unsigned w, unsigned strideC, unsigned strideH,
                unsigned elemBytes, bool write) {
  uint64_t last = uint64_t(inst[c] - 1) * inst[strideC] +
                  uint64_t(inst[h] - 1) * inst[strideH] +
                  uint64_t(inst[w]) * inst[elemBytes];
  return {Space::Dram, uint64_t(inst[dram]), uint64_t(inst[dram]) + last,
          write};
}
Access range(Buffer b, int64_t addr, uint64_t bytes, bool write) {
  return {Space(b), uint64_t(addr), uint64_t(addr) + bytes, write};
}
} // namespace

llvm::SmallVector<Access, 4> isa::accesses(const Instruction &inst,
                                           const hw::HwDesc &hw,
                                           uint64_t coefBytes) {
  llvm::SmallVector<Access, 4> out;
  switch (inst.opcode) {
  case Opcode::Load: {
    using namespace load;
    uint64_t rows = inst[H] + inst[PadTop] + inst[PadBottom];
    uint64_t cols = inst[W] + inst[PadLeft] + inst[PadRight];
    out.push_back(
        dramHull(inst, Dram, C, H, W, StrideC, StrideH, ElemBytes, false));
    out.push_back(range(Buffer(inst[Buf]), inst[Sram],
                        uint64_t(inst[C]) * rows * cols * inst[ElemBytes],
                        true));
    break;
  }
  case Opcode::Store: {
    using namespace store;
    out.push_back(range(Buffer(inst[Buf]), inst[Sram],
                        uint64_t(inst[C]) * inst[H] * inst[W] * inst[ElemBytes],
                        false));
    out.push_back(
        dramHull(inst, Dram, C, H, W, StrideC, StrideH, ElemBytes, true));
    break;
  }
  case Opcode::Conv: {
    using namespace conv;
    ConvShape s = convShape(inst);
    out.push_back(range(
        Buffer::Act, inst[Input],
        uint64_t(s.inC) * s.inH * s.inW * actBytes(inst[ActBits]), false));
    if (inst[Mode] == ModeBasis)
      out.push_back(
          range(Buffer::Basis, inst[Basis],
                packedBytes(uint64_t(s.bases) * s.kh * s.kw, inst[BasisBits]),
                false));
    out.push_back(range(Buffer::Coef, inst[Coef],
                        std::max(coefBytes, coefHeaderBytes(inst)), false));
    out.push_back(range(Buffer::Stream, 0,
                        2 * uint64_t(s.bases) * s.pixels() * hw.streamBytes(),
                        true));
    out.push_back(range(Buffer::Accum, inst[Acc],
                        4 * uint64_t(s.outC) * s.pixels(), true));
    break;
  }
  case Opcode::Requant: {
    using namespace requant;
    uint64_t n = uint64_t(inst[C]) * inst[H] * inst[W];
    out.push_back(range(Buffer::Accum, inst[Src], 4 * n, false));
    out.push_back(
        range(Buffer::Coef, inst[Params], kRequantParamBytes * inst[C], false));
    out.push_back(
        range(Buffer::Act, inst[Dst], n * actBytes(inst[OutBits]), true));
    break;
  }
  case Opcode::Lut:
    out.push_back(range(Buffer::Act, inst[lut::Src], inst[lut::Count], false));
    out.push_back(range(Buffer::Coef, inst[lut::Table], 256, false));
    out.push_back(range(Buffer::Act, inst[lut::Dst], inst[lut::Count], true));
    break;
  case Opcode::Pool: {
    using namespace pool;
    int64_t eb = actBytes(inst[Bits]);
    int64_t oh = inst[StrideH] && inst[InH] >= inst[KernelH]
                     ? (inst[InH] - inst[KernelH]) / inst[StrideH] + 1
                     : 0;
    int64_t ow = inst[StrideW] && inst[InW] >= inst[KernelW]
                     ? (inst[InW] - inst[KernelW]) / inst[StrideW] + 1
                     : 0;
    out.push_back(range(Buffer::Act, inst[Src],
                        uint64_t(inst[C]) * inst[InH] * inst[InW] * eb, false));
    out.push_back(
        range(Buffer::Act, inst[Dst], uint64_t(inst[C]) * oh * ow * eb, true));
    if (inst[Kind] == Avg && (inst[UncountedTop] || inst[UncountedLeft] ||
                              inst[UncountedBottom] || inst[UncountedRight]))
      out.push_back(range(Buffer::Coef, inst[Divisors],
                          4 * uint64_t(inst[KernelH]) * inst[KernelW], false));
    break;
  }
  case Opcode::Eltwise: {
    using namespace eltwise;
    int64_t eb = actBytes(inst[Bits]);
    uint64_t n = uint64_t(inst[C]) * inst[H] * inst[W];
    uint64_t nb = inst[Broadcast] == None      ? n
                  : inst[Broadcast] == Channel ? uint64_t(inst[C])
                  : inst[Broadcast] == Pixel   ? uint64_t(inst[H]) * inst[W]
                                               : 1;
    out.push_back(range(Buffer::Act, inst[A], n * eb, false));
    out.push_back(range(Buffer::Act, inst[B], nb * eb, false));
    out.push_back(range(Buffer::Coef, inst[Params], kEltwiseParamBytes, false));
    out.push_back(range(Buffer::Act, inst[Dst], n * eb, true));
    break;
  }
  case Opcode::Host:
  case Opcode::Halt:
    break;
  }
  return out;
}

llvm::Error isa::validate(const Instruction &inst, const ProgramShape &shape) {
  const hw::HwDesc &hw = *shape.hw;
  if (llvm::Error err = checkFields(inst))
    return err;
  auto needBits = [&](StringRef what, int64_t bits,
                      llvm::ArrayRef<unsigned> allowed) -> llvm::Error {
    if (llvm::is_contained(allowed, unsigned(bits)))
      return llvm::Error::success();
    std::string list;
    for (unsigned w : allowed)
      list += (list.empty() ? "" : ", ") + std::to_string(w);
    return fail(llvm::formatv("{0} = {1} is not supported by the hardware "
                              "(supported: {2})",
                              what, bits, list));
  };
  auto positive = [&](llvm::ArrayRef<unsigned> fields) -> llvm::Error {
    for (unsigned f : fields)
      if (inst[f] <= 0)
        return fail(llvm::formatv("field '{0}' must be positive",
                                  describe(inst.opcode).fields[f].name));
    return llvm::Error::success();
  };
  switch (inst.opcode) {
  case Opcode::Load:
  case Opcode::Store: {
    unsigned buf = inst.opcode == Opcode::Load ? unsigned(load::Buf)
                                               : unsigned(store::Buf);
    unsigned eb = inst.opcode == Opcode::Load ? unsigned(load::ElemBytes)
                                              : unsigned(store::ElemBytes);
    if (Buffer(inst[buf]) == Buffer::Stream)
      return fail("the stream buffer is private to the conv engines; DMA "
                  "cannot address it");
    if (inst[eb] != 1 && inst[eb] != 2 && inst[eb] != 4)
      return fail(
          llvm::formatv("elem_bytes = {0} must be 1, 2 or 4", inst[eb]));
    if (llvm::Error err = positive({load::C, load::H, load::W}))
      return err;
    break;
  }
  case Opcode::Conv: {
    using namespace conv;
    if (llvm::Error err =
            positive({InC, InH, InW, KernelH, KernelW, StrideH, StrideW,
                      DilationH, DilationW, OutC, Groups, Bases}))
      return err;
    ConvShape s = convShape(inst);
    if (s.inC % s.groups || s.outC % s.groups)
      return fail(llvm::formatv("groups = {0} must divide in_c = {1} and "
                                "out_c = {2}",
                                s.groups, s.inC, s.outC));
    if (!s.outH || !s.outW)
      return fail(llvm::formatv("input {0}x{1} is smaller than the dilated "
                                "{2}x{3} kernel",
                                s.inH, s.inW, s.kh, s.kw));
    if (llvm::Error err = needBits("act_bits", inst[ActBits], hw.actBits))
      return err;
    if (llvm::Error err = needBits("coef_bits", inst[CoefBits], hw.coefBits))
      return err;
    if (inst[Mode] == ModeBasis) {
      if (llvm::Error err =
              needBits("basis_bits", inst[BasisBits], hw.basisBits))
        return err;
    } else {
      if (s.bases != s.kh * s.kw)
        return fail(llvm::formatv("window mode forwards kernel_h*kernel_w = "
                                  "{0} windows, but bases = {1}",
                                  s.kh * s.kw, s.bases));
      if (inst[BasisBits] || inst[Basis])
        return fail("window mode reads no bases: basis and basis_bits "
                    "must be 0");
    }
    bool delta = inst[Format] == FormatDelta;
    if (delta != (inst[IndexBits] != 0) ||
        (delta && !llvm::is_contained(kDeltaIndexBits, unsigned(inst[IndexBits]))))
      return fail(llvm::formatv("index_bits = {0}: the delta format needs 2, "
                                "4, 8 or 16, the others 0",
                                inst[IndexBits]));
    break;
  }
  case Opcode::Requant: {
    using namespace requant;
    if (llvm::Error err = positive({C, H, W}))
      return err;
    if (llvm::Error err = needBits("out_bits", inst[OutBits], hw.actBits))
      return err;
    int64_t lo = -(int64_t(1) << (inst[OutBits] - 1)), hi = -lo - 1;
    if (inst[ClampLo] > inst[ClampHi] || inst[ClampLo] < lo ||
        inst[ClampHi] > hi)
      return fail(llvm::formatv("clamp [{0}, {1}] must be ordered and "
                                "within the {2}-bit range [{3}, {4}]",
                                inst[ClampLo], inst[ClampHi], inst[OutBits], lo,
                                hi));
    break;
  }
  case Opcode::Lut:
    if (!llvm::is_contained(hw.actBits, 8u))
      return fail("lut needs 8-bit activations, which the hardware lacks");
    if (llvm::Error err = positive({lut::Count}))
      return err;
    break;
  case Opcode::Pool: {
    using namespace pool;
    if (llvm::Error err =
            positive({C, InH, InW, KernelH, KernelW, StrideH, StrideW}))
      return err;
    if (llvm::Error err = needBits("bits", inst[Bits], hw.actBits))
      return err;
    if (inst[KernelH] > inst[InH] || inst[KernelW] > inst[InW])
      return fail("pooling window is larger than the input");
    break;
  }
  case Opcode::Eltwise:
    if (llvm::Error err = positive({eltwise::C, eltwise::H, eltwise::W}))
      return err;
    if (llvm::Error err = needBits("bits", inst[eltwise::Bits], hw.actBits))
      return err;
    break;
  case Opcode::Host:
    if (uint64_t(inst[host::Index]) >= shape.numHostOps)
      return fail(llvm::formatv("host op {0} does not exist (the program has "
                                "{1})",
                                inst[host::Index], shape.numHostOps));
    break;
  case Opcode::Halt:
    break;
  }
  for (const Access &a : accesses(inst, hw)) {
    uint64_t cap = a.space == Space::Dram ? shape.dramBytes
                                          : hw.buffer(Buffer(a.space)).bytes;
    if (a.hi > cap)
      return fail(llvm::formatv("{0} {1} [{2}, {3}) is outside the {4} "
                                "bytes of {1}",
                                a.write ? "writes" : "reads",
                                spaceName(a.space), a.lo, a.hi, cap));
  }
  return llvm::Error::success();
}
