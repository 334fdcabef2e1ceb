//===- EscIsaOps.h - the instruction-level dialect --------------*- C++ -*-===//
#ifndef ESCALATE_DIALECT_ESCISA_IR_ESCISAOPS_H
#define ESCALATE_DIALECT_ESCISA_IR_ESCISAOPS_H

#include "escalate/Hardware/Binary.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/RegionKindInterface.h"

#include "escalate/Dialect/EscIsa/IR/EscIsaDialect.h.inc"
#include "escalate/Dialect/EscIsa/IR/EscIsaEnums.h.inc"

namespace escalate::escisa {
/// Parses a tensor's scale (any float literal).
mlir::FailureOr<llvm::APFloat> parseScale(mlir::AsmParser &parser);
} // namespace escalate::escisa

#define GET_ATTRDEF_CLASSES
#include "escalate/Dialect/EscIsa/IR/EscIsaAttrs.h.inc"

#define GET_OP_CLASSES
#include "escalate/Dialect/EscIsa/IR/EscIsaOps.h.inc"

namespace escalate::escisa {

/// Records convert-escalate-to-escisa leaves on a program for escisa-report
/// (which removes them): an array with one dictionary per layer, and a
/// dictionary describing the activation arena.
constexpr llvm::StringLiteral kLayerRecordsAttr = "escisa.layers";
constexpr llvm::StringLiteral kArenaRecordAttr = "escisa.arena";

/// The instruction an op encodes, if it is an instruction op.
std::optional<isa::Instruction> toInstruction(mlir::Operation *op);

/// Gathers a program op into the binary's form, checking everything the
/// loader checks; problems are reported as diagnostics on the ops.
mlir::FailureOr<isa::Program> toProgram(ProgramOp op);

/// Builders of the program's ops, shared by the disassembler and
/// convert-escalate-to-escisa. `host` is the host-op table entry a Host
/// instruction selects (null otherwise).
TensorOp createTensor(mlir::OpBuilder &b, mlir::Location loc, TensorKind kind,
                      const isa::TensorDesc &t);
SegmentOp createSegment(mlir::OpBuilder &b, mlir::Location loc,
                        llvm::StringRef name, uint64_t dram,
                        llvm::StringRef bytes);
mlir::Operation *createInstruction(mlir::OpBuilder &b, mlir::Location loc,
                                   const isa::Instruction &inst,
                                   const isa::HostOp *host);
/// The program's `hw` attribute for `hw`: none for the built-in one.
mlir::StringAttr hwAttr(mlir::Builder &b, const hw::HwDesc &hw);

/// The inverse (the disassembler): instructions inside a debug range get
/// loc("layer name").
ProgramOp fromProgram(mlir::OpBuilder &builder, mlir::Location loc,
                      const isa::Program &program);

} // namespace escalate::escisa

#endif
