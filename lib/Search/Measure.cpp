//===- Measure.cpp - measuring layer options and whole models -------------===//
#include "escalate/Search/Measure.h"
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/LayerConfig.h"
#include "escalate/Dialect/Escalate/Utils/AcceleratorLayers.h"
#include "escalate/InitAll.h"
#include "escalate/Pipelines/Pipelines.h"
#include "escalate/Reference/Interpreter.h"
#include "escalate/Sim/Simulator.h"
#include "escalate/Support/TensorFiles.h"
#include "escalate/Target/Escb/Escb.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace escalate;
using namespace escalate::search;

namespace {
/// Collects error diagnostics of `ctx` while alive, for llvm::Error.
struct ErrorCollector {
  std::string text;
  ScopedDiagnosticHandler handler;
  explicit ErrorCollector(MLIRContext *ctx)
      : handler(ctx, [this](Diagnostic &d) {
          if (d.getSeverity() == DiagnosticSeverity::Error)
            text += (text.empty() ? "" : "; ") + d.str();
          return success();
        }) {}
  llvm::Error error(StringRef what) const {
    return llvm::createStringError(what + ": " +
                                   (text.empty() ? "failed" : text));
  }
};

double meanSquare(ArrayRef<float> a, ArrayRef<float> b = {}) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    double d = b.empty() ? a[i] : double(a[i]) - b[i];
    sum += d * d;
  }
  return a.empty() ? 0 : sum / a.size();
}

/// What every compile of the search shares: the mode, the hardware, the
/// model's calibration table.
void setCompileOptions(CompileOptions &o, const Workbench &wb,
                       StringRef stopAfter) {
  o.mode = wb.mode;
  // Pruned: the model's own zeros, as trained (bench/escalate_table.sh).
  if (wb.mode == "pruned")
    o.sparsity = 0;
  o.stopAfter = stopAfter.str();
  o.hw = wb.hwPath;
  o.calibTable = wb.calibTable;
}

LogicalResult runPipeline(ModuleOp m, const CompileOptions &o, bool backend) {
  PassManager pm(m.getContext(), ModuleOp::getOperationName());
  if (backend)
    buildBackendPipeline(pm, o);
  else
    buildCompilePipeline(pm, o);
  return pm.run(m);
}

/// Runs the quantized `m` on every sample, outputs as floats.
FailureOr<std::vector<SmallVector<Tensor>>>
runAll(ModuleOp m, ArrayRef<SmallVector<Tensor>> samples) {
  auto f = m.lookupSymbol<func::FuncOp>("main");
  std::vector<SmallVector<Tensor>> outputs;
  for (const SmallVector<Tensor> &s : samples) {
    FailureOr<SmallVector<Tensor>> out = interpret(f, s);
    if (failed(out))
      return failure();
    outputs.push_back(std::move(*out));
  }
  return outputs;
}

/// Top-1 of `m`'s first output on a labelled set.
FailureOr<double> classify(ModuleOp m, const LabelledSet &set) {
  FailureOr<std::vector<SmallVector<Tensor>>> outs = runAll(m, set.inputs);
  if (failed(outs))
    return failure();
  size_t correct = 0;
  for (auto [out, label] : llvm::zip(*outs, set.labels)) {
    ArrayRef<float> v = out.front().f32();
    correct += std::max_element(v.begin(), v.end()) - v.begin() == label;
  }
  return double(correct) / std::max<size_t>(set.labels.size(), 1);
}

/// Simulates `m`'s escisa program on zero inputs.
llvm::Expected<sim::Stats> simulate(ModuleOp m) {
  FailureOr<isa::Program> program = escb::programOf(m);
  if (failed(program))
    return llvm::createStringError("the program does not assemble");
  sim::Simulator simulator(*program, {});
  for (size_t i = 0; i < program->inputs.size(); ++i) {
    std::vector<int64_t> zeros(product(program->inputs[i].shape), 0);
    if (llvm::Error e = simulator.setInput(i, zeros))
      return std::move(e);
  }
  if (llvm::Error e = simulator.run())
    return std::move(e);
  return simulator.stats();
}
} // namespace

