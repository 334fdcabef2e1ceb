//===- Escb.h - escisa.program <-> .escb translations -----------*- C++ -*-===//
//
// The one place where a module's escisa.program becomes the binary the
// simulator loads, and back. Tools, the Python API and the search all go
// through here.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_TARGET_ESCB_ESCB_H
#define ESCALATE_TARGET_ESCB_ESCB_H

#include "escalate/Hardware/Binary.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include <functional>

namespace escalate::escb {

/// The module's (first) escisa.program in the binary's form, checked as the
/// loader checks it; problems are reported as diagnostics.
mlir::FailureOr<isa::Program> programOf(mlir::ModuleOp module);

/// The .escb bytes of the module's program.
mlir::FailureOr<std::string> translateToEscb(mlir::ModuleOp module);

/// The program as a listing (escalate-compile --emit asm): a header, then
/// one line per instruction with its fields, layers marked by comments.
void printListing(const isa::Program &program, llvm::raw_ostream &os);

/// A module holding the program of the binary `bytes` (the disassembler);
/// instructions in a layer's debug range get loc("layer"). Errors are
/// reported at `loc`.
mlir::OwningOpRef<mlir::ModuleOp> translateFromEscb(llvm::StringRef bytes,
                                                    mlir::Location loc);

/// Registers escisa-to-bin and bin-to-escisa with mlir-translate's
/// registry; escisa text is read at most `maxNesting()` brackets deep (a
/// callback, as the limit is a flag parsed after registration).
void registerEscbTranslations(std::function<int()> maxNesting);

} // namespace escalate::escb

#endif
