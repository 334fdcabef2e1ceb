//===- OnnxImportFuzzer.cpp - the ONNX importer on arbitrary bytes --------===//
//
// Binary and protobuf-text models: the import must end in a module or in
// diagnostics, never in a crash, a hang or a memory error.
//
//===----------------------------------------------------------------------===//
#include "escalate/Dialect/Escalate/IR/EscalateDialect.h"
#include "escalate/Import/OnnxImporter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Diagnostics.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::DialectRegistry registry;
  registry.insert<escalate::EscalateDialect, mlir::func::FuncDialect,
                  mlir::quant::QuantDialect>();
  mlir::MLIRContext ctx(registry, mlir::MLIRContext::Threading::DISABLED);
  ctx.loadAllAvailableDialects();
  mlir::ScopedDiagnosticHandler quiet(
      &ctx, [](mlir::Diagnostic &) { return mlir::success(); });
  escalate::ImportOptions options;
  // The fuzzer's directory holds no external data; paths stay inside it.
  escalate::importOnnx(
      llvm::StringRef(reinterpret_cast<const char *>(data), size),
      "fuzz/model.onnx", options, &ctx);
  return 0;
}
