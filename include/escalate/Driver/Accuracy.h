//===- Accuracy.h - what quantization cost, measured at compile time -*- C++ -*-===//
//
// escalate-compile's summary states how close the compiled program is to the
// float model: copies of the module as imported and as quantized are kept
// while the pipeline runs, and both are run by the reference interpreter on
// calibration samples (the quantized reference is bit-exact with the
// simulator, so this is the binary's accuracy on those inputs).
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

/// The module before the pipeline's first pass and after escalate-quantize.
struct StageCopies {
  mlir::OwningOpRef<mlir::ModuleOp> asImported, quantized;
};
/// Fills `copies` as `pm` runs (they must outlive the run).
void keepStageCopies(mlir::PassManager &pm, StageCopies &copies);

struct OutputAccuracy {
  double sqnrDb = 0, cosine = 0;
  unsigned samples = 0;
  bool synthetic = false;
  /// Why it was not measured, if it was not.
  std::string problem;
};
/// Output SQNR and cosine of `quantized` against `asImported` over their
/// outputs on the first `limit` calibration samples the compile used
/// (options' calib dir, else its synthetic ones).
llvm::Expected<OutputAccuracy> measureAccuracy(mlir::ModuleOp asImported,
                                               mlir::ModuleOp quantized,
                                               const CompileOptions &options,
                                               unsigned limit);

} // namespace escalate::driver

#endif
