//===- EscIsaOps.cpp - escisa dialect, instruction syntax and verifiers ---===//
//
// Every instruction op prints and parses the same way, from the ISA field
// table: `escisa.conv mode = basis, format = delta, ...` in encoding order.
//
//===----------------------------------------------------------------------===//
#include "escalate/Dialect/EscIsa/IR/EscIsaOps.h"
#include "llvm/ADT/StringExtras.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace escalate;
using namespace escalate::escisa;

#include "escalate/Dialect/EscIsa/IR/EscIsaDialect.cpp.inc"
#include "escalate/Dialect/EscIsa/IR/EscIsaEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "escalate/Dialect/EscIsa/IR/EscIsaAttrs.cpp.inc"

void EscIsaDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "escalate/Dialect/EscIsa/IR/EscIsaOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "escalate/Dialect/EscIsa/IR/EscIsaAttrs.cpp.inc"
      >();
}

FailureOr<APFloat> escisa::parseScale(AsmParser &parser) {
  double value;
  if (parser.parseFloat(value))
    return failure();
  return APFloat(value);
}

LogicalResult
TensorAttr::verify(function_ref<InFlightDiagnostic()> emitError, int64_t dram,
                   ArrayRef<int64_t> shape, int64_t bits, APFloat scale,
                   int64_t zeroPoint) {
  if (dram < 0 || bits < 0)
    return emitError() << "dram and bits must be non-negative";
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
    return emitError() << "dimensions must be non-negative";
  if (!scale.isFinite() || scale.convertToDouble() < 0)
    return emitError() << "scale must be finite and non-negative";
  return success();
}

namespace {
ParseResult parseInstruction(OpAsmParser &parser, OperationState &state,
                             isa::Opcode opcode) {
  Builder &b = parser.getBuilder();
  for (auto [i, field] : llvm::enumerate(isa::describe(opcode).fields)) {
    if (i && parser.parseComma())
      return failure();
    SMLoc at = parser.getCurrentLocation();
    StringRef name;
    if (parser.parseKeyword(&name) || parser.parseEqual())
      return failure();
    if (name != field.name)
      return parser.emitError(at, "expected field '")
             << field.name << "', found '" << name << "'";
    int64_t value;
    if (field.enumeration) {
      at = parser.getCurrentLocation();
      StringRef word;
      if (parser.parseKeyword(&word))
        return failure();
      llvm::ArrayRef<const char *> names = field.enumeration->keywords;
      auto it = llvm::find(names, word);
      if (it == names.end())
        return parser.emitError(at, "field '")
               << field.name << "' must be one of: " << llvm::join(names, ",");
      value = it - names.begin();
    } else if (parser.parseInteger(value)) {
      return failure();
    }
    state.addAttribute(field.name, b.getI64IntegerAttr(value));
  }
  return parser.parseOptionalAttrDict(state.attributes);
}

void printInstruction(Operation *op, OpAsmPrinter &p, isa::Opcode opcode) {
  llvm::SmallVector<StringRef> elided;
  for (auto [i, field] : llvm::enumerate(isa::describe(opcode).fields)) {
    p << (i ? ", " : " ") << field.name << " = ";
    int64_t v = cast<IntegerAttr>(op->getAttr(field.name)).getInt();
    if (field.enumeration)
      p << field.enumeration->keywords[v];
    else
      p << v;
    elided.push_back(field.name);
  }
  p.printOptionalAttrDict(op->getAttrs(), elided);
}

LogicalResult verifyInstruction(Operation *op) {
  std::optional<isa::Instruction> inst = toInstruction(op);
  if (llvm::Error err = isa::checkFields(*inst))
    return op->emitOpError() << llvm::toString(std::move(err));
  return success();
}
} // namespace

#define INSTRUCTION_SYNTAX(OP)                                                 \
  ParseResult OP::parse(OpAsmParser &parser, OperationState &state) {          \
    return parseInstruction(parser, state, kOpcode);                           \
  }                                                                            \
  void OP::print(OpAsmPrinter &p) { printInstruction(*this, p, kOpcode); }     \
  LogicalResult OP::verify() { return verifyInstruction(*this); }

INSTRUCTION_SYNTAX(LoadOp)
INSTRUCTION_SYNTAX(StoreOp)
INSTRUCTION_SYNTAX(ConvOp)
INSTRUCTION_SYNTAX(RequantOp)
INSTRUCTION_SYNTAX(LutOp)
INSTRUCTION_SYNTAX(PoolOp)
INSTRUCTION_SYNTAX(EltwiseOp)
INSTRUCTION_SYNTAX(HostOp)
INSTRUCTION_SYNTAX(HaltOp)
#undef INSTRUCTION_SYNTAX

std::optional<isa::Instruction> escisa::toInstruction(Operation *op) {
  std::optional<isa::Opcode> opcode =
      llvm::TypeSwitch<Operation *, std::optional<isa::Opcode>>(op)
          .Case<LoadOp, StoreOp, ConvOp, RequantOp, LutOp, PoolOp, EltwiseOp,
                HostOp, HaltOp>([](auto inst) { return inst.kOpcode; })
          .Default([](Operation *) { return std::nullopt; });
  if (!opcode)
    return std::nullopt;
  isa::Instruction inst;
  inst.opcode = *opcode;
  for (auto [i, field] : llvm::enumerate(isa::describe(*opcode).fields))
    if (auto attr = op->getAttrOfType<IntegerAttr>(field.name))
      inst.f[i] = attr.getInt();
  return inst;
}

#define GET_OP_CLASSES
#include "escalate/Dialect/EscIsa/IR/EscIsaOps.cpp.inc"
