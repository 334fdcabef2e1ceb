//===- OnnxImporter.h - ONNX model to escalate dialect ----------*- C++ -*-===//
#ifndef ESCALATE_IMPORT_ONNXIMPORTER_H
#define ESCALATE_IMPORT_ONNXIMPORTER_H

#include "escalate/Support/Nesting.h"
#include "escalate/Support/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace escalate {

struct ImportOptions {
  /// Shapes that replace the declared ones of graph inputs, by input name.
  llvm::StringMap<llvm::SmallVector<int64_t, 4>> inputShapes;
  /// Graph inputs replaced by these constant values (and removed from the
  /// function's arguments): specialises a model whose shapes, axes or
  /// bounds arrive as inputs.
  llvm::StringMap<Tensor> frozenInputs;
  /// Limits on what a model from elsewhere may ask for (--max-nodes,
  /// --max-tensor-elements): graph nodes, and elements of any graph input or
  /// initializer.
  int64_t maxNodes = 1 << 20;
  int64_t maxTensorElements = int64_t(1) << 32;
  /// Nesting of protobuf messages (subgraphs in attributes) the parser
  /// follows (--max-nesting).
  int maxNesting = kDefaultMaxNesting;
  /// Float and quantized tensors with a zero-size dimension are refused
  /// (nothing to compile) unless this is set: the reference interpreter
  /// (escalate-run) computes their empty results, as ONNX defines them.
  bool allowEmptyTensors = false;
};

/// Rejects limits that are not positive.
llvm::Error checkImportLimits(const ImportOptions &options);

/// Why an import failed: the model is outside what we support (an op, an
/// opset or a dtype), or it is malformed. Tools map them to distinct exit
/// codes so conformance runs can tell "not supported" from "broken".
enum class ImportFailure { None, Unsupported, Invalid };

struct ImportResult {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  ImportFailure failure = ImportFailure::Invalid;
};

/// Imports a binary or protobuf-text ONNX model held in `bytes`. `path` names
/// the model for messages and locates external data files (read relative to
/// its folder). Errors are reported as MLIR diagnostics naming the node,
/// tensor or input at fault. The result is one `func.func @main`.
ImportResult importOnnx(llvm::StringRef bytes, llvm::StringRef path,
                        const ImportOptions &options, mlir::MLIRContext *ctx);

/// Parses "name:1x3x224x224" into `options.inputShapes`.
llvm::Error parseInputShape(llvm::StringRef spec, ImportOptions &options);

/// Parses "name=FILE" (a .npy or .pb tensor) into `options.frozenInputs`:
/// the graph input becomes a constant (weights or shapes fed as inputs).
llvm::Error parseFrozenInput(llvm::StringRef spec, ImportOptions &options);

/// One supported ONNX operator and the opset range we handle.
struct SupportedOp {
  llvm::StringRef name;
  int64_t minOpset, maxOpset;
  llvm::StringRef notes;
};
std::vector<SupportedOp> supportedOnnxOps();
constexpr int64_t kMinOpset = 1, kMaxOpset = 21;

} // namespace escalate

#endif
