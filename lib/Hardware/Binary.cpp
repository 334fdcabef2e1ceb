//===- Binary.cpp - .escb serialization and validation --------------------===//
#include "escalate/Hardware/Binary.h"
#include "escalate/Hardware/HostOps.h"
#include "escalate/Support/Digest.h"
#include "escb.pb.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include <climits>
#include <cmath>

using namespace escalate;
using namespace escalate::isa;
using llvm::StringRef;

namespace {
llvm::Error fail(const llvm::Twine &msg) {
  return llvm::createStringError(msg);
}

llvm::Error checkTensor(const TensorDesc &t, StringRef what,
                        uint64_t dramBytes) {
  std::string name = (what + " '" + t.name + "'").str();
  if (t.name.empty())
    return fail(what + " has no name");
  if (t.bits != 8 && t.bits != 16 && t.bits != 32)
    return fail(name +
                llvm::formatv(": bits = {0} must be 8, 16 or 32", t.bits));
  if (!std::isfinite(t.scale) || t.scale < 0)
    return fail(name + ": scale must be finite and non-negative");
  int64_t lo = -(int64_t(1) << (t.bits - 1)), hi = -lo - 1;
  if (t.zeroPoint < lo || t.zeroPoint > hi)
    return fail(name + llvm::formatv(": zero point {0} is outside the "
                                     "{1}-bit range",
                                     t.zeroPoint, t.bits));
  if (t.shape.empty())
    return fail(name + " has no shape");
  uint64_t count = 1;
  for (int64_t d : t.shape) {
    if (d < 1 || uint64_t(d) > (uint64_t(1) << 40) / count)
      return fail(name + llvm::formatv(": dimension {0} is not in [1, 2^40] "
                                       "(or the size overflows)",
                                       d));
    count *= d;
  }
  if (t.dram > dramBytes || t.bytes() > dramBytes - t.dram)
    return fail(name + llvm::formatv(": [{0}, {1}) is outside the {2} bytes "
                                     "of DRAM",
                                     t.dram, t.dram + t.bytes(), dramBytes));
  return llvm::Error::success();
}

void toProto(const TensorDesc &t, escb::Tensor *p) {
  p->set_name(t.name);
  p->set_dram(t.dram);
  for (int64_t d : t.shape)
    p->add_shape(d);
  p->set_bits(t.bits);
  p->set_scale(t.scale);
  p->set_zero_point(t.zeroPoint);
}

TensorDesc fromProto(const escb::Tensor &p) {
  TensorDesc t;
  t.name = p.name();
  t.dram = p.dram();
  t.shape.assign(p.shape().begin(), p.shape().end());
  t.bits = p.bits();
  t.scale = p.scale();
  t.zeroPoint = p.zero_point();
  return t;
}
} // namespace

uint64_t TensorDesc::numElements() const {
  uint64_t n = 1;
  for (int64_t d : shape)
    n *= uint64_t(d);
  return n;
}

std::string Program::where(uint64_t pc) const {
  std::string s = llvm::formatv("instruction {0} ('{1}')", pc,
                                describe(code[pc].opcode).mnemonic);
  if (const DebugRange *r = layerOf(pc))
    s += " of layer '" + r->name + "'";
  return s;
}

const DebugRange *Program::layerOf(uint64_t pc) const {
  auto it = llvm::partition_point(
      debug, [&](const DebugRange &r) { return r.end <= pc; });
  return it != debug.end() && it->begin <= pc ? &*it : nullptr;
}

