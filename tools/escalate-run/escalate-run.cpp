//===- escalate-run.cpp - run a model on the float32 reference interpreter ===//
//
// Exit codes: 0 success, 1 error (bad model, bad input, output mismatch),
// 3 the model uses something we do not support (op, opset or dtype).
//
//===----------------------------------------------------------------------===//
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Import/OnnxImporter.h"
#include "escalate/InitAll.h"
#include "escalate/Numerics/Numerics.h"
#include "escalate/Pipelines/Pipelines.h"
#include "escalate/Reference/Interpreter.h"
#include "escalate/Support/TensorFiles.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include <cmath>

using namespace mlir;
using namespace escalate;
namespace cl = llvm::cl;

static cl::OptionCategory runCategory("escalate-run options");
static cl::opt<std::string> modelPath(cl::Positional,
                                      cl::desc("<model.onnx|model.mlir>"),
                                      cl::cat(runCategory));
static cl::list<std::string> inputFiles(
    "input",
    cl::desc("Input tensor (.npy or .pb), one per graph input in order"),
    cl::value_desc("file"), cl::CommaSeparated, cl::cat(runCategory));
static cl::opt<std::string>
    outputDir("output-dir",
              cl::desc("Write each output as DIR/<output name>.npy"),
              cl::value_desc("dir"), cl::cat(runCategory));
static cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Fix a graph input's shape: name:1x3x224x224"),
                cl::value_desc("name:dims"), cl::cat(runCategory));
static cl::list<std::string> frozenInputs(
    "freeze-input",
    cl::desc("Make a graph input a constant with this value: name=FILE "
             "(.npy or .pb); the other --input files match the remaining "
             "inputs in order"),
    cl::value_desc("name=file"), cl::cat(runCategory));
static cl::opt<bool> allowNonFinite(
    "allow-nonfinite",
    cl::desc("Run inputs that hold NaN or +-inf (they propagate as float "
             "arithmetic does) instead of refusing them"),
    cl::cat(runCategory));
static cl::list<std::string> expectedFiles(
    "expected", cl::desc("Compare outputs against these tensors, in order"),
    cl::value_desc("file"), cl::CommaSeparated, cl::cat(runCategory));
static cl::opt<double> relTol("rtol",
                              cl::desc("Relative tolerance for --expected"),
                              cl::init(1e-4), cl::cat(runCategory));
static cl::opt<double> absTol("atol",
                              cl::desc("Absolute tolerance for --expected"),
                              cl::init(1e-5), cl::cat(runCategory));
static cl::opt<bool> noOpt("no-opt",
                           cl::desc("Interpret the IR as imported, without "
                                    "the escalate-graph-opt clean-up"),
                           cl::cat(runCategory));
static cl::opt<uint64_t> maxTensorBytes(
    "max-tensor-bytes", cl::desc("Largest tensor an op may produce"),
    cl::init(InterpretOptions().maxTensorBytes), cl::cat(runCategory));
static cl::opt<int>
    maxNesting("max-nesting",
               cl::desc("Refuse inputs nesting brackets or protobuf "
                        "messages deeper than this"),
               cl::init(kDefaultMaxNesting), cl::cat(runCategory));
static cl::opt<std::string>
    dumpDir("dump-dir",
            cl::desc("Also write every named layer's result as DIR/<layer>.npy "
                     "(inputs as DIR/<input name>.npy; quantized results "
                     "dequantized) and their execution order as "
                     "DIR/index.txt, for calibration and layer-by-layer "
                     "comparison (escalate-compare)"),
            cl::value_desc("dir"), cl::cat(runCategory));
static cl::opt<bool> listOps("list-supported-ops",
                             cl::desc("Print the supported ONNX operators as a "
                                      "Markdown table and exit"),
                             cl::cat(runCategory));

