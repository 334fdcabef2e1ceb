//===- InitPasses.cpp - every pass and pipeline escalate-opt offers -------===//
#include "escalate/Conversion/Passes.h"
#include "escalate/Dialect/EscIsa/Transforms/Passes.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "escalate/InitAll.h"
#include "escalate/Pipelines/Pipelines.h"
#include "mlir/Transforms/Passes.h"

void escalate::registerAllPasses() {
  registerEscalatePasses();
  registerConversionPasses();
  escisa::registerEscIsaPasses();
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  registerPipelines();
}