llvm::Error isa::validateProgram(const Program &p) {
  if (p.dramBytes == 0 || p.dramBytes > p.hw.dramCapacity)
    return fail(llvm::formatv("the program needs {0} bytes of DRAM; the "
                              "hardware has {1}",
                              p.dramBytes, p.hw.dramCapacity));
  for (const auto &[list, what] :
       {std::pair(&p.inputs, "input"), std::pair(&p.outputs, "output")}) {
    for (const TensorDesc &t : *list) {
      if (llvm::Error err = checkTensor(t, what, p.dramBytes))
        return err;
      if (llvm::count_if(
              *list, [&](const TensorDesc &o) { return o.name == t.name; }) > 1)
        return fail(llvm::Twine(what) + " '" + t.name + "' is declared twice");
    }
  }
  std::vector<const Segment *> segs;
  for (const Segment &s : p.segments) {
    if (s.dram > p.dramBytes || s.data.size() > p.dramBytes - s.dram)
      return fail("constant segment '" + s.name + "' is outside DRAM");
    segs.push_back(&s);
  }
  llvm::sort(segs, [](const Segment *a, const Segment *b) {
    return a->dram < b->dram;
  });
  for (size_t i = 1; i < segs.size(); ++i)
    if (segs[i - 1]->dram + segs[i - 1]->data.size() > segs[i]->dram)
      return fail("constant segments '" + segs[i - 1]->name + "' and '" +
                  segs[i]->name + "' overlap");
  for (auto [i, op] : llvm::enumerate(p.hostOps)) {
    std::string name = llvm::formatv("host op {0} ('{1}')", i, op.kind);
    for (auto [j, t] : llvm::enumerate(op.inputs)) {
      if (llvm::Error err =
              checkTensor(t, name + " input " + std::to_string(j), p.dramBytes))
        return err;
      if (t.scale <= 0 && t.bits != 32)
        return fail(name + ": input " + llvm::Twine(j) +
                    " has no scale, so it must be 32-bit floats");
    }
    if (llvm::Error err = checkTensor(op.output, name + " output", p.dramBytes))
      return err;
    if (op.output.scale <= 0)
      return fail(name + ": the host quantizes its output, which needs a "
                         "positive scale");
    if (llvm::Error err = checkHostOp(op))
      return fail(name + ": " + llvm::toString(std::move(err)));
  }
  if (p.code.empty() || p.code.back().opcode != Opcode::Halt)
    return fail("the code section must end with a halt instruction");
  for (auto [i, r] : llvm::enumerate(p.debug))
    if (r.begin >= r.end || r.end > p.code.size() ||
        (i && p.debug[i - 1].end > r.begin))
      return fail(llvm::formatv("debug range {0} ('{1}': [{2}, {3})) is "
                                "empty, out of order or past the code",
                                i, r.name, r.begin, r.end));
  for (size_t i = 1; i < p.debug.size(); ++i)
    if (p.debug[i - 1].end == p.debug[i].begin &&
        p.debug[i - 1].name == p.debug[i].name)
      return fail("debug ranges " + llvm::Twine(i - 1) + " and " +
                  llvm::Twine(i) + " are adjacent and both named '" +
                  p.debug[i].name + "'; they must be one range");
  std::vector<bool> hostUsed(p.hostOps.size());
  for (const Instruction &inst : p.code)
    if (inst.opcode == Opcode::Host &&
        uint64_t(inst[host::Index]) < hostUsed.size())
      hostUsed[inst[host::Index]] = true;
  for (size_t i = 0; i < hostUsed.size(); ++i)
    if (!hostUsed[i])
      return fail(llvm::formatv("host op {0} ('{1}') is never used", i,
                                p.hostOps[i].kind));
  ProgramShape shape{&p.hw, p.dramBytes, p.hostOps.size()};
  for (size_t pc = 0; pc < p.code.size(); ++pc)
    if (llvm::Error err = validate(p.code[pc], shape))
      return fail(p.where(pc) + ": " + llvm::toString(std::move(err)));
  return llvm::Error::success();
}

namespace {
/// The container's sections: every field of Program but the checksums.
std::vector<const google::protobuf::FieldDescriptor *> sections() {
  const google::protobuf::Descriptor *d = escb::Program::descriptor();
  std::vector<const google::protobuf::FieldDescriptor *> out;
  for (int i = 0; i < d->field_count(); ++i)
    if (d->field(i)->number() != escb::Program::kSectionXxh3FieldNumber)
      out.push_back(d->field(i));
  return out;
}

/// XXH3-64 of each section, over a Program holding only that section (the
/// section is swapped out and back, not copied).
std::vector<uint64_t> sectionChecksums(escb::Program &proto) {
  const google::protobuf::Reflection *r = proto.GetReflection();
  std::vector<uint64_t> out;
  for (const google::protobuf::FieldDescriptor *f : sections()) {
    escb::Program one;
    r->SwapFields(&proto, &one, {f});
    std::string bytes = one.SerializeAsString();
    r->SwapFields(&proto, &one, {f});
    out.push_back(xxh3(bytes));
  }
  return out;
}
} // namespace

llvm::Expected<std::string> isa::writeBinary(const Program &p) {
  if (llvm::Error err = validateProgram(p))
    return std::move(err);
  escb::Program proto;
  proto.mutable_header()->set_magic(kBinaryMagic);
  proto.mutable_header()->set_version(kBinaryVersion);
  proto.set_hw_json(p.hw.canonicalJson);
  proto.set_dram_bytes(p.dramBytes);
  for (const TensorDesc &t : p.inputs)
    toProto(t, proto.add_inputs());
  for (const TensorDesc &t : p.outputs)
    toProto(t, proto.add_outputs());
  for (const Segment &s : p.segments) {
    escb::Segment *seg = proto.add_constants();
    seg->set_name(s.name);
    seg->set_dram(s.dram);
    seg->set_data(s.data);
  }
  std::string code(p.code.size() * kWordBytes, '\0');
  for (size_t i = 0; i < p.code.size(); ++i)
    encode(p.code[i], reinterpret_cast<uint8_t *>(&code[i * kWordBytes]));
  proto.set_code(std::move(code));
  for (const DebugRange &r : p.debug) {
    escb::DebugRange *d = proto.add_debug();
    d->set_begin(r.begin);
    d->set_end(r.end);
    d->set_name(r.name);
  }
  for (const HostOp &op : p.hostOps) {
    escb::HostOp *h = proto.add_host_ops();
    h->set_kind(op.kind);
    for (const TensorDesc &t : op.inputs)
      toProto(t, h->add_inputs());
    toProto(op.output, h->mutable_output());
    h->set_axis(op.axis);
    for (int64_t v : op.ints)
      h->add_ints(v);
    for (double v : op.reals)
      h->add_reals(v);
  }
  for (uint64_t sum : sectionChecksums(proto))
    proto.add_section_xxh3(sum);
  std::string out;
  if (!proto.SerializeToString(&out))
    return fail("program is too large to serialize (2 GiB limit)");
  return out;
}

