//===- EscIsaParserFuzzer.cpp - escisa text through parser and verifiers --===//
#include "escalate/Dialect/EscIsa/IR/EscIsaOps.h"
#include "escalate/InitAll.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::DialectRegistry registry;
  escalate::registerAllDialects(registry);
  mlir::MLIRContext ctx(registry, mlir::MLIRContext::Threading::DISABLED);
  ctx.loadAllAvailableDialects();
  mlir::ScopedDiagnosticHandler quiet(
      &ctx, [](mlir::Diagnostic &) { return mlir::success(); });
  // Parsing verifies, which runs every instruction's checks; then the
  // whole-program checks escisa-validate and the translation make (the
  // loader's rules). MLIR's lexer needs the terminating NUL that files read
  // by the tools always have.
  std::string text(reinterpret_cast<const char *>(data), size);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, &ctx);
  if (module)
    module->walk([](escalate::escisa::ProgramOp program) {
      (void)escalate::escisa::toProgram(program);
    });
  return 0;
}
