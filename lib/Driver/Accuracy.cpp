//===- Accuracy.cpp - what quantization cost, measured at compile time ----===//
#include "escalate/Driver/Accuracy.h"
#include "escalate/Quantization/Calibration.h"
#include "escalate/Reference/Interpreter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/StringSet.h"
#include <cmath>

using namespace mlir;
using namespace escalate;

namespace {
/// Frees the data of the builtin resource blobs (imported float weights)
/// that no attribute of `module` refers to.
void releaseUnreferencedBlobs(ModuleOp module) {
  llvm::StringSet<> used;
  module->walk([&](Operation *op) {
    for (NamedAttribute a : op->getAttrs())
      a.getValue().walk([&](DenseResourceElementsAttr r) {
        used.insert(r.getRawHandle().getKey());
      });
  });
  auto *blobs = module.getContext()
                    ->getLoadedDialect<BuiltinDialect>()
                    ->getRegisteredInterface<
                        ResourceBlobManagerDialectInterface>();
  if (!blobs)
    return;
  std::vector<std::string> dead;
  blobs->getBlobManager().getBlobMap(
      [&](const llvm::StringMap<DialectResourceBlobManager::BlobEntry> &map) {
        for (const auto &entry : map)
          if (!used.contains(entry.getKey()) && entry.getValue().getBlob())
            dead.push_back(entry.getKey().str());
      });
  for (const std::string &key : dead)
    blobs->getBlobManager().update(key, AsmResourceBlob());
}

struct AfterQuantizeInstrumentation : public PassInstrumentation {
  driver::AfterQuantize &stage;
  OwningOpRef<ModuleOp> asImported;
  explicit AfterQuantizeInstrumentation(driver::AfterQuantize &stage)
      : stage(stage) {}
  void runBeforePass(Pass *, Operation *op) override {
    if (auto module = dyn_cast<ModuleOp>(op);
        module && stage.measureWith && !asImported && !stage.quantized)
      asImported = module.clone();
  }
  void runAfterPass(Pass *pass, Operation *op) override {
    auto module = dyn_cast<ModuleOp>(op);
    if (!module || pass->getArgument() != "escalate-quantize")
      return;
    stage.quantized = true;
    if (asImported) {
      if (llvm::Expected<driver::OutputAccuracy> measured =
              driver::measureAccuracy(*asImported, module, *stage.measureWith,
                                      stage.samples))
        stage.accuracy = *measured;
      else
        stage.accuracy.problem = llvm::toString(measured.takeError());
      asImported = nullptr;
    }
    if (stage.releaseDeadWeights)
      releaseUnreferencedBlobs(module);
  }
};

llvm::Error accuracyError(const llvm::Twine &message) {
  return llvm::createStringError("measuring the output accuracy: " + message);
}
} // namespace

void driver::addAfterQuantize(PassManager &pm, AfterQuantize &stage) {
  pm.addInstrumentation(std::make_unique<AfterQuantizeInstrumentation>(stage));
}

llvm::Expected<driver::OutputAccuracy>
driver::measureAccuracy(ModuleOp asImported, ModuleOp quantized,
                        const CompileOptions &options, unsigned limit) {
  auto floatMain = asImported.lookupSymbol<func::FuncOp>("main");
  auto quantMain = quantized.lookupSymbol<func::FuncOp>("main");
  if (!floatMain || !quantMain)
    return accuracyError("no func.func @main");
  OutputAccuracy result;
  if (options.calibDir.empty() && !options.calibTable.empty())
    return accuracyError("calibrated from --calib-table, without samples");
  result.synthetic = options.calibDir.empty();
  unsigned count = options.calibSamples ? options.calibSamples : 8;
  llvm::Expected<std::vector<calib::Sample>> samples =
      result.synthetic
          ? calib::syntheticSamples(floatMain, std::min<unsigned>(count, limit))
          : calib::loadSamples(options.calibDir, floatMain,
                               options.calibSamples
                                   ? std::min<unsigned>(options.calibSamples, limit)
                                   : limit);
  if (!samples)
    return samples.takeError();
  // The interpreter's errors are the measurement's, not the compile's.
  std::string interpretErrors;
  ScopedDiagnosticHandler quiet(asImported.getContext(), [&](Diagnostic &d) {
    if (d.getSeverity() == DiagnosticSeverity::Error)
      interpretErrors = d.str();
    return success();
  });
  bool compared = false;
  double signal = 0, noise = 0, dot = 0, quantEnergy = 0;
  for (const calib::Sample &s : *samples) {
    if (result.samples == limit)
      break;
    // Diagnostics of these runs go to the context's handler as the
    // compile's did; a failure here is a failure to measure, not to compile.
    FailureOr<SmallVector<Tensor>> want = interpret(floatMain, s);
    FailureOr<SmallVector<Tensor>> got = interpret(quantMain, s);
    if (failed(want) || failed(got) || want->size() != got->size())
      return accuracyError("the reference interpreter failed: " +
                           interpretErrors);
    for (auto [w, g] : llvm::zip(*want, *got)) {
      if (w.dtype() != DType::F32 || g.dtype() != DType::F32 ||
          w.shape() != g.shape())
        continue;
      compared = true;
      for (auto [a, b] : llvm::zip(w.f32(), g.f32())) {
        signal += double(a) * a;
        noise += (double(a) - b) * (double(a) - b);
        dot += double(a) * b;
        quantEnergy += double(b) * b;
      }
    }
    ++result.samples;
  }
  if (!compared)
    return accuracyError("the model has no float output to compare");
  result.sqnrDb = noise > 0 ? 10 * std::log10(signal / noise) : INFINITY;
  result.cosine = signal > 0 && quantEnergy > 0
                      ? dot / std::sqrt(signal * quantEnergy)
                      : (signal == quantEnergy ? 1 : 0);
  return result;
}
