//===- escalate-translate.cpp - conversions into and out of MLIR ----------===//
//
// --import-onnx: binary or protobuf-text ONNX to the escalate dialect.
// --escisa-to-bin: assemble an escisa.program into a .escb binary.
// --bin-to-escisa: disassemble a .escb binary (layer names as locations).
//
//===----------------------------------------------------------------------===//
#include "escalate/Import/OnnxImporter.h"
#include "escalate/InitAll.h"
#include "escalate/Target/Escb/Escb.h"
#include "escalate/Support/Tool.h"
#include "llvm/ADT/StringExtras.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;

static llvm::cl::OptionCategory category("escalate-translate options");

static llvm::cl::list<std::string> inputShapes(
    "input-shape",
    llvm::cl::desc("Fix a graph input's shape: name:1x3x224x224 (repeatable)"),
    llvm::cl::value_desc("name:dims"), llvm::cl::cat(category));

static llvm::cl::opt<int64_t>
    maxNodes("max-nodes", llvm::cl::desc("Refuse models with more graph nodes"),
             llvm::cl::init(escalate::ImportOptions().maxNodes),
             llvm::cl::cat(category));
static llvm::cl::opt<int64_t> maxTensorElements(
    "max-tensor-elements",
    llvm::cl::desc("Refuse inputs and initializers with more elements"),
    llvm::cl::init(escalate::ImportOptions().maxTensorElements),
    llvm::cl::cat(category));
static llvm::cl::opt<int> maxNesting(
    "max-nesting",
    llvm::cl::desc("Refuse inputs nesting messages or brackets deeper"),
    llvm::cl::init(escalate::kDefaultMaxNesting), llvm::cl::cat(category));

/// mlirTranslateMain reports a missing translation three times and takes
/// the last of several silently: check for exactly one first.
static int checkOneTranslation(int argc, char **argv) {
  const llvm::StringRef names[] = {"import-onnx", "escisa-to-bin",
                                   "bin-to-escisa"};
  std::vector<std::string> given;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (arg == "--help" || arg == "-help" || arg == "--version" ||
        arg == "-version" || arg.starts_with("--help-"))
      return escalate::tool::kExitOk;
    llvm::StringRef name = arg.ltrim('-');
    if (name.size() < arg.size() && llvm::is_contained(names, name))
      given.push_back("--" + name.str());
  }
  if (given.size() == 1)
    return escalate::tool::kExitOk;
  llvm::WithColor::error(llvm::errs(), "escalate-translate")
      << (given.empty() ? std::string("give a translation")
                        : "give one translation, not " +
                              llvm::join(given, " and "))
      << ": --import-onnx, --escisa-to-bin or --bin-to-escisa\n";
  return escalate::tool::kExitInvalid;
}

/// Set when --import-onnx met a valid model using something unsupported, so
/// that the tool exits with 3 as escalate-compile and escalate-run do.
static bool importUnsupported = false;

/// mlirTranslateMain opens `-o FILE` itself and deletes it on failure, which
/// would destroy an existing file. It is pointed at a temporary beside FILE
/// instead, renamed into place only on success.
static int runWithAtomicOutput(int argc, char **argv) {
  std::vector<char *> args(argv, argv + argc);
  std::string output, rewritten, prefix;
  int at = -1;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if ((arg == "-o" || arg == "--o") && i + 1 < argc) {
      at = ++i;
      output = argv[i];
      prefix.clear();
    } else if (arg.starts_with("-o=") || arg.starts_with("--o=")) {
      at = i;
      output = arg.split('=').second.str();
      prefix = arg.split('=').first.str() + "=";
    }
  }
  llvm::SmallString<256> temp;
  if (at > 0 && output != "-") {
    if (std::error_code ec =
            llvm::sys::fs::createUniqueFile(output + ".tmp-%%%%%%", temp)) {
      llvm::WithColor::error(llvm::errs(), "escalate-translate")
          << "cannot write '" << output << "': " << ec.message() << "\n";
      return escalate::tool::kExitInvalid;
    }
    rewritten = prefix + temp.str().str();
    args[at] = rewritten.data();
  }
  bool ok = succeeded(mlirTranslateMain(int(args.size()), args.data(),
                                        "ESCALATE translation driver"));
  if (!temp.empty()) {
    if (ok) {
      if (std::error_code ec = llvm::sys::fs::rename(temp, output)) {
        llvm::WithColor::error(llvm::errs(), "escalate-translate")
            << "cannot write '" << output << "': " << ec.message() << "\n";
        ok = false;
      }
    }
    if (!ok)
      llvm::sys::fs::remove(temp);
  }
  if (ok)
    return escalate::tool::kExitOk;
  return importUnsupported ? escalate::tool::kExitUnsupported
                           : escalate::tool::kExitInvalid;
}

int main(int argc, char **argv) {
  TranslateToMLIRRegistration importOnnx(
      "import-onnx", "Import an ONNX model (binary or protobuf text)",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *ctx) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buf =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        escalate::ImportOptions options;
        options.maxNodes = maxNodes;
        options.maxTensorElements = maxTensorElements;
        options.maxNesting = maxNesting;
        if (llvm::Error err = escalate::checkImportLimits(options)) {
          emitError(UnknownLoc::get(ctx)) << llvm::toString(std::move(err));
          return nullptr;
        }
        for (const std::string &spec : inputShapes)
          if (llvm::Error err = escalate::parseInputShape(spec, options)) {
            emitError(UnknownLoc::get(ctx)) << llvm::toString(std::move(err));
            return nullptr;
          }
        escalate::ImportResult result = escalate::importOnnx(
            buf->getBuffer(), buf->getBufferIdentifier(), options, ctx);
        importUnsupported =
            !result.module &&
            result.failure == escalate::ImportFailure::Unsupported;
        return OwningOpRef<Operation *>(result.module.release());
      },
      [](DialectRegistry &registry) {
        escalate::registerAllDialects(registry);
      });
  escalate::escb::registerEscbTranslations([] { return int(maxNesting); });
  // libLLVM's own flags (targets, codegen, polly...) are hidden from --help;
  // mlirTranslateMain registers the translations and its options later, so
  // they stay visible.
  llvm::cl::HideUnrelatedOptions(category);
  escalate::tool::installVersionPrinter("escalate-translate");
  if (int status = checkOneTranslation(argc, argv))
    return status;
  // Imported IR keeps its ONNX node names (the ops' locations) in the text,
  // so that a later escalate-opt run reports layers by those names.
  std::vector<char *> args(argv, argv + argc);
  static char debugInfo[] = "--mlir-print-debuginfo";
  llvm::ArrayRef<char *> given(argv + 1, argv + argc);
  auto has = [&](llvm::StringRef flag) {
    return llvm::any_of(given, [&](const char *a) {
      return llvm::StringRef(a).ltrim('-').split('=').first == flag;
    });
  };
  if (has("import-onnx") && !has("mlir-print-debuginfo"))
    args.insert(args.begin() + 1, debugInfo); // before any `--`
  return runWithAtomicOutput(int(args.size()), args.data());
}
