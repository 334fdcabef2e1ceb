//===- Accuracy.cpp - what quantization cost, measured at compile time ----===//
#include "escalate/Driver/Accuracy.h"
#include "escalate/Quantization/Calibration.h"
#include "escalate/Reference/Interpreter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include <cmath>

using namespace mlir;
using namespace escalate;

namespace {
struct CopyStages : public PassInstrumentation {
  driver::StageCopies &copies;
  explicit CopyStages(driver::StageCopies &copies) : copies(copies) {}
  void runBeforePass(Pass *, Operation *op) override {
    if (auto module = dyn_cast<ModuleOp>(op); module && !copies.asImported)
      copies.asImported = module.clone();
  }
  void runAfterPass(Pass *pass, Operation *op) override {
    if (auto module = dyn_cast<ModuleOp>(op);
        module && pass->getArgument() == "escalate-quantize")
      copies.quantized = module.clone();
  }
};

llvm::Error accuracyError(const llvm::Twine &message) {
  return llvm::createStringError("measuring the output accuracy: " + message);
}
} // namespace

void driver::keepStageCopies(PassManager &pm, StageCopies &copies) {
  pm.addInstrumentation(std::make_unique<CopyStages>(copies));
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
