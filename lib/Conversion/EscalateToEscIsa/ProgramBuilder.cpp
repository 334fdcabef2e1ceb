//===- ProgramBuilder.cpp - the program the conversion patterns fill ------===//
#include "ProgramBuilder.h"
#include "escalate/Dialect/Escalate/Utils/Reports.h"
#include "escalate/Hardware/HostOps.h"
#include "escalate/Hardware/Timing.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/bit.h"

using namespace mlir;
using namespace escalate;
using namespace escalate::conversion;

namespace {
uint64_t align(uint64_t v) {
  return (v + hw::kDramAlign - 1) / hw::kDramAlign * hw::kDramAlign;
}
uint64_t imageBytes(RankedTensorType t) {
  return uint64_t(t.getNumElements()) * (storageBits(t) / 8) /
         uint64_t(std::max<int64_t>(1, t.getDimSize(0)));
}
} // namespace

ProgramBuilder::ProgramBuilder(const hw::HwDesc &hw, escisa::ProgramOp program,
                               uint64_t constBase, uint64_t maxInstructions)
    : hw(hw), program(program), maxInstructions(maxInstructions),
      cursor(align(constBase)) {}

codegen::DramView ProgramBuilder::view(Value v) {
  Operation *def = v.getDefiningOp();
  auto dram = def ? def->getAttrOfType<DramAttr>(kDramAttr) : DramAttr();
  if (!dram)
    return {};
  return {dram.getBase(), dram.getImageStride(), dram.getChannelStride()};
}

LogicalResult ProgramBuilder::needContiguous(Operation *op, Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  Operation *def = v.getDefiningOp();
  codegen::DramView at = view(v);
  if (at.channelStride)
    return op->emitOpError("needs a contiguous tensor, but its operand is "
                           "placed inside an interleave");
  if (!def || !def->hasAttr(kDramAttr) || t.getDimSize(0) <= 1 ||
      at.imageStride == imageBytes(t))
    return success();
  return op->emitOpError("needs a contiguous tensor, but its operand lives "
                         "inside a concat with batch > 1");
}

isa::TensorDesc ProgramBuilder::describe(StringRef name, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  quant::UniformQuantizedType q = quantType(type);
  isa::TensorDesc t;
  t.name = name.str();
  t.dram = view(v).base;
  t.shape.assign(type.getShape().begin(), type.getShape().end());
  t.bits = storageBits(type);
  t.scale = q.getScale();
  t.zeroPoint = q.getZeroPoint();
  return t;
}

void ProgramBuilder::insertAfterFirst(RewriterBase &r,
                                      ArrayRef<Operation *> anchors) {
  for (Operation *anchor : anchors)
    if (anchor)
      return r.setInsertionPointAfter(anchor);
  r.setInsertionPointToStart(&program.getBody().front());
}

void ProgramBuilder::declareInput(RewriterBase &r, const isa::TensorDesc &t) {
  OpBuilder::InsertionGuard guard(r);
  insertAfterFirst(r, {lastInput});
  lastInput = escisa::createTensor(r, program.getLoc(), escisa::TensorKind::Input, t);
}

void ProgramBuilder::declareOutput(RewriterBase &r, const isa::TensorDesc &t) {
  OpBuilder::InsertionGuard guard(r);
  insertAfterFirst(r, {lastOutput, lastInput});
  lastOutput = escisa::createTensor(r, program.getLoc(), escisa::TensorKind::Output, t);
}

LogicalResult ProgramBuilder::checkLength(Operation *op) {
  if (instructions <= maxInstructions)
    return success();
  return op->emitOpError() << "brings the program past the limit of "
                           << maxInstructions
                           << " instructions; raise it with --max-instructions";
}

LogicalResult ProgramBuilder::appendLayer(RewriterBase &r, Operation *op,
                                          StringRef kind,
                                          const codegen::LayerCode &code,
                                          TileAttr tile) {
  OpBuilder::InsertionGuard guard(r);
  std::string name = layerName(op);
  if (!code.constants.empty())
    appendSegment(r, name, code.constants);
  r.setInsertionPointToEnd(&program.getBody().front());
  Location loc = NameLoc::get(r.getStringAttr(name));
  for (const codegen::Step &s : code.steps)
    escisa::createInstruction(r, loc, s.inst, nullptr);
  instructions += code.steps.size();

  auto i64 = [&](int64_t v) { return r.getI64IntegerAttr(v); };
  NamedAttrList sram;
  for (unsigned b = 0; b < hw::kNumBuffers; ++b)
    sram.append(hw::bufferName(hw::Buffer(b)), i64(code.peakBytes[b]));
  NamedAttrList tiling;
  tiling.append("rows", i64(tile.getRows()));
  tiling.append("cols", i64(tile.getCols()));
  tiling.append("in_channels", i64(tile.getInChannels()));
  tiling.append("out_channels", i64(tile.getOutChannels()));
  tiling.append("order", r.getStringAttr(stringifyTileOrder(tile.getOrder())));
  tiling.append("double_buffer", r.getBoolAttr(tile.getDoubleBuffer()));
  auto channels = [&](Value v) {
    return i64(cast<RankedTensorType>(v.getType()).getDimSize(1));
  };
  NamedAttrList record;
  record.append("name", r.getStringAttr(name));
  record.append("kind", r.getStringAttr(kind));
  record.append("in_channels", channels(op->getOperand(0)));
  record.append("out_channels", channels(op->getResult(0)));
  record.append("instructions", i64(code.steps.size()));
  record.append("tile", tiling.getDictionary(r.getContext()));
  record.append("estimated_cycles", i64(tile.getCycles()));
  record.append("estimated_dram_bytes", i64(tile.getDramBytes()));
  record.append("constant_bytes", i64(code.constants.size()));
  record.append("weights", weightRecord(r, op));
  record.append("sram_bytes", sram.getDictionary(r.getContext()));
  layers.push_back(record.getDictionary(r.getContext()));
  return checkLength(op);
}