llvm::Expected<Program> isa::readBinary(StringRef bytes,
                                        uint64_t maxDramBytes) {
  escb::Program proto;
  if (bytes.size() > INT_MAX ||
      !proto.ParseFromArray(bytes.data(), int(bytes.size())))
    return fail("not an ESCALATE binary (the container does not parse)");
  if (!proto.has_header() || proto.header().magic() != kBinaryMagic)
    return fail(llvm::formatv("not an ESCALATE binary (magic {0:x8}, "
                              "expected {1:x8})",
                              proto.header().magic(), kBinaryMagic));
  if (proto.header().version() != kBinaryVersion)
    return fail(llvm::formatv("binary format version {0} is not supported "
                              "(this build reads version {1})",
                              proto.header().version(), kBinaryVersion));
  // Integrity before meaning: a damaged byte must not reach the checks
  // below, which could accept it as a different valid program.
  std::vector<uint64_t> sums = sectionChecksums(proto);
  if (proto.section_xxh3_size() != int(sums.size()))
    return fail(llvm::formatv("the binary is damaged: it holds {0} section "
                              "checksums, not {1}",
                              proto.section_xxh3_size(), sums.size()));
  for (auto [i, f] : llvm::enumerate(sections()))
    if (proto.section_xxh3(i) != sums[i])
      return fail(llvm::formatv("the binary is damaged: section '{0}' does "
                                "not match its checksum (stored {1:x16}, "
                                "computed {2:x16})",
                                f->name(), proto.section_xxh3(i), sums[i]));
  if (!proto.GetReflection()->GetUnknownFields(proto).empty())
    return fail("the binary is damaged: it holds fields this format does "
                "not have");
  Program p;
  llvm::Expected<hw::HwDesc> hw = hw::parseHwDesc(proto.hw_json());
  if (!hw)
    return fail("embedded " + llvm::toString(hw.takeError()));
  p.hw = std::move(*hw);
  p.dramBytes = proto.dram_bytes();
  if (p.dramBytes > maxDramBytes)
    return fail(llvm::formatv("the program asks for {0} bytes of DRAM, above "
                              "the limit of {1} (raise it with --max-dram)",
                              p.dramBytes, maxDramBytes));
  for (const escb::Tensor &t : proto.inputs())
    p.inputs.push_back(fromProto(t));
  for (const escb::Tensor &t : proto.outputs())
    p.outputs.push_back(fromProto(t));
  for (const escb::Segment &s : proto.constants())
    p.segments.push_back({s.name(), s.dram(), s.data()});
  const std::string &code = proto.code();
  if (code.size() % kWordBytes)
    return fail(llvm::formatv("code section of {0} bytes is not a whole "
                              "number of {1}-byte words",
                              code.size(), kWordBytes));
  for (size_t pc = 0; pc < code.size() / kWordBytes; ++pc) {
    llvm::Expected<Instruction> inst = decode(
        reinterpret_cast<const uint8_t *>(code.data() + pc * kWordBytes));
    if (!inst)
      return fail(llvm::formatv("instruction {0}: {1}", pc,
                                llvm::toString(inst.takeError())));
    p.code.push_back(*inst);
  }
  for (const escb::DebugRange &r : proto.debug())
    p.debug.push_back({r.begin(), r.end(), r.name()});
  for (const escb::HostOp &h : proto.host_ops()) {
    HostOp &op = p.hostOps.emplace_back();
    op.kind = h.kind();
    for (const escb::Tensor &t : h.inputs())
      op.inputs.push_back(fromProto(t));
    op.output = fromProto(h.output());
    op.axis = h.axis();
    op.ints.assign(h.ints().begin(), h.ints().end());
    op.reals.assign(h.reals().begin(), h.reals().end());
  }
  if (llvm::Error err = validateProgram(p))
    return std::move(err);
  return p;
}
