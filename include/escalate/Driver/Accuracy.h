//===- Accuracy.h - what quantization cost, measured at compile time -*- C++ -*-===//
//
// escalate-compile's summary states how close the compiled program is to the
// float model: a copy of the module as imported is kept until
// escalate-quantize has run, then it and the quantized module are run by the
// reference interpreter on calibration samples (the quantized reference is
// bit-exact with the simulator, so this is the binary's accuracy on those
// inputs) and the copy is dropped, so the float weights need not outlive
// quantization.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_DRIVER_ACCURACY_H
#define ESCALATE_DRIVER_ACCURACY_H

#include "escalate/Pipelines/Pipelines.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Error.h"

namespace escalate::driver {

struct OutputAccuracy {
  double sqnrDb = 0, cosine = 0;
  unsigned samples = 0;
  bool synthetic = false;
  /// Why it was not measured, if it was not.
  std::string problem;
};

/// What escalate-compile does right after escalate-quantize.
struct AfterQuantize {
  /// Measure the output accuracy on the first `samples` calibration samples
  /// of these options.
  const CompileOptions *measureWith = nullptr;
  unsigned samples = 2;
  /// Free the data of the float weights (resource blobs) the quantized
  /// module no longer refers to. Only for a context in which no other
  /// module refers to them (escalate-compile's).
  bool releaseDeadWeights = false;
  /// Set once escalate-quantize has run.
  bool quantized = false;
  OutputAccuracy accuracy;
};
/// Does `stage`'s work as `pm` runs (`stage` must outlive the run).
void addAfterQuantize(mlir::PassManager &pm, AfterQuantize &stage);
/// Output SQNR and cosine of `quantized` against `asImported` over their
/// outputs on the first `limit` calibration samples the compile used
/// (options' calib dir, else its synthetic ones).
llvm::Expected<OutputAccuracy> measureAccuracy(mlir::ModuleOp asImported,
                                               mlir::ModuleOp quantized,
                                               const CompileOptions &options,
                                               unsigned limit);

} // namespace escalate::driver

#endif
