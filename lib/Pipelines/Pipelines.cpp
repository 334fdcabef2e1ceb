//===- Pipelines.cpp - named pass pipelines and registration --------------===//
#include "escalate/Pipelines/Pipelines.h"
#include "escalate/Dialect/EscIsa/IR/EscIsaOps.h"
#include "escalate/Dialect/Escalate/IR/EscalateDialect.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "escalate/InitAll.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void escalate::buildGraphOptPipeline(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void escalate::registerPipelines() {
  PassPipelineRegistration<>(
      "escalate-graph-opt",
      "Graph-level clean-up after import (canonicalize + CSE)",
      buildGraphOptPipeline);
}

void escalate::registerAllDialects(DialectRegistry &registry) {
  registry.insert<EscalateDialect, escisa::EscIsaDialect, func::FuncDialect,
                  quant::QuantDialect>();
}

void escalate::registerAllPasses() {
  registerEscalatePasses();
  registerCanonicalizerPass();
  registerCSEPass();
  registerPipelines();
}
