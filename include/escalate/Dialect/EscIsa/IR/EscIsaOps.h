//===- EscIsaOps.h - the instruction-level dialect --------------*- C++ -*-===//
#ifndef ESCALATE_DIALECT_ESCISA_IR_ESCISAOPS_H
#define ESCALATE_DIALECT_ESCISA_IR_ESCISAOPS_H

#include "escalate/ISA/Binary.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/RegionKindInterface.h"

#include "escalate/Dialect/EscIsa/IR/EscIsaDialect.h.inc"

#define GET_OP_CLASSES
#include "escalate/Dialect/EscIsa/IR/EscIsaOps.h.inc"

namespace escalate::escisa {

/// The instruction an op encodes, if it is an instruction op.
std::optional<isa::Instruction> toInstruction(mlir::Operation *op);

/// Gathers a program op into the binary's form, checking everything the
/// loader checks; problems are reported as diagnostics on the ops.
mlir::FailureOr<isa::Program> toProgram(ProgramOp op);

/// The inverse (the disassembler): instructions inside a debug range get
/// loc("layer name").
ProgramOp fromProgram(mlir::OpBuilder &builder, mlir::Location loc,
                      const isa::Program &program);

} // namespace escalate::escisa

#endif
