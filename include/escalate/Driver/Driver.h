//===- Driver.h - ONNX to compiled module, and how errors read --*- C++ -*-===//
//
// What escalate-compile, the Python API and the search share: import plus
// the registered pipeline, and one way of turning a diagnostic into the
// line a user reads ("model.onnx: error: node '/conv1/Conv': ...").
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_DRIVER_DRIVER_H
#define ESCALATE_DRIVER_DRIVER_H

#include "escalate/Import/OnnxImporter.h"
#include "escalate/Pipelines/Pipelines.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"

namespace escalate::driver {

/// Imports the ONNX bytes `model` (`name` labels messages) and runs the
/// `escalate-compile` pipeline with `options` on it. `configure` may add
/// instrumentation to the pass manager before it runs. Errors are emitted
/// as diagnostics on `ctx`; null on failure.
mlir::OwningOpRef<mlir::ModuleOp>
compileOnnx(mlir::MLIRContext &ctx, llvm::StringRef model, llvm::StringRef name,
            const ImportOptions &importOptions, const CompileOptions &options,
            llvm::function_ref<void(mlir::PassManager &)> configure = {});

/// The parts of a diagnostic a message shows: the file and the ONNX node
/// (a FileLineColLoc and a NameLoc anywhere in its location), and the text
/// with "node '<node>': " in front unless the text already names it.
struct Message {
  std::string file, node, text;
};
Message describe(mlir::Diagnostic &diag);

/// Prints `diag` as the tools do: "<file or tool>: error: <text>", with
/// the severity coloured when `os` is a terminal.
void print(llvm::raw_ostream &os, llvm::StringRef tool, mlir::Diagnostic &diag);

} // namespace escalate::driver

#endif
