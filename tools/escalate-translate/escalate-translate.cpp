//===- escalate-translate.cpp - conversions into and out of MLIR ----------===//
//
// --import-onnx: binary or protobuf-text ONNX to the escalate dialect.
//
//===----------------------------------------------------------------------===//
#include "escalate/Import/OnnxImporter.h"
#include "escalate/InitAll.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

static llvm::cl::list<std::string> inputShapes(
    "input-shape",
    llvm::cl::desc("Fix a graph input's shape: name:1x3x224x224 (repeatable)"),
    llvm::cl::value_desc("name:dims"));

int main(int argc, char **argv) {
  TranslateToMLIRRegistration importOnnx(
      "import-onnx", "Import an ONNX model (binary or protobuf text)",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *ctx) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buf =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        escalate::ImportOptions options;
        for (const std::string &spec : inputShapes)
          if (llvm::Error err = escalate::parseInputShape(spec, options)) {
            emitError(UnknownLoc::get(ctx)) << llvm::toString(std::move(err));
            return nullptr;
          }
        escalate::ImportResult result = escalate::importOnnx(
            buf->getBuffer(), buf->getBufferIdentifier(), options, ctx);
        return OwningOpRef<Operation *>(result.module.release());
      },
      [](DialectRegistry &registry) {
        escalate::registerAllDialects(registry);
      });
  return failed(mlirTranslateMain(argc, argv, "ESCALATE translation driver"));
}