namespace {
constexpr int kExitError = 1, kExitUnsupported = 3;

int error(const llvm::Twine &msg) {
  llvm::outs().flush();
  llvm::WithColor::error(llvm::errs(), "escalate-run") << msg << "\n";
  return kExitError;
}

void printSupportedOps() {
  llvm::outs() << "| ONNX operator | opsets | notes |\n|---|---|---|\n";
  for (const SupportedOp &op : supportedOnnxOps())
    llvm::outs() << "| " << op.name << " | " << op.minOpset << "-"
                 << op.maxOpset << " | " << op.notes << " |\n";
}

/// numpy.allclose semantics, with NaN equal to NaN; prints a summary line.
bool compare(StringRef name, const Tensor &got, const Tensor &want) {
  if (got.shape() != want.shape() || got.dtype() != want.dtype()) {
    llvm::errs() << "output '" << name << "': got " << got.describe()
                 << ", expected " << want.describe() << "\n";
    return false;
  }
  double maxAbs = 0;
  int64_t bad = 0, first = -1;
  for (int64_t i = 0, n = got.numElements(); i < n; ++i) {
    double a = got.dtype() == DType::F32 ? got.f32()[i] : double(got.i64()[i]);
    double b =
        want.dtype() == DType::F32 ? want.f32()[i] : double(want.i64()[i]);
    if (std::isnan(a) && std::isnan(b))
      continue;
    double diff = std::fabs(a - b);
    if (!(diff <= absTol + relTol * std::fabs(b))) {
      if (first < 0)
        first = i;
      ++bad;
    }
    if (!std::isnan(diff))
      maxAbs = std::max(maxAbs, diff);
  }
  llvm::outs() << "output '" << name << "': max abs error " << maxAbs;
  if (bad) {
    double a =
        got.dtype() == DType::F32 ? got.f32()[first] : double(got.i64()[first]);
    double b = want.dtype() == DType::F32 ? want.f32()[first]
                                          : double(want.i64()[first]);
    llvm::outs() << ", " << bad << " of " << got.numElements()
                 << " elements outside tolerance (first at " << first
                 << ": got " << a << ", expected " << b << ")\n";
    return false;
  }
  llvm::outs() << ", ok\n";
  return true;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(runCategory);
  cl::ParseCommandLineOptions(argc, argv, "ESCALATE reference interpreter\n");
  if (listOps) {
    printSupportedOps();
    return 0;
  }
  if (modelPath.empty())
    return error("no model given");
  if (outputDir.empty() && expectedFiles.empty())
    return error("give --output-dir, --expected, or both");
  if (llvm::Error e = checkNestingLimit(maxNesting))
    return error(llvm::toString(std::move(e)));

  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext ctx(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &ctx);

  std::string err;
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(modelPath, &err);
  if (!file)
    return error(err);
  OwningOpRef<ModuleOp> module;
  if (StringRef(modelPath).ends_with(".mlir")) {
    if (!inputShapes.empty() || !frozenInputs.empty())
      return error("--input-shape and --freeze-input apply to ONNX models");
    if (llvm::Error e = checkTextNesting(file->getBuffer(), maxNesting))
      return error(modelPath + ": " + llvm::toString(std::move(e)));
    sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, &ctx);
    if (!module)
      return kExitError;
  } else {
    ImportOptions options;
    options.maxNesting = maxNesting;
    // The reference computes empty results, as ONNX defines them.
    options.allowEmptyTensors = true;
    for (const std::string &spec : inputShapes)
      if (llvm::Error e = parseInputShape(spec, options))
        return error(llvm::toString(std::move(e)));
    for (const std::string &spec : frozenInputs)
      if (llvm::Error e = parseFrozenInput(spec, options))
        return error(llvm::toString(std::move(e)));
    ImportResult imported =
        importOnnx(file->getBuffer(), modelPath, options, &ctx);
    if (!imported.module)
      return imported.failure == ImportFailure::Unsupported ? kExitUnsupported
                                                            : kExitError;
    module = std::move(imported.module);
  }
  auto func = module->lookupSymbol<func::FuncOp>("main");
  if (!func)
    return error(modelPath + ": no func.func @main");
  if (!noOpt) {
    PassManager pm(&ctx);
    buildGraphOptPipeline(pm);
    if (failed(pm.run(*module)))
      return kExitError;
  }

