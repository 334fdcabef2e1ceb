//===- EscIsaProgram.cpp - escisa.program <-> the binary's program --------===//
#include "escalate/Dialect/EscIsa/IR/EscIsaOps.h"
#include "escalate/Support/Tensor.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace escalate;
using namespace escalate::escisa;

namespace {
isa::TensorDesc tensorFrom(StringRef name, TensorAttr attr) {
  isa::TensorDesc t;
  t.name = name.str();
  t.dram = attr.getDram();
  t.shape.assign(attr.getShape().begin(), attr.getShape().end());
  t.bits = attr.getBits();
  t.scale = attr.getScale().convertToDouble();
  t.zeroPoint = attr.getZeroPoint();
  return t;
}

TensorAttr tensorAttr(Builder &b, const isa::TensorDesc &t) {
  return TensorAttr::get(b.getContext(), t.dram, t.shape, t.bits,
                         APFloat(t.scale), t.zeroPoint);
}

std::string layerName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  return {};
}
} // namespace

FailureOr<isa::Program> escisa::toProgram(ProgramOp op) {
  isa::Program p;
  if (std::optional<StringRef> text = op.getHw()) {
    llvm::Expected<hw::HwDesc> hw = hw::parseHwDesc(*text);
    if (!hw)
      return op.emitOpError() << llvm::toString(hw.takeError());
    p.hw = std::move(*hw);
  } else {
    p.hw = hw::defaultHwDesc();
  }
  int64_t dramBytes = op.getDramBytesAttr().getInt();
  if (dramBytes <= 0)
    return op.emitOpError("dram_bytes must be positive");
  p.dramBytes = dramBytes;

  llvm::SmallVector<Operation *> instOps;
  for (Operation &nested : op.getBody().front()) {
    if (auto t = dyn_cast<TensorOp>(nested)) {
      isa::TensorDesc desc = tensorFrom(t.getSymName(), t.getDesc());
      (t.getKind() == TensorKind::Input ? p.inputs : p.outputs)
          .push_back(std::move(desc));
    } else if (auto s = dyn_cast<SegmentOp>(nested)) {
      auto dense = dyn_cast<DenseElementsAttr>(s.getData());
      int64_t dram = s.getDramAttr().getInt();
      if (!dense || dram < 0)
        return s.emitOpError("needs dense i8 data and a non-negative address");
      // A splat expands to its full size: it must lie in the program's DRAM
      // (validation says so of every segment, but only once it exists).
      int64_t size = dense.getNumElements();
      if (size > dramBytes - dram)
        return s.emitOpError("constant segment '")
               << s.getSymName() << "' is outside DRAM";
      if (llvm::Error e =
              checkAllocation("constant segment '" + s.getSymName() + "'",
                              {size}, 1)
                  .takeError())
        return s.emitOpError(llvm::toString(std::move(e)));
      ArrayRef<char> raw = dense.getRawData();
      std::string bytes = dense.isSplat()
                              ? std::string(dense.getNumElements(), raw[0])
                              : std::string(raw.begin(), raw.end());
      p.segments.push_back(
          {s.getSymName().str(), uint64_t(dram), std::move(bytes)});
    } else if (std::optional<isa::Instruction> inst = toInstruction(&nested)) {
      if (auto host = dyn_cast<HostOp>(nested)) {
        isa::HostOp entry;
        entry.kind = stringifyHostKind(host.getKind()).str();
        for (auto [j, t] : llvm::enumerate(host.getInputs()))
          entry.inputs.push_back(tensorFrom(host.getInputs().size() == 1
                                                ? "input"
                                                : "input" + std::to_string(j),
                                            cast<TensorAttr>(t)));
        entry.output = tensorFrom("output", host.getOutput());
        entry.axis = host.getAxisAttr().getInt();
        if (std::optional<ArrayRef<int64_t>> ints = host.getInts())
          entry.ints.assign(ints->begin(), ints->end());
        if (std::optional<ArrayRef<double>> reals = host.getReals())
          entry.reals.assign(reals->begin(), reals->end());
        uint64_t index = host.getIndex();
        if (index > p.hostOps.size())
          return host.emitOpError()
                 << "index " << index << " skips " << p.hostOps.size()
                 << "; indices are numbered by first use";
        if (index == p.hostOps.size()) {
          p.hostOps.push_back(entry);
        } else {
          const isa::HostOp &prev = p.hostOps[index];
          auto same = [](const isa::TensorDesc &a, const isa::TensorDesc &b) {
            return a.dram == b.dram && a.shape == b.shape && a.bits == b.bits;
          };
          if (prev.kind != entry.kind || prev.axis != entry.axis ||
              prev.inputs.size() != entry.inputs.size() ||
              !llvm::all_of(llvm::zip_equal(prev.inputs, entry.inputs),
                            [&](auto p) {
                              return same(std::get<0>(p), std::get<1>(p));
                            }) ||
              !same(prev.output, entry.output) || prev.ints != entry.ints ||
              prev.reals != entry.reals)
            return host.emitOpError()
                   << "reuses index " << index << " with a different entry";
        }
      }
      std::string name = layerName(nested.getLoc());
      uint64_t pc = p.code.size();
      if (!name.empty()) {
        if (!p.debug.empty() && p.debug.back().end == pc &&
            p.debug.back().name == name)
          p.debug.back().end = pc + 1;
        else
          p.debug.push_back({pc, pc + 1, name});
      }
      p.code.push_back(*inst);
      instOps.push_back(&nested);
    } else {
      return nested.emitOpError("cannot appear in an escisa.program");
    }
  }
  isa::ProgramShape shape{&p.hw, p.dramBytes, p.hostOps.size()};
  for (auto [inst, instOp] : llvm::zip_equal(p.code, instOps))
    if (llvm::Error err = isa::validate(inst, shape))
      return instOp->emitOpError() << llvm::toString(std::move(err));
  if (llvm::Error err = isa::validateProgram(p))
    return op.emitOpError() << llvm::toString(std::move(err));
  return p;
}