FailureOr<Workbench> search::prepare(ModuleOp model,
                                     std::vector<calib::Sample> samples,
                                     StringRef hwPath, StringRef mode,
                                     StringRef workDir) {
  Workbench wb;
  wb.hwPath = hwPath.str();
  wb.mode = mode.str();
  wb.samples = std::move(samples);
  auto f = model.lookupSymbol<func::FuncOp>("main");
  if (!f)
    return model.emitError("the model has no func.func @main");
  FailureOr<calib::Table> table = calib::calibrate(f, wb.samples, {});
  if (failed(table))
    return failure();
  SmallString<256> tablePath(workDir);
  llvm::sys::path::append(tablePath, "calib.txt");
  wb.calibTable = tablePath.str().str();
  if (llvm::Error e = table->save(wb.calibTable))
    return model.emitError(llvm::toString(std::move(e)));

  // The searchable layers, and the values to record for them.
  llvm::MapVector<Value, std::string> names = calib::activationNames(f);
  struct Probe {
    ConvOp conv;
    Value point; // the conv's result, or its fused activation's
  };
  std::vector<Probe> probes;
  f.walk([&](ConvOp conv) {
    if (wb.mode != "decomposed")
      return;
    auto w = conv.getWeight().getType();
    int64_t k = product(w.getShape().drop_front(2));
    if (conv.getGroup() != 1 || k <= 1 || w.getDimSize(1) <= 1 ||
        failed(constantValue(conv.getWeight())) ||
        !llvm::isa<NameLoc>(conv->getLoc()) || !names.count(conv.getInput()))
      return;
    Operation *act = fusedActivation(conv.getResult(), /*allowLeaky=*/true);
    probes.push_back({conv, act ? Value(act->getResult(0)) : Value(conv)});
  });

  // Each layer alone: its input as the argument, named as in the model so
  // that the shared calibration table quantizes it the same way.
  for (Probe &p : probes) {
    OpBuilder b(model.getContext());
    Location loc = p.conv.getLoc();
    OwningOpRef<ModuleOp> mini = ModuleOp::create(loc);
    b.setInsertionPointToEnd(mini->getBody());
    Value in = p.conv.getInput();
    auto fn = func::FuncOp::create(
        b, loc, "main", b.getFunctionType({in.getType()}, {p.point.getType()}));
    fn.setArgAttr(0, "escalate.name", b.getStringAttr(names.lookup(in)));
    Block *body = fn.addEntryBlock();
    b.setInsertionPointToStart(body);
    IRMapping map;
    map.map(in, body->getArgument(0));
    for (Value operand : p.conv->getOperands().drop_front())
      b.clone(*operand.getDefiningOp(), map);
    Operation *last = b.clone(*p.conv, map);
    if (Operation *act =
            fusedActivation(p.conv.getResult(), /*allowLeaky=*/true))
      last = b.clone(*act, map);
    func::ReturnOp::create(b, loc, last->getResult(0));
    Workbench::LayerData layer;
    layer.name = layerName(p.conv);
    layer.kernelSize =
        product(p.conv.getWeight().getType().getShape().drop_front(2));
    llvm::raw_string_ostream os(layer.module);
    mini->print(os, OpPrintingFlags().enableDebugInfo());
    wb.layers.push_back(std::move(layer));
  }

  // Record every layer's input and output, and the model's outputs.
  for (const calib::Sample &s : wb.samples) {
    InterpretOptions options;
    options.observe = [&](Operation *op, MutableArrayRef<Tensor> results) {
      for (auto [value, tensor] : llvm::zip(op->getResults(), results))
        for (size_t i = 0; i < probes.size(); ++i) {
          if (value == probes[i].conv.getInput())
            wb.layers[i].inputs.push_back(tensor);
          if (value == probes[i].point)
            wb.layers[i].outputs.push_back(tensor);
        }
      return success();
    };
    for (size_t i = 0; i < probes.size(); ++i)
      if (auto arg = dyn_cast<BlockArgument>(probes[i].conv.getInput()))
        wb.layers[i].inputs.push_back(s[arg.getArgNumber()]);
    FailureOr<SmallVector<Tensor>> out = interpret(f, s, options);
    if (failed(out))
      return failure();
    wb.floatOutputs.push_back(std::move(*out));
  }
  double sum = 0;
  size_t count = 0;
  for (const SmallVector<Tensor> &outs : wb.floatOutputs)
    for (const Tensor &t : outs) {
      sum += meanSquare(t.f32()) * t.numElements();
      count += t.numElements();
    }
  wb.signal = count ? sum / count : 0;
  return wb;
}

