//===- API.cpp - the compiler and simulator behind plain C++ types --------===//
#include "escalate/API/API.h"
#include "escalate/Dialect/EscIsa/IR/EscIsaOps.h"
#include "escalate/Import/OnnxImporter.h"
#include "escalate/InitAll.h"
#include "escalate/Pipelines/Pipelines.h"
#include "escalate/Sim/HostIO.h"
#include "escalate/Sim/Simulator.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;
using namespace escalate;

/// Binaries the simulator may be asked to allocate from Python, as
/// escalate-sim's default --max-dram.
constexpr uint64_t kMaxDramBytes = uint64_t(4) << 30;

api::CompileResult api::compileOnnx(const std::string &model,
                                    const std::string &name,
                                    const std::string &options) {
  CompileResult result;
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext ctx(registry);
  // Every error, in order, as the tools print them ("node 'x': ...").
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
    if (d.getSeverity() != DiagnosticSeverity::Error)
      return success();
    std::string node;
    if (auto loc = dyn_cast<NameLoc>(d.getLocation()))
      node = "node '" + loc.getName().str() + "': ";
    result.error += (result.error.empty() ? "" : "\n") + node + d.str();
    return success();
  });
  CompileOptions o;
  std::string optionErrors;
  llvm::raw_string_ostream errs(optionErrors);
  if (failed(o.parseFromString(options, errs))) {
    result.error = "bad options '" + options + "': " + optionErrors;
    return result;
  }
  if (llvm::Error e = checkCompileOptions(o)) {
    result.error = llvm::toString(std::move(e));
    return result;
  }
  if (o.stopAfter != "escisa") {
    result.error = "stop-after is not available here: compile returns a "
                   "program";
    return result;
  }
  ImportResult imported = importOnnx(model, name, ImportOptions(), &ctx);
  if (!imported.module) {
    if (result.error.empty())
      result.error = "the model does not import";
    return result;
  }
  PassManager pm(&ctx, ModuleOp::getOperationName());
  buildCompilePipeline(pm, o);
  if (failed(pm.run(*imported.module))) {
    if (result.error.empty())
      result.error = "compilation failed";
    return result;
  }
  escisa::ProgramOp programOp;
  imported.module->walk([&](escisa::ProgramOp p) { programOp = p; });
  FailureOr<isa::Program> program = failure();
  if (programOp)
    program = escisa::toProgram(programOp);
  if (failed(program)) {
    if (result.error.empty())
      result.error = "no program was emitted";
    return result;
  }
  llvm::Expected<std::string> bytes = isa::writeBinary(*program);
  if (!bytes) {
    result.error = llvm::toString(bytes.takeError());
    return result;
  }
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
    Tensor t(in.isFloat ? DType::F32 : DType::I64, in.shape);
    size_t n = in.isFloat ? in.f32.size() : in.i64.size();
    if (int64_t(n) != t.numElements()) {
      result.error = "input '" + program->inputs[i].name +
                     "': data does not fill its shape";
      return result;
    }
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
