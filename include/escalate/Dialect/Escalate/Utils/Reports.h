//===- Reports.h - what passes write about layers -------------*- C++ -*-===//
#ifndef ESCALATE_DIALECT_ESCALATE_UTILS_REPORTS_H
#define ESCALATE_DIALECT_ESCALATE_UTILS_REPORTS_H

#include "mlir/IR/Operation.h"
#include "llvm/Support/JSON.h"
#include <string>

namespace escalate {

/// Name of the layer an op came from (its ONNX node), for blobs and reports.
std::string layerName(mlir::Operation *op);

/// Writes `value` as indented JSON to `path` (only once complete); reports
/// failure at `loc`.
llvm::LogicalResult writeJsonFile(mlir::Location loc, llvm::StringRef path,
                                  llvm::json::Value value);

} // namespace escalate

#endif
