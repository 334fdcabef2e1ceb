//===- InitAll.h - register every escalate dialect and pass -----*- C++ -*-===//
#ifndef ESCALATE_INITALL_H
#define ESCALATE_INITALL_H

#include "mlir/IR/DialectRegistry.h"

namespace escalate {
/// The escalate dialect plus the upstream dialects our IR embeds (func).
void registerAllDialects(mlir::DialectRegistry &registry);
/// Escalate passes, the upstream passes our pipelines use, and the named
/// pipelines.
void registerAllPasses();
} // namespace escalate

#endif
