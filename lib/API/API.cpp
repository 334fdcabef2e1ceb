//===- API.cpp - the compiler and simulator behind plain C++ types --------===//
#include "escalate/API/API.h"
#include "escalate/Driver/Driver.h"
#include "escalate/InitAll.h"
#include "escalate/Pipelines/Pipelines.h"
#include "escalate/Reference/Interpreter.h"
#include "escalate/Sim/HostIO.h"
#include "escalate/Sim/Simulator.h"
#include "escalate/Target/Escb/Escb.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FormatVariadic.h"
#include <mutex>

using namespace mlir;
using namespace escalate;

/// Binaries the simulator may be asked to allocate from Python, as
/// escalate-sim's default --max-dram.
constexpr uint64_t kMaxDramBytes = uint64_t(4) << 30;

namespace {
/// Collects every error, in order, as the tools print them ("node 'x': ...")
/// into `sink` while it lives.
struct ErrorSink {
  ScopedDiagnosticHandler handler;
  ErrorSink(MLIRContext *ctx, std::string &sink,
            std::vector<std::string> *warnings = nullptr)
      : handler(ctx, [&sink, warnings](Diagnostic &d) {
          if (d.getSeverity() == DiagnosticSeverity::Warning && warnings)
            warnings->push_back(driver::describe(d).text);
          if (d.getSeverity() != DiagnosticSeverity::Error)
            return success();
          sink += (sink.empty() ? "" : "\n") + driver::describe(d).text;
          return success();
        }) {}
};

/// Pipeline options from their text form, with a work folder in `workDir`
/// if they need one; false with `error` set.
bool parseOptions(const std::string &options, CompileOptions &o,
                  ScopedWorkDir &workDir, std::string &error) {
  std::string optionErrors;
  llvm::raw_string_ostream os(optionErrors);
  if (failed(o.parseFromString(options, os))) {
    error = "bad options '" + options + "': " + optionErrors;
    return false;
  }
  if (llvm::Error e = workDir.prepare(o)) {
    error = llvm::toString(std::move(e));
    return false;
  }
  if (llvm::Error e = checkCompileOptions(o)) {
    error = llvm::toString(std::move(e));
    return false;
  }
  return true;
}

/// Imports `model` and runs the compile pipeline with options `o` on it;
/// null with `error` set on failure.
OwningOpRef<ModuleOp> compileModule(MLIRContext &ctx, const std::string &model,
                                    const std::string &name,
                                    const CompileOptions &o, std::string &error,
                                    const api::InputSpecs &inputs = {},
                                    std::vector<std::string> *warnings =
                                        nullptr) {
  ImportOptions importOptions;
  for (const std::string &spec : inputs.shapes)
    if (llvm::Error e = parseInputShape(spec, importOptions)) {
      error = llvm::toString(std::move(e));
      return nullptr;
    }
  for (const std::string &spec : inputs.frozen)
    if (llvm::Error e = parseFrozenInput(spec, importOptions)) {
      error = llvm::toString(std::move(e));
      return nullptr;
    }
  ErrorSink errors(&ctx, error, warnings);
  OwningOpRef<ModuleOp> module =
      driver::compileOnnx(ctx, model, name, importOptions, o);
  if (!module && error.empty())
    error = "compilation failed";
  return module;
}

std::unique_ptr<MLIRContext> newContext() {
  DialectRegistry registry;
  registerAllDialects(registry);
  return std::make_unique<MLIRContext>(registry);
}
} // namespace

api::CompileResult api::compileOnnx(const std::string &model,
                                    const std::string &name,
                                    const std::string &options,
                                    const InputSpecs &inputs,
                                    const std::string &emit, unsigned jobs) {
  CompileResult result;
  CompileOptions o;
  ScopedWorkDir workDir;
  if (!parseOptions(options, o, workDir, result.error))
    return result;
  if (o.stopAfter != "escisa") {
    result.error = "stop-after is not an option here: give emit";
    return result;
  }
  bool program = emit == "bin" || emit == "asm";
  if (!program && !parseStage(emit)) {
    result.error = "emit '" + emit +
                   "' is not bin, asm, escalate, decomposed, quantized, "
                   "tiled or escisa";
    return result;
  }
  if (!program)
    o.stopAfter = emit;
  DialectRegistry registry;
  registerAllDialects(registry);
  driver::ThreadedContext threaded(registry, jobs);
  MLIRContext &ctx = threaded.get();
  OwningOpRef<ModuleOp> module = compileModule(ctx, model, name, o,
                                               result.error, inputs,
                                               &result.warnings);
  if (!module)
    return result;
  ErrorSink errors(&ctx, result.error);
  if (!program) {
    llvm::raw_string_ostream os(result.text);
    module->print(
        os, OpPrintingFlags().enableDebugInfo(true, /*prettyForm=*/false));
    os << "\n";
    return result;
  }
  if (emit == "asm") {
    FailureOr<isa::Program> p = escb::programOf(*module);
    if (succeeded(p)) {
      llvm::raw_string_ostream os(result.text);
      escb::printListing(*p, os);
    }
    return result;
  }
  FailureOr<std::string> bytes = escb::translateToEscb(*module);
  if (succeeded(bytes))
    result.binary = std::move(*bytes);
  return result;
}

