//===- escalate-compile.cpp - ONNX model to accelerator binary ------------===//
//
// Import, then the registered `escalate-compile` pipeline (exactly what
// `escalate-opt --escalate-compile=...` runs), then serialization. Nothing
// is written unless every stage succeeds, and outputs are renamed into
// place.
//
//===----------------------------------------------------------------------===//
#include "escalate/Driver/Driver.h"
#include "escalate/Driver/PassProgress.h"
#include "escalate/InitAll.h"
#include "escalate/Pipelines/Pipelines.h"
#include "escalate/Support/TensorFiles.h"
#include "escalate/Support/Tool.h"
#include "escalate/Target/Escb/Escb.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/Timing.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"
#include "escalate/Support/Nesting.h"
#include "llvm/Support/FileUtilities.h"
#include <chrono>
#include <optional>

using namespace mlir;
using namespace escalate;
namespace cl = llvm::cl;

static cl::OptionCategory category("escalate-compile options");
static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.onnx>"),
                                      cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::desc("Output file"),
                                       cl::value_desc("file"),
                                       cl::cat(category));
static cl::opt<std::string>
    emit("emit",
         cl::desc("What to write: escalate, decomposed, quantized, tiled, "
                  "escisa (IR after that stage), asm (instruction listing) "
                  "or bin (the .escb binary, default)"),
         cl::init("bin"), cl::cat(category));
// The pipeline's options, from the one table (CompileOptions.def).
#define ESCALATE_PIPELINE_OPTION(...)
#define ESCALATE_OPTION(TYPE, FIELD, FLAG, INIT, VALUE, DESC)                  \
  static cl::opt<TYPE> FIELD##Flag(FLAG, cl::desc(DESC),                       \
                                   cl::value_desc(VALUE), cl::init(INIT),      \
                                   cl::cat(category));
#include "escalate/Pipelines/CompileOptions.def"
static cl::opt<unsigned> jobs("j", cl::desc("Threads (0: all cores)"),
                              cl::init(0), cl::cat(category));
static cl::opt<bool> quiet("quiet",
                           cl::desc("No progress and no summary on stderr"),
                           cl::cat(category));
static cl::opt<int64_t>
    maxNodes("max-nodes", cl::desc("Refuse models with more graph nodes"),
             cl::init(ImportOptions().maxNodes), cl::cat(category));
static cl::opt<int64_t> maxTensorElements(
    "max-tensor-elements",
    cl::desc("Refuse inputs and initializers with more elements"),
    cl::init(ImportOptions().maxTensorElements), cl::cat(category));
static cl::opt<int>
    maxNesting("max-nesting",
               cl::desc("Refuse models nesting messages deeper than this"),
               cl::init(kDefaultMaxNesting), cl::cat(category));
static cl::list<std::string> frozenInputs(
    "freeze-input",
    cl::desc("Make a graph input a constant: name=FILE (.npy or .pb), for "
             "weights fed as inputs"),
    cl::value_desc("name=file"), cl::cat(category));
static cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Fix a graph input's shape: name:1x3x224x224"),
                cl::value_desc("name:dims"), cl::cat(category));