// Whole-program checks (hardware limits, bounds, declarations) are
// escisa-validate's and the translation's: a verifier runs after every pass
// and should not rebuild the program each time.
LogicalResult ProgramOp::verifyRegions() {
  if (getDramBytes() <= 0)
    return emitOpError("dram_bytes must be positive");
  for (Operation &nested : getBody().front())
    if (!llvm::isa<TensorOp, SegmentOp>(nested) && !toInstruction(&nested))
      return nested.emitOpError("cannot appear in an escisa.program");
  return success();
}

TensorOp escisa::createTensor(OpBuilder &b, Location loc, TensorKind kind,
                              const isa::TensorDesc &t) {
  return TensorOp::create(b, loc, kind, t.name, tensorAttr(b, t));
}

SegmentOp escisa::createSegment(OpBuilder &b, Location loc, StringRef name,
                                uint64_t dram, StringRef bytes) {
  auto type = RankedTensorType::get({int64_t(bytes.size())},
                                    IntegerType::get(b.getContext(), 8));
  return SegmentOp::create(
      b, loc, b.getStringAttr(name), b.getI64IntegerAttr(dram),
      cast<DenseIntElementsAttr>(DenseElementsAttr::getFromRawBuffer(
          type, ArrayRef<char>(bytes.data(), bytes.size()))));
}

Operation *escisa::createInstruction(OpBuilder &b, Location loc,
                                     const isa::Instruction &inst,
                                     const isa::HostOp *host) {
  const isa::OpcodeDesc &d = isa::describe(inst.opcode);
  OperationState state(loc, ("escisa." + StringRef(d.mnemonic)).str());
  for (auto [i, field] : llvm::enumerate(d.fields))
    state.addAttribute(field.name, b.getI64IntegerAttr(inst.f[i]));
  if (host) {
    // The binary's loader has checked the kind against the same table.
    std::optional<HostKind> kind = symbolizeHostKind(host->kind);
    state.addAttribute("kind", HostKindAttr::get(b.getContext(),
                                                 kind.value_or(HostKind{})));
    state.addAttribute("axis", b.getI64IntegerAttr(host->axis));
    llvm::SmallVector<Attribute> inputs;
    for (const isa::TensorDesc &t : host->inputs)
      inputs.push_back(tensorAttr(b, t));
    state.addAttribute("inputs", b.getArrayAttr(inputs));
    state.addAttribute("output", tensorAttr(b, host->output));
    if (!host->ints.empty())
      state.addAttribute("ints", b.getDenseI64ArrayAttr(host->ints));
    if (!host->reals.empty())
      state.addAttribute("reals", b.getDenseF64ArrayAttr(host->reals));
  }
  return b.create(state);
}

StringAttr escisa::hwAttr(Builder &b, const hw::HwDesc &hw) {
  return hw.canonicalJson == hw::defaultHwDesc().canonicalJson
             ? StringAttr()
             : b.getStringAttr(hw.canonicalJson);
}

ProgramOp escisa::fromProgram(OpBuilder &builder, Location loc,
                              const isa::Program &p) {
  MLIRContext *ctx = builder.getContext();
  auto program =
      ProgramOp::create(builder, loc, builder.getI64IntegerAttr(p.dramBytes),
                        hwAttr(builder, p.hw));
  Block *body = new Block();
  program.getBody().push_back(body);
  OpBuilder b = OpBuilder::atBlockEnd(body);
  for (const isa::TensorDesc &t : p.inputs)
    createTensor(b, loc, TensorKind::Input, t);
  for (const isa::TensorDesc &t : p.outputs)
    createTensor(b, loc, TensorKind::Output, t);
  for (const isa::Segment &s : p.segments)
    createSegment(b, loc, s.name, s.dram, s.data);
  for (auto [pc, inst] : llvm::enumerate(p.code)) {
    const isa::DebugRange *range = p.layerOf(pc);
    Location instLoc =
        range ? Location(NameLoc::get(b.getStringAttr(range->name)))
              : UnknownLoc::get(ctx);
    createInstruction(b, instLoc, inst,
                      inst.opcode == isa::Opcode::Host
                          ? &p.hostOps[inst[isa::host::Index]]
                          : nullptr);
  }
  return program;
}