static api::HostTensor describe(const isa::TensorDesc &d) {
  api::HostTensor t;
  t.name = d.name;
  t.shape.assign(d.shape.begin(), d.shape.end());
  return t;
}

api::ProgramInfo api::describeProgram(const std::string &binary) {
  ProgramInfo info;
  llvm::Expected<isa::Program> p = isa::readBinary(binary, kMaxDramBytes);
  if (!p) {
    info.error = llvm::toString(p.takeError());
    return info;
  }
  for (const isa::TensorDesc &d : p->inputs)
    info.inputs.push_back(describe(d));
  for (const isa::TensorDesc &d : p->outputs)
    info.outputs.push_back(describe(d));
  return info;
}

api::RunResult api::runProgram(const std::string &binary,
                               const std::vector<HostTensor> &inputs,
                               bool dequantize, uint64_t maxCycles) {
  RunResult result;
  llvm::Expected<isa::Program> program = isa::readBinary(binary, kMaxDramBytes);
  if (!program) {
    result.error = llvm::toString(program.takeError());
    return result;
  }
  if (inputs.size() != program->inputs.size()) {
    result.error = "the program has " + std::to_string(program->inputs.size()) +
                   " input(s); " + std::to_string(inputs.size()) + " given";
    return result;
  }
  sim::Options options;
  options.maxCycles = maxCycles;
  sim::Simulator simulator(*program, options);
  for (size_t i = 0; i < inputs.size(); ++i) {
    const HostTensor &in = inputs[i];
    // The data must be there before the tensor is allocated.
    size_t n = in.isFloat ? in.f32.size() : in.i64.size();
    if (checkedProduct(in.shape) != std::optional<int64_t>(n)) {
      result.error = "input '" + program->inputs[i].name +
                     "': data does not fill its shape";
      return result;
    }
    Tensor t(in.isFloat ? DType::F32 : DType::I64, in.shape);
    if (in.isFloat)
      llvm::copy(in.f32, t.f32().begin());
    else
      llvm::copy(in.i64, t.i64().begin());
    llvm::Expected<std::vector<int64_t>> values =
        sim::inputValues(program->inputs[i], t);
    if (!values) {
      result.error = llvm::toString(values.takeError());
      return result;
    }
    if (llvm::Error e = simulator.setInput(i, *values)) {
      result.error = llvm::toString(std::move(e));
      return result;
    }
  }
  if (llvm::Error e = simulator.run()) {
    result.error = llvm::toString(std::move(e));
    return result;
  }
  for (size_t i = 0; i < program->outputs.size(); ++i) {
    const isa::TensorDesc &d = program->outputs[i];
    Tensor t = sim::outputTensor(d, simulator.output(i), dequantize);
    HostTensor out = describe(d);
    out.isFloat = dequantize;
    if (dequantize)
      out.f32.assign(t.f32().begin(), t.f32().end());
    else
      out.i64.assign(t.i64().begin(), t.i64().end());
    result.outputs.push_back(std::move(out));
  }
  llvm::raw_string_ostream os(result.statsJson);
  sim::writeStatsJson(*program, simulator.stats(), os);
  return result;
}

struct api::ReferenceModel::State {
  /// One run at a time: runs share the context's diagnostic handlers.
  std::mutex mutex;
  std::unique_ptr<MLIRContext> ctx;
  OwningOpRef<ModuleOp> module;
  func::FuncOp func;
  ProgramInfo interface;
};

api::ReferenceModel::ReferenceModel(std::unique_ptr<State> state)
    : state(std::move(state)) {}
