//===- Pipelines.h - named pass pipelines -----------------------*- C++ -*-===//
#ifndef ESCALATE_PIPELINES_PIPELINES_H
#define ESCALATE_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

namespace escalate {
/// Graph-level clean-up run right after import: canonicalization (BatchNorm
/// folding, constant folding, Identity/Dropout removal, static shape chains)
/// and CSE. Registered as `escalate-graph-opt`.
void buildGraphOptPipeline(mlir::OpPassManager &pm);
void registerPipelines();
} // namespace escalate

#endif
