//===- escalate-opt.cpp - run passes and pipelines on escalate IR ---------===//
//
// mlir-opt's driver, with two guarantees added for inputs from elsewhere:
// the input's nesting is bounded before MLIR's recursive parser sees it, and
// the output is written only once complete (a failed run neither leaves a
// partial file nor removes an existing one).
//
//===----------------------------------------------------------------------===//
#include "escalate/InitAll.h"
#include "escalate/Support/TensorFiles.h"
#include "escalate/Support/Nesting.h"
#include "escalate/Support/Tool.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"

static llvm::cl::OptionCategory category("escalate-opt options");
static llvm::cl::opt<int>
    maxNesting("max-nesting",
               llvm::cl::desc("Refuse inputs whose brackets nest deeper"),
               llvm::cl::init(escalate::kDefaultMaxNesting),
               llvm::cl::cat(category));

static int fail(llvm::StringRef message) {
  llvm::WithColor::error(llvm::errs(), "escalate-opt") << message << "\n";
  return escalate::tool::kExitInvalid;
}

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  escalate::registerAllDialects(registry);
  escalate::registerAllPasses();
  // libLLVM's own flags (targets, codegen, polly...) are hidden from --help;
  // MLIR's driver options and the passes are registered below and stay.
  llvm::cl::HideUnrelatedOptions(category);
  escalate::tool::installVersionPrinter("escalate-opt");
  auto [inputFile, outputFile] = mlir::registerAndParseCLIOptions(
      argc, argv, "ESCALATE optimizer driver\n", registry);
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, inputFile, outputFile, registry));
  if (llvm::Error e = escalate::checkNestingLimit(maxNesting))
    return fail(llvm::toString(std::move(e)));

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input =
      mlir::openInputFile(inputFile, &error);
  if (!input)
    return fail(error);
  // A binary file (an ONNX model, a .escb) is not MLIR text: say so rather
  // than report its bytes as a syntax or nesting error.
  // (A character cut by the sample's end is not an error.)
  llvm::StringRef head = input->getBuffer().take_front(4096);
  size_t bad = 0;
  bool cut = !llvm::json::isUTF8(head, &bad) &&
             !(head.size() == 4096 && bad + 4 > head.size());
  if (head.contains('\0') || cut)
    return fail(input->getBufferIdentifier().str() +
                ": not MLIR text (it holds binary data); escalate-opt reads "
                ".mlir files: import an ONNX model with escalate-translate "
                "--import-onnx, disassemble a .escb with escalate-translate "
                "--bin-to-escisa");
  if (llvm::Error e =
          escalate::checkTextNesting(input->getBuffer(), maxNesting))
    return fail(input->getBufferIdentifier().str() + ": " +
                llvm::toString(std::move(e)));

  std::string text;
  llvm::raw_string_ostream os(text);
  if (mlir::failed(mlir::MlirOptMain(os, std::move(input), registry, config)))
    return escalate::tool::kExitInvalid;
  if (outputFile == "-") {
    llvm::outs() << text;
    return 0;
  }
  if (llvm::Error e = escalate::writeFileAtomically(
          outputFile, [&](llvm::raw_ostream &out) { out << text; }))
    return fail(llvm::toString(std::move(e)));
  return 0;
}
