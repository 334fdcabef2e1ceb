//===- escalate-run.cpp - run a model on the float32 reference interpreter ===//
//
// Exit codes (escalate/Support/Tool.h): 0 success, 1 bad model, input or
// flag, 2 outputs outside the --expected tolerances, 3 the model uses
// something we do not support (op, opset or dtype).
//
//===----------------------------------------------------------------------===//
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Import/OnnxImporter.h"
#include "escalate/InitAll.h"
#include "escalate/Numerics/Numerics.h"
#include "escalate/Pipelines/Pipelines.h"
#include "escalate/Reference/Interpreter.h"
#include "escalate/Support/TensorFiles.h"
#include "escalate/Support/Tool.h"
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
#include "llvm/Support/FormatVariadic.h"
#include <cmath>
#include <numeric>

using namespace mlir;
using namespace escalate;
namespace cl = llvm::cl;

static cl::OptionCategory runCategory("escalate-run options");
static cl::opt<std::string> modelPath(cl::Positional,
                                      cl::desc("<model.onnx|model.mlir>"),
                                      cl::cat(runCategory));
static cl::list<std::string> inputFiles(
    "input",
    cl::desc("Input tensors (.npy or .pb): FILE... in the order of the graph "
             "inputs, or name=FILE for the input of that name"),
    cl::value_desc("file"), cl::CommaSeparated, cl::cat(runCategory));
static cl::opt<std::string> outputDir(
    "output-dir",
    cl::desc("Write each output as DIR/<output name>.npy (without it, and "
             "without --expected, each output is summarised on stdout)"),
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
    "expected",
    cl::desc("Compare outputs against these tensors (FILE...), in order; "
             "exit status 2 if they differ"),
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
using tool::kExitInvalid, tool::kExitUnsupported;

int error(const llvm::Twine &msg) {
  llvm::outs().flush();
  llvm::WithColor::error(llvm::errs(), "escalate-run") << msg << "\n";
  return kExitInvalid;
}

void printSupportedOps() {
  llvm::outs() << "| ONNX operator | opsets | notes |\n|---|---|---|\n";
  for (const SupportedOp &op : supportedOnnxOps())
    llvm::outs() << "| " << op.name << " | " << op.minOpset << "-"
                 << op.maxOpset << " | " << op.notes << " |\n";
}

/// numpy.allclose semantics, with NaN equal to NaN; prints a summary line.
/// Float and integer tensors compare by value: the reference computes
/// ArgMax's indices as floats.
bool compare(StringRef name, const Tensor &got, const Tensor &want) {
  if (got.shape() != want.shape()) {
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

/// "output 'y': 1x10xf32, min -2.1, max 3.4, mean 0.12; top-5: 3 (3.4),
/// ..." (the top five for a classifier's [N] or [1, N] scores).
void summarize(StringRef name, const Tensor &t) {
  llvm::outs() << "output '" << name << "': " << t.describe();
  int64_t n = t.numElements();
  auto at = [&](int64_t i) {
    return t.dtype() == DType::F32 ? double(t.f32()[i]) : double(t.i64()[i]);
  };
  if (n == 0) {
    llvm::outs() << ", empty\n";
    return;
  }
  double lo = at(0), hi = at(0), sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    lo = std::min(lo, at(i));
    hi = std::max(hi, at(i));
    sum += at(i);
  }
  llvm::outs() << ", min " << llvm::format("%g", lo) << ", max "
               << llvm::format("%g", hi) << ", mean "
               << llvm::format("%g", sum / double(n));
  bool scores = n > 1 && (t.rank() == 1 || (t.rank() == 2 && t.dim(0) == 1));
  if (scores) {
    std::vector<int64_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    int64_t k = std::min<int64_t>(5, n);
    // NaN (with --allow-nonfinite) sorts last, keeping the order strict.
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](int64_t a, int64_t b) {
                        double x = at(a), y = at(b);
                        return std::isnan(y) ? !std::isnan(x) : x > y;
                      });
    llvm::outs() << "; top-" << k << ":";
    for (int64_t i = 0; i < k; ++i)
      llvm::outs() << " " << order[i] << " ("
                   << llvm::format("%g", at(order[i])) << ")";
  }
  llvm::outs() << "\n";
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(runCategory);
  tool::installVersionPrinter("escalate-run");
  std::vector<std::string> expanded;
  std::vector<const char *> args =
      tool::expandFileLists(argc, argv, {"input", "expected"}, expanded);
  cl::ParseCommandLineOptions(int(args.size()), args.data(),
                              "ESCALATE reference interpreter\n");
  if (listOps) {
    printSupportedOps();
    return 0;
  }
  if (modelPath.empty())
    return error("no model given");
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
      return kExitInvalid;
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
                                                            : kExitInvalid;
    module = std::move(imported.module);
  }
  auto func = module->lookupSymbol<func::FuncOp>("main");
  if (!func)
    return error(modelPath + ": no func.func @main");
  if (!noOpt) {
    PassManager pm(&ctx);
    buildGraphOptPipeline(pm);
    if (failed(pm.run(*module)))
      return kExitInvalid;
  }

  SmallVector<std::string> argNames;
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    argNames.push_back(argumentName(func, i));
  llvm::Expected<std::vector<std::string>> bound =
      tool::bindInputs(inputFiles, argNames);
  if (!bound)
    return error(modelPath + ": " + llvm::toString(bound.takeError()));
  SmallVector<Tensor> inputs;
  for (const std::string &path : *bound) {
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
        return kExitInvalid;
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
    return kExitInvalid;
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
    if (!ok) {
      error("outputs differ from the expected tensors");
      return tool::kExitThreshold;
    }
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
  if (outputDir.empty() && expectedFiles.empty())
    for (auto [i, t] : llvm::enumerate(*outputs))
      summarize(resultName(func, i), t);
  return tool::kExitOk;
}
