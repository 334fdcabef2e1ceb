//===- Driver.cpp - ONNX to compiled module, and how errors read ----------===//
#include "escalate/Driver/Driver.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace escalate;

OwningOpRef<ModuleOp>
driver::compileOnnx(MLIRContext &ctx, StringRef model, StringRef name,
                    const ImportOptions &importOptions,
                    const CompileOptions &options,
                    llvm::function_ref<void(PassManager &)> configure) {
  ImportResult imported = importOnnx(model, name, importOptions, &ctx);
  if (!imported.module)
    return nullptr;
  PassManager pm(&ctx, ModuleOp::getOperationName());
  buildCompilePipeline(pm, options);
  if (configure)
    configure(pm);
  if (failed(pm.run(*imported.module)))
    return nullptr;
  return std::move(imported.module);
}

driver::Message driver::describe(Diagnostic &diag) {
  Message m;
  diag.getLocation()->walk([&](Location loc) {
    if (auto name = dyn_cast<NameLoc>(loc); name && m.node.empty())
      m.node = name.getName().str();
    if (auto f = dyn_cast<FileLineColLoc>(loc); f && m.file.empty())
      m.file = f.getFilename().str();
    return WalkResult::advance();
  });
  std::string text = diag.str();
  std::string prefix = "node '" + m.node + "'";
  m.text = m.node.empty() || StringRef(text).contains(prefix)
               ? text
               : prefix + ": " + text;
  return m;
}

void driver::print(llvm::raw_ostream &os, StringRef tool, Diagnostic &diag) {
  Message m = describe(diag);
  os << (m.file.empty() ? tool.str() : m.file) << ": ";
  switch (diag.getSeverity()) {
  case DiagnosticSeverity::Error:
    llvm::WithColor(os, llvm::HighlightColor::Error) << "error: ";
    break;
  case DiagnosticSeverity::Warning:
    llvm::WithColor(os, llvm::HighlightColor::Warning) << "warning: ";
    break;
  default:
    llvm::WithColor(os, llvm::HighlightColor::Note) << "note: ";
    break;
  }
  os << m.text << "\n";
}