DictionaryAttr ProgramBuilder::weightRecord(Builder &b, Operation *op) {
  NamedAttrList o;
  auto sparsity = [&](Value v, StringRef count, StringRef fraction) {
    ElementsAttr attr;
    if (!matchPattern(v, m_Constant(&attr)))
      return;
    FailureOr<int64_t> counted = countNonzero(attr);
    if (mlir::failed(counted))
      return;
    int64_t n = attr.getNumElements(), nonzero = *counted;
    o.append(count, b.getI64IntegerAttr(nonzero));
    o.append(fraction, b.getF64FloatAttr(n ? 1.0 - double(nonzero) / n : 0.0));
  };
  if (auto dec = dyn_cast<QDecomposedConvOp>(op)) {
    o.append(
        "bases",
        b.getI64IntegerAttr(
            cast<RankedTensorType>(dec.getBases().getType()).getDimSize(0)));
    sparsity(dec.getCoefficients(), "nonzero_coefficients",
             "coefficient_sparsity");
  } else if (auto conv = dyn_cast<QConvOp>(op)) {
    sparsity(conv.getWeight(), "nonzero_weights", "weight_sparsity");
  }
  return o.getDictionary(b.getContext());
}

uint64_t ProgramBuilder::appendSegment(RewriterBase &r, StringRef name,
                                       StringRef bytes) {
  OpBuilder::InsertionGuard guard(r);
  insertAfterFirst(r, {lastSegment, lastOutput, lastInput});
  uint64_t at = cursor;
  lastSegment = escisa::createSegment(r, program.getLoc(), name, at, bytes);
  cursor = align(cursor + bytes.size());
  return at;
}

uint64_t ProgramBuilder::hostConstant(RewriterBase &r, Value v,
                                      StringRef name) {
  auto [it, inserted] = hostConstants.try_emplace(v, 0);
  if (!inserted)
    return it->second;
  // The host pattern checked that `v` is a float constant.
  FailureOr<Tensor> value = constantValue(v);
  std::string bytes;
  for (float f : value->f32()) {
    uint32_t word = llvm::bit_cast<uint32_t>(f);
    for (unsigned i = 0; i < 4; ++i)
      bytes.push_back(char(word >> (8 * i)));
  }
  hostConstantBytes += bytes.size();
  return it->second = appendSegment(r, name, bytes);
}

LogicalResult ProgramBuilder::appendHost(RewriterBase &r, Operation *op,
                                         const isa::HostOp &entry) {
  OpBuilder::InsertionGuard guard(r);
  r.setInsertionPointToEnd(&program.getBody().front());
  isa::Instruction inst;
  inst.opcode = isa::Opcode::Host;
  inst.f[isa::host::Index] = hostOps++;
  std::string name = layerName(op);
  escisa::createInstruction(r, NameLoc::get(r.getStringAttr(name)), inst,
                            &entry);
  ++instructions;
  uint64_t bytes = entry.output.bytes();
  for (const isa::TensorDesc &t : entry.inputs)
    bytes += t.bytes();
  auto i64 = [&](int64_t v) { return r.getI64IntegerAttr(v); };
  NamedAttrList record;
  record.append("name", r.getStringAttr(name));
  record.append("kind", r.getStringAttr("host " + entry.kind));
  record.append("unit", r.getStringAttr("host"));
  record.append("instructions", i64(1));
  record.append("estimated_cycles",
                i64(isa::hostCycles(hw, isa::hostWork(entry))));
  record.append("estimated_dram_bytes", i64(bytes));
  record.append("constant_bytes", i64(hostConstantBytes));
  hostConstantBytes = 0;
  layers.push_back(record.getDictionary(r.getContext()));
  return checkLength(op);
}

void ProgramBuilder::finish(RewriterBase &r, DramPlanAttr plan) {
  OpBuilder::InsertionGuard guard(r);
  r.setInsertionPointToEnd(&program.getBody().front());
  isa::Instruction halt;
  halt.opcode = isa::Opcode::Halt;
  escisa::createInstruction(r, UnknownLoc::get(r.getContext()), halt, nullptr);
  program.setDramBytes(std::max<uint64_t>(cursor, hw::kDramAlign));
  program->setAttr(escisa::kLayerRecordsAttr, r.getArrayAttr(layers));
  NamedAttrList arena;
  arena.append("activation_arena_bytes",
               r.getI64IntegerAttr(plan.getArenaBytes()));
  arena.append("activation_bytes_without_reuse",
               r.getI64IntegerAttr(plan.getUnsharedBytes()));
  arena.append("activation_buffers", r.getI64IntegerAttr(plan.getBuffers()));
  program->setAttr(escisa::kArenaRecordAttr,
                   arena.getDictionary(r.getContext()));
}