api::ReferenceModel::~ReferenceModel() = default;

static api::HostTensor describe(std::string name, Type type) {
  api::HostTensor t;
  t.name = std::move(name);
  if (auto ranked = dyn_cast<RankedTensorType>(type))
    t.shape.assign(ranked.getShape().begin(), ranked.getShape().end());
  return t;
}

std::unique_ptr<api::ReferenceModel>
api::ReferenceModel::create(const std::string &model, const std::string &name,
                            const std::string &options, std::string &error,
                            const InputSpecs &inputs) {
  CompileOptions o;
  ScopedWorkDir workDir;
  if (!parseOptions(options, o, workDir, error))
    return nullptr;
  if (o.stopAfter == "tiled" || o.stopAfter == "escisa") {
    error = "stop-after=" + o.stopAfter +
            ": the reference runs escalate, decomposed or quantized IR";
    return nullptr;
  }
  auto state = std::make_unique<State>();
  state->ctx = newContext();
  state->module = compileModule(*state->ctx, model, name, o, error, inputs);
  if (!state->module)
    return nullptr;
  state->func = state->module->lookupSymbol<func::FuncOp>("main");
  if (!state->func) {
    error = "the compiled model has no func.func @main";
    return nullptr;
  }
  FunctionType type = state->func.getFunctionType();
  for (auto [i, t] : llvm::enumerate(type.getInputs()))
    state->interface.inputs.push_back(
        describe(argumentName(state->func, i), t));
  for (auto [i, t] : llvm::enumerate(type.getResults()))
    state->interface.outputs.push_back(describe(resultName(state->func, i), t));
  return std::unique_ptr<ReferenceModel>(new ReferenceModel(std::move(state)));
}

const api::ProgramInfo &api::ReferenceModel::interface() const {
  return state->interface;
}

api::RunResult api::ReferenceModel::run(const std::vector<HostTensor> &inputs) {
  std::lock_guard<std::mutex> lock(state->mutex);
  RunResult result;
  const std::vector<HostTensor> &want = state->interface.inputs;
  if (inputs.size() != want.size()) {
    result.error = "the model has " + std::to_string(want.size()) +
                   " input(s); " + std::to_string(inputs.size()) + " given";
    return result;
  }
  SmallVector<Tensor> tensors;
  for (auto [in, expected] : llvm::zip(inputs, want)) {
    if (!in.isFloat || in.shape != expected.shape ||
        int64_t(in.f32.size()) != product(in.shape)) {
      result.error = "input '" + expected.name +
                     "' must be float32 of its "
                     "declared shape";
      return result;
    }
    Tensor t(DType::F32, in.shape);
    llvm::copy(in.f32, t.f32().begin());
    tensors.push_back(std::move(t));
  }
  ErrorSink errors(state->ctx.get(), result.error);
  FailureOr<SmallVector<Tensor>> outputs = interpret(state->func, tensors);
  if (failed(outputs)) {
    if (result.error.empty())
      result.error = "the reference run failed";
    return result;
  }
  for (auto [t, d] : llvm::zip(*outputs, state->interface.outputs)) {
    HostTensor out = d;
    out.shape.assign(t.shape().begin(), t.shape().end());
    if (t.dtype() == DType::F32) {
      out.f32.assign(t.f32().begin(), t.f32().end());
    } else {
      out.isFloat = false;
      out.i64.assign(t.i64().begin(), t.i64().end());
    }
    result.outputs.push_back(std::move(out));
  }
  return result;
}

namespace {
std::string optionText(const std::string &v) { return v; }
std::string optionText(bool v) { return v ? "true" : "false"; }
std::string optionText(double v) { return llvm::formatv("{0}", v).str(); }
template <typename Int> std::string optionText(Int v) {
  return std::to_string(v);
}
} // namespace

std::vector<api::OptionInfo> api::compileOptions() {
  std::vector<OptionInfo> out;
#define ESCALATE_PIPELINE_OPTION(TYPE, FIELD, FLAG, INIT, VALUE, DESC)         \
  out.push_back({FLAG, optionText(TYPE(INIT)), DESC, false});
#define ESCALATE_OPTION(TYPE, FIELD, FLAG, INIT, VALUE, DESC)                  \
  out.push_back({FLAG, optionText(TYPE(INIT)), DESC, true});
#include "escalate/Pipelines/CompileOptions.def"
  return out;
}
