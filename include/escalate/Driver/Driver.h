//===- Driver.h - ONNX to compiled module, and how errors read --*- C++ -*-===//
//
// What escalate-compile, the Python API and the search share: import plus
// the registered pipeline, and one way of turning a diagnostic into the
// line a user reads ("model.onnx: error: node '/conv1/Conv': ...").
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_DRIVER_DRIVER_H
#define ESCALATE_DRIVER_DRIVER_H

#include "escalate/Driver/Accuracy.h"
#include "escalate/Import/OnnxImporter.h"
#include "escalate/Pipelines/Pipelines.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ThreadPool.h"
#include <optional>

namespace escalate::driver {

/// Imports the ONNX bytes `model` (`name` labels messages) and runs the
/// `escalate-compile` pipeline with `options` on it. `configure` may add
/// instrumentation to the pass manager, or look at the imported module,
/// before the pipeline runs. Errors are emitted
/// as diagnostics on `ctx`; null on failure, with `*unsupported` (if
/// given) set when the import found a valid model using something the
/// project does not support.
mlir::OwningOpRef<mlir::ModuleOp>
compileOnnx(mlir::MLIRContext &ctx, llvm::StringRef model, llvm::StringRef name,
            const ImportOptions &importOptions, const CompileOptions &options,
            llvm::function_ref<void(mlir::PassManager &, mlir::ModuleOp)>
                configure = {},
            bool *unsupported = nullptr);

/// A context whose passes run on `jobs` threads (0: all cores, 1: none),
/// as escalate-compile's -j; the pool, a member before the context,
/// outlives it.
class ThreadedContext {
public:
  ThreadedContext(const mlir::DialectRegistry &registry, unsigned jobs);
  mlir::MLIRContext &get() { return ctx; }

private:
  std::optional<llvm::DefaultThreadPool> pool;
  mlir::MLIRContext ctx;
};

/// Bytes of the float weights and biases of the convolutions and Gemms of
/// an imported model: what compression is measured against.
uint64_t floatWeightBytes(mlir::ModuleOp imported);

/// What escalate-compile prints when it finishes: the mode and hardware, a
/// line per layer (kind, weights kept, estimated cycles, encoded bytes) and
/// the totals, read from the compile report (escisa-report's JSON), the
/// measured output accuracy (or why it could not be measured), then where
/// the report is (`reportPath`, if the user asked for one).
void printSummary(llvm::raw_ostream &os, const CompileOptions &options,
                  const llvm::json::Object &report, uint64_t floatBytes,
                  const OutputAccuracy &accuracy,
                  llvm::StringRef reportPath, double seconds);

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