  SmallVector<Tensor> inputs;
  for (const std::string &path : inputFiles) {
    std::string stored;
    llvm::Expected<Tensor> t = readTensorFile(path, &stored);
    if (!t)
      return error(llvm::toString(t.takeError()));
    if (stored == "float64")
      llvm::WithColor::warning(llvm::errs(), "escalate-run")
          << path << ": float64 values are read as float32\n";
    if (!allowNonFinite)
      if (std::optional<std::string> bad = describeNonFinite(*t))
        return error(path + ": " + *bad +
                     "; pass --allow-nonfinite to run it anyway");
    inputs.push_back(std::move(*t));
  }
  InterpretOptions runOptions;
  runOptions.maxTensorBytes = maxTensorBytes;
  std::vector<std::string> dumped;
  // Outlives the observer below, which the interpreter calls later.
  auto dump = [&](StringRef name, const Tensor &t) -> LogicalResult {
    dumped.push_back(name.str());
    SmallString<256> path(dumpDir);
    llvm::sys::path::append(path, tensorFileName(name) + ".npy");
    if (llvm::Error e = writeNpy(path, t)) {
      error(llvm::toString(std::move(e)));
      return failure();
    }
    return success();
  };
  if (!dumpDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(dumpDir))
      return error("cannot create '" + dumpDir + "': " + ec.message());
    for (auto [i, t] : llvm::enumerate(inputs))
      if (i < func.getNumArguments() && failed(dump(argumentName(func, i), t)))
        return kExitError;
    // Quantized layers are dumped dequantized, so dumps of the float and the
    // quantized model compare file by file (escalate-compare); integer
    // accumulators are not activations and are skipped.
    runOptions.observe = [&](Operation *op, ArrayRef<Tensor> results) {
      auto name = dyn_cast<NameLoc>(op->getLoc());
      if (!name || llvm::isa<ConstantOp, QuantizeOp, DequantizeOp>(op))
        return success();
      for (auto [i, t] : llvm::enumerate(results)) {
        Type elt =
            cast<RankedTensorType>(op->getResult(i).getType()).getElementType();
        Tensor value = t;
        if (auto q = dyn_cast<quant::UniformQuantizedType>(elt)) {
          value = Tensor(DType::F32, t.shape());
          numerics::dequantize(
              t,
              {q.getScale(), q.getZeroPoint(), q.getStorageTypeIntegralWidth()},
              value);
        } else if (!elt.isF32()) {
          continue;
        }
        if (failed(dump(name.getName().strref().str() +
                            (i ? "." + std::to_string(i) : ""),
                        value)))
          return failure();
      }
      return success();
    };
  }
  FailureOr<SmallVector<Tensor>> outputs = interpret(func, inputs, runOptions);
  if (failed(outputs))
    return kExitError;
  if (!dumpDir.empty()) {
    // The execution order, so escalate-compare can name the first layer
    // that goes wrong.
    SmallString<256> index(dumpDir);
    llvm::sys::path::append(index, "index.txt");
    if (llvm::Error e = writeFileAtomically(index, [&](llvm::raw_ostream &os) {
          for (const std::string &name : dumped)
            os << tensorFileName(name) << "\n";
        }))
      return error(llvm::toString(std::move(e)));
  }

  // Compare before writing anything: a failed run leaves no outputs.
  if (!expectedFiles.empty()) {
    if (expectedFiles.size() != outputs->size())
      return error("the model has " + llvm::Twine(outputs->size()) +
                   " outputs but " + llvm::Twine(expectedFiles.size()) +
                   " --expected files were given");
    bool ok = true;
    for (auto [i, path] : llvm::enumerate(expectedFiles)) {
      llvm::Expected<Tensor> want = readTensorFile(path);
      if (!want)
        return error(llvm::toString(want.takeError()));
      ok &= compare(resultName(func, i), (*outputs)[i], *want);
    }
    if (!ok)
      return error("outputs differ from the expected tensors");
  }
  if (!outputDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
      return error("cannot create '" + outputDir + "': " + ec.message());
    SmallVector<std::string> names;
    for (size_t i = 0; i < outputs->size(); ++i)
      names.push_back(resultName(func, i));
    if (llvm::Error e = writeNpyFiles(outputDir, names, *outputs))
      return error(llvm::toString(std::move(e)));
  }
  return 0;
}