static int fail(const llvm::Twine &msg) {
  llvm::WithColor::error(llvm::errs(), "escalate-compile") << msg << "\n";
  return tool::kExitInvalid;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  auto started = std::chrono::steady_clock::now();
  // MLIR's own flags work as in escalate-opt (the passes are registered so
  // that --mlir-print-ir-after=PASS knows their names); the common ones
  // are listed in --help.
  registerAllPasses();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  registerAsmPrinterCLOptions();
  cl::HideUnrelatedOptions(category);
  static cl::OptionCategory mlirCategory("MLIR options (as in escalate-opt)");
  auto &registered = cl::getRegisteredOptions();
  for (StringRef name :
       {"mlir-timing", "mlir-timing-display", "mlir-print-ir-before",
        "mlir-print-ir-after", "mlir-print-ir-after-all",
        "mlir-print-ir-before-all", "mlir-print-ir-after-failure",
        "mlir-disable-threading", "mlir-print-debuginfo",
        "mlir-pass-statistics"})
    if (cl::Option *o = registered.lookup(name)) {
      o->addCategory(mlirCategory);
      o->setHiddenFlag(cl::NotHidden);
    }
  tool::installVersionPrinter("escalate-compile");
  cl::ParseCommandLineOptions(
      argc, argv,
      "ESCALATE compiler: ONNX model to accelerator binary\n\n"
      "  escalate-compile model.onnx -o prog.escb [--mode decomposed|dense|"
      "pruned]\n");

  CompileOptions options;
#define ESCALATE_PIPELINE_OPTION(...)
// Only flags given are copied, so the pipeline can tell an option set to its
// default from one left alone (checkCompileOptions refuses, for example,
// --bases in the dense mode).
#define ESCALATE_OPTION(TYPE, FIELD, ...)                                      \
  if (FIELD##Flag.getNumOccurrences())                                         \
    options.FIELD = FIELD##Flag;
#include "escalate/Pipelines/CompileOptions.def"
  bool wantsProgram = emit == "asm" || emit == "bin";
  options.stopAfter = wantsProgram ? std::string("escisa") : emit.getValue();
  if (!wantsProgram && !parseStage(emit))
    return fail("--emit " + emit +
                " is not escalate, decomposed, quantized, tiled, escisa, asm "
                "or bin");
  ScopedWorkDir workDir;
  if (llvm::Error err = workDir.prepare(options))
    return fail(llvm::toString(std::move(err)));
  if (llvm::Error err = checkCompileOptions(options))
    return fail(llvm::toString(std::move(err)));
  if (emit == "bin" && outputPath.empty())
    return fail("a binary needs -o FILE");
  // An output that is one of the inputs would be destroyed by the run
  // (paths compared after resolving links and relative forms).
  std::pair<const char *, std::string> outputs[] = {
      {"-o", outputPath},
      {"--report", reportFlag},
      {"--write-calib-table", writeCalibTableFlag}};
  std::pair<const char *, std::string> inputs[] = {
      {"the model", modelPath},
      {"--calib-table", calibTableFlag},
      {"--config", configFlag},
      {"--hw", hwFlag}};
  for (const auto &[outFlag, out] : outputs)
    for (const auto &[inFlag, in] : inputs)
      if (!out.empty() && !in.empty() && llvm::sys::fs::equivalent(in, out))
        return fail(std::string(outFlag) + " '" + out + "' is " +
                    (std::string(inFlag) == "the model"
                         ? std::string("the model itself")
                         : "the file of " + std::string(inFlag)) +
                    ": refusing to overwrite an input");
  if (!hwFlag.empty())
    if (llvm::Expected<hw::HwDesc> desc = hw::loadHwDesc(hwFlag); !desc)
      return fail(llvm::toString(desc.takeError()));

  DialectRegistry registry;
  registerAllDialects(registry);
  driver::ThreadedContext threaded(registry, jobs);
  MLIRContext &ctx = threaded.get();
  ctx.loadAllAvailableDialects();
  // Model errors name the ONNX node (the op's NameLoc) and the file.
  ScopedDiagnosticHandler diagnostics(&ctx, [](Diagnostic &diag) {
    // A message starts on a clean line, not after the progress line.
    driver::clearProgressLine();
    driver::print(llvm::errs(), "escalate-compile", diag);
    return success();
  });

  auto file = llvm::MemoryBuffer::getFile(modelPath, /*IsText=*/false);
  if (!file)
    return fail("cannot read '" + modelPath +
                "': " + file.getError().message());
  ImportOptions importOptions;
  importOptions.maxNodes = maxNodes;
  importOptions.maxTensorElements = maxTensorElements;
  importOptions.maxNesting = maxNesting;
  if (llvm::Error err = checkImportLimits(importOptions))
    return fail(llvm::toString(std::move(err)));
  for (const std::string &spec : inputShapes)
    if (llvm::Error err = parseInputShape(spec, importOptions))
      return fail(llvm::toString(std::move(err)));
  for (const std::string &spec : frozenInputs)
    if (llvm::Error err = parseFrozenInput(spec, importOptions))
      return fail(llvm::toString(std::move(err)));

  // The summary printed at the end is read from the compile report: write
  // one to a temporary file when none was asked for.
  bool summary = !quiet && emit == "bin";
  SmallString<128> summaryReport;
  std::optional<llvm::FileRemover> removeSummaryReport;
  // The summary is a courtesy: when it cannot be made, say so and go on.
  auto skipSummary = [&](const llvm::Twine &why) {
    llvm::WithColor::warning(llvm::errs(), "escalate-compile")
        << "no summary: " << why << "\n";
    summary = false;
  };
  if (summary && options.report.empty()) {
    if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
            "escalate-compile-report", "json", summaryReport)) {
      skipSummary("cannot create a temporary file: " + ec.message());
    } else {
      removeSummaryReport.emplace(summaryReport);
      options.report = summaryReport.str().str();
    }
  }
  uint64_t floatBytes = 0;
  // Two samples keep the measurement short next to the compile. This
  // context holds only this model, so its float weights can go once
  // quantized; unless MLIR's crash reproducer keeps a copy of the module
  // as it was before the first pass.
  driver::AfterQuantize afterQuantize;
  if (summary)
    afterQuantize.measureWith = &options;
  auto reproducer =
      cl::getRegisteredOptions().find("mlir-pass-pipeline-crash-reproducer");
  afterQuantize.releaseDeadWeights =
      reproducer == cl::getRegisteredOptions().end() ||
      !reproducer->second->getNumOccurrences();
  bool unsupported = false;
  OwningOpRef<ModuleOp> module = driver::compileOnnx(
      ctx, (*file)->getBuffer(), modelPath, importOptions, options,
      [&](PassManager &pm, ModuleOp imported) {
        floatBytes = driver::floatWeightBytes(imported);
        driver::addAfterQuantize(pm, afterQuantize);
        // The model is imported (weights moved into the module): its file
        // need not stay mapped through the compile.
        file->reset();
        if (failed(applyPassManagerCLOptions(pm)))
          return;
        applyDefaultTimingPassManagerCLOptions(pm);
        if (!quiet)
          driver::addPassProgress(
              pm, "escalate-compile",
              llvm::sys::Process::StandardErrIsDisplayed());
      },
      &unsupported);
  if (!module)
    return unsupported ? tool::kExitUnsupported : tool::kExitInvalid;

  auto write = [&](llvm::function_ref<void(llvm::raw_ostream &)> fn) {
    if (outputPath.empty() || outputPath == "-") {
      fn(llvm::outs());
      return 0;
    }
    if (llvm::Error err = writeFileAtomically(outputPath, fn))
      return fail(llvm::toString(std::move(err)));
    return 0;
  };
  if (!wantsProgram)
    return write([&](llvm::raw_ostream &os) {
      module->print(
          os, OpPrintingFlags().enableDebugInfo(true, /*prettyForm=*/false));
      os << "\n";
    });

  if (emit == "asm") {
    FailureOr<isa::Program> program = escb::programOf(*module);
    if (failed(program))
      return tool::kExitInvalid;
    return write(
        [&](llvm::raw_ostream &os) { escb::printListing(*program, os); });
  }
  FailureOr<std::string> bytes = escb::translateToEscb(*module);
  if (failed(bytes))
    return tool::kExitInvalid;
  if (int status = write([&](llvm::raw_ostream &os) { os << *bytes; }))
    return status;
  if (summary) {
    auto text = llvm::MemoryBuffer::getFile(options.report);
    llvm::Expected<llvm::json::Value> report =
        text ? parseJson((*text)->getBuffer())
             : llvm::Expected<llvm::json::Value>(
                   llvm::errorCodeToError(text.getError()));
    if (!report || !report->getAsObject()) {
      skipSummary("cannot read the compile report: " +
                  (report ? std::string("not an object")
                          : llvm::toString(report.takeError())));
      return tool::kExitOk;
    }
    driver::OutputAccuracy accuracy = afterQuantize.accuracy;
    if (!afterQuantize.quantized)
      accuracy.problem = "no quantized stage";
    std::chrono::duration<double> took =
        std::chrono::steady_clock::now() - started;
    driver::printSummary(llvm::errs(), options, *report->getAsObject(),
                         floatBytes, accuracy, reportFlag, took.count());
  }
  return tool::kExitOk;
}