FailureOr<double> search::measureGain(ModuleOp model, const Workbench &wb,
                                      size_t index, ArrayRef<Tensor> pattern) {
  auto f = model.lookupSymbol<func::FuncOp>("main");
  // The layer's output point: its fused activation if it has one.
  Operation *point = nullptr;
  f.walk([&](ConvOp conv) {
    if (layerName(conv) == wb.layers[index].name && !point) {
      Operation *act = fusedActivation(conv.getResult(), /*allowLeaky=*/true);
      point = act ? act : conv.getOperation();
    }
  });
  if (!point)
    return model.emitError("no layer '" + wb.layers[index].name + "'");
  double injected = 0, produced = 0;
  for (size_t s = 0; s < wb.samples.size(); ++s) {
    InterpretOptions options;
    options.observe = [&](Operation *op, MutableArrayRef<Tensor> results) {
      if (op != point)
        return success();
      MutableArrayRef<float> values = results[0].f32();
      ArrayRef<float> add = pattern[s].f32();
      for (size_t i = 0; i < values.size() && i < add.size(); ++i)
        values[i] += add[i];
      injected += meanSquare(add);
      return success();
    };
    FailureOr<SmallVector<Tensor>> out = interpret(f, wb.samples[s], options);
    if (failed(out))
      return failure();
    for (size_t o = 0; o < out->size(); ++o)
      produced += meanSquare((*out)[o].f32(), wb.floatOutputs[s][o].f32());
  }
  return injected > 0 ? produced / injected : 0.0;
}

llvm::Expected<Measure> search::measureOption(const Workbench &wb, size_t index,
                                              const Option &option,
                                              std::vector<Tensor> *outputs) {
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext ctx(registry, MLIRContext::Threading::DISABLED);
  ErrorCollector errors(&ctx);
  const Workbench::LayerData &layer = wb.layers[index];
  OwningOpRef<ModuleOp> m = parseSourceString<ModuleOp>(layer.module, &ctx);
  if (!m)
    return errors.error("layer '" + layer.name + "' does not parse");
  Builder b(&ctx);
  m->walk([&](ConvOp conv) {
    conv->setAttr(
        kLayerConfigAttr,
        b.getDictionaryAttr(
            {b.getNamedAttr("bases", b.getI64IntegerAttr(option.bases)),
             b.getNamedAttr("sparsity", b.getF64FloatAttr(option.sparsity)),
             b.getNamedAttr("basis_bits",
                            b.getI64IntegerAttr(option.basisBits)),
             b.getNamedAttr("coef_bits",
                            b.getI64IntegerAttr(option.coefBits))}));
  });
  std::string what = "layer '" + layer.name + "' with " + option.describe();
  CompileOptions o;
  setCompileOptions(o, wb, "quantized");
  if (failed(runPipeline(*m, o, false)))
    return errors.error(what);
  Measure measure;
  auto f = m->lookupSymbol<func::FuncOp>("main");
  for (size_t s = 0; s < layer.inputs.size(); ++s) {
    FailureOr<SmallVector<Tensor>> out = interpret(f, {layer.inputs[s]});
    if (failed(out))
      return errors.error(what);
    measure.error += meanSquare((*out)[0].f32(), layer.outputs[s].f32());
    if (outputs)
      outputs->push_back(std::move((*out)[0]));
  }
  measure.error /= std::max<size_t>(layer.inputs.size(), 1);
  o.stopAfter = "escisa";
  if (failed(runPipeline(*m, o, true)))
    return errors.error(what);
  llvm::Expected<sim::Stats> stats = simulate(*m);
  if (!stats)
    return llvm::createStringError(what + ": " +
                                   llvm::toString(stats.takeError()));
  measure.cycles = double(stats->cycles);
  measure.energyPj = stats->total.energy();
  return measure;
}

llvm::Expected<ModelResult> search::measureModel(ModuleOp model,
                                                 const Workbench &wb,
                                                 StringRef configPath,
                                                 bool simulate) {
  ErrorCollector errors(model.getContext());
  OwningOpRef<ModuleOp> m = model.clone();
  CompileOptions o;
  setCompileOptions(o, wb, "quantized");
  o.config = configPath.str();
  o.calibTable = "";
  o.calibDir = wb.calibDir;
  o.calibSamples = wb.calibLimit;
  if (failed(runPipeline(*m, o, false)))
    return errors.error("compiling the model with " + configPath.str());
  FailureOr<std::vector<SmallVector<Tensor>>> outs = runAll(*m, wb.samples);
  if (failed(outs))
    return errors.error("running the quantized model");
  ModelResult r;
  double noise = 0;
  size_t count = 0, rows = 0, agree = 0;
  for (size_t s = 0; s < outs->size(); ++s)
    for (size_t o = 0; o < (*outs)[s].size(); ++o) {
      const Tensor &q = (*outs)[s][o], &ref = wb.floatOutputs[s][o];
      noise += meanSquare(q.f32(), ref.f32()) * q.numElements();
      count += q.numElements();
      if (q.rank() != 2)
        continue;
      int64_t width = q.dim(1);
      for (int64_t row = 0; row < q.dim(0); ++row) {
        auto argmax = [&](ArrayRef<float> v) {
          return std::max_element(v.begin() + row * width,
                                  v.begin() + (row + 1) * width) -
                 v.begin();
        };
        agree += argmax(q.f32()) == argmax(ref.f32());
        ++rows;
      }
    }
  r.noise = count ? noise / count : 0;
  r.sqnrDb = 10 * std::log10(wb.signal / std::max(r.noise, 1e-30));
  r.agreement = rows ? double(agree) / rows : 1.0;
  if (!wb.labelled.labels.empty()) {
    FailureOr<double> top1 = classify(*m, wb.labelled);
    if (failed(top1))
      return errors.error("running the quantized model on the labelled set");
    r.top1 = *top1;
  }
  if (!simulate)
    return r;
  o.stopAfter = "escisa";
  if (failed(runPipeline(*m, o, true)))
    return errors.error("emitting the model's program");
  llvm::Expected<sim::Stats> stats = ::simulate(*m);
  if (!stats)
    return stats.takeError();
  r.cycles = double(stats->cycles);
  r.energyPj = stats->total.energy();
  for (const sim::LayerStats &l : stats->layers)
    r.layers[l.name] = {double(l.end - l.start), l.counts.energy(), 0};
  return r;
}

