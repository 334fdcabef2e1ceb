//===- Escb.cpp - escisa.program <-> .escb translations -------------------===//
#include "escalate/Target/Escb/Escb.h"
#include "escalate/Dialect/EscIsa/IR/EscIsaOps.h"
#include "escalate/Support/Nesting.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace escalate;

FailureOr<isa::Program> escb::programOf(ModuleOp module) {
  escisa::ProgramOp program;
  module.walk([&](escisa::ProgramOp p) {
    if (!program)
      program = p;
  });
  if (!program)
    return module.emitError("no escisa.program in the module");
  return escisa::toProgram(program);
}

FailureOr<std::string> escb::translateToEscb(ModuleOp module) {
  FailureOr<isa::Program> program = programOf(module);
  if (failed(program))
    return failure();
  llvm::Expected<std::string> bytes = isa::writeBinary(*program);
  if (!bytes)
    return module.emitError(llvm::toString(bytes.takeError()));
  return std::move(*bytes);
}

OwningOpRef<ModuleOp> escb::translateFromEscb(StringRef bytes, Location loc) {
  MLIRContext *ctx = loc.getContext();
  ctx->getOrLoadDialect<escisa::EscIsaDialect>();
  llvm::Expected<isa::Program> p = isa::readBinary(bytes, uint64_t(1) << 40);
  if (!p) {
    emitError(loc) << llvm::toString(p.takeError());
    return nullptr;
  }
  OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(ctx));
  OpBuilder builder = OpBuilder::atBlockEnd(module->getBody());
  escisa::fromProgram(builder, UnknownLoc::get(ctx), *p);
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

void escb::registerEscbTranslations(std::function<int()> maxNesting) {
  // Parsed here rather than by the driver so that the nesting limit is
  // checked before MLIR's recursive parser sees the text.
  static TranslateRegistration assemble(
      "escisa-to-bin", "Assemble the escisa.program into a .escb binary",
      [maxNesting](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
                   llvm::raw_ostream &os, MLIRContext *ctx) -> LogicalResult {
        const llvm::MemoryBuffer *buf =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        if (llvm::Error e = checkTextNesting(buf->getBuffer(), maxNesting()))
          return emitError(
                     FileLineColLoc::get(ctx, buf->getBufferIdentifier(), 0, 0))
                 << llvm::toString(std::move(e));
        ctx->getOrLoadDialect<escisa::EscIsaDialect>();
        OwningOpRef<ModuleOp> module =
            parseSourceFile<ModuleOp>(sourceMgr, ctx);
        if (!module)
          return failure();
        FailureOr<std::string> bytes = translateToEscb(*module);
        if (failed(bytes))
          return failure();
        os << *bytes;
        return success();
      });
  // Printed here rather than by the driver so that the layer names, which
  // live in locations, always survive a disassemble/assemble round trip.
  static TranslateRegistration disassemble(
      "bin-to-escisa", "Disassemble a .escb binary into escisa",
      [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
         llvm::raw_ostream &os, MLIRContext *ctx) -> LogicalResult {
        const llvm::MemoryBuffer *buf =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        OwningOpRef<ModuleOp> module = translateFromEscb(
            buf->getBuffer(),
            FileLineColLoc::get(ctx, buf->getBufferIdentifier(), 0, 0));
        if (!module)
          return failure();
        module->print(os, OpPrintingFlags().enableDebugInfo());
        return success();
      });
}