llvm::Expected<LabelledSet> search::loadLabelled(ModuleOp model, StringRef dir,
                                                 unsigned limit) {
  auto f = model.lookupSymbol<func::FuncOp>("main");
  if (!f || f.getNumArguments() != 1)
    return llvm::createStringError("--labels needs a model with one input");
  auto type = dyn_cast<RankedTensorType>(f.getArgumentTypes()[0]);
  if (!type || type.getRank() != 4 || type.getDimSize(0) != 1)
    return llvm::createStringError(
        "--labels needs a model whose input is one image [1, C, H, W]");
  SmallString<256> imagesPath(dir), labelsPath(dir);
  llvm::sys::path::append(imagesPath, "images.npy");
  llvm::sys::path::append(labelsPath, "labels.npy");
  llvm::Expected<Tensor> images = readTensorFile(imagesPath);
  if (!images)
    return images.takeError();
  llvm::Expected<Tensor> labels = readTensorFile(labelsPath);
  if (!labels)
    return labels.takeError();
  ArrayRef<int64_t> want = type.getShape().drop_front();
  ArrayRef<int64_t> shape = images->shape();
  bool oneChannel = shape.size() == 3 && want[0] == 1 &&
                    shape.drop_front() == want.drop_front();
  if (!(shape.size() == 4 && shape.drop_front() == want) && !oneChannel) {
    std::string dims;
    llvm::raw_string_ostream os(dims);
    llvm::interleave(want, os, "x");
    return llvm::createStringError(
        imagesPath + ": images of shape " + images->describe() +
        " do not fit the model's input image " + dims);
  }
  if (labels->dtype() != DType::I64 || labels->rank() != 1 ||
      labels->dim(0) != shape[0])
    return llvm::createStringError(labelsPath + ": needs " + Twine(shape[0]) +
                                   " integer labels (one per image), holds " +
                                   labels->describe());
  int64_t n = shape[0];
  if (limit && limit < n)
    n = limit;
  if (n == 0)
    return llvm::createStringError(imagesPath + ": holds no images");
  for (int64_t i = 0; i < n; ++i)
    if (labels->i64()[i] < 0)
      return llvm::createStringError(labelsPath + ": label " +
                                     Twine(labels->i64()[i]) + " of image " +
                                     Twine(i) + " is negative");
  int64_t size = product(want);
  LabelledSet set;
  for (int64_t i = 0; i < n; ++i) {
    Tensor x(DType::F32, type.getShape());
    for (int64_t j = 0; j < size; ++j)
      x.f32()[j] = images->dtype() == DType::F32
                       ? images->f32()[i * size + j]
                       : float(images->i64()[i * size + j]) / 255.0f;
    set.inputs.push_back({std::move(x)});
    set.labels.push_back(labels->i64()[i]);
  }
  FailureOr<double> top1 = classify(model, set);
  if (failed(top1))
    return llvm::createStringError("the float model fails on the labelled "
                                   "set");
  set.floatTop1 = *top1;
  return set;
}

llvm::json::Object search::resultJson(const ModelResult &r) {
  llvm::json::Object o{{"cycles", r.cycles},
                       {"energy_pj", r.energyPj},
                       {"sqnr_db", r.sqnrDb},
                       {"agreement", r.agreement}};
  if (r.top1 >= 0)
    o["top1"] = r.top1;
  return o;
}
