//===- LayerConfig.h - per-layer settings from a configuration file -*- C++
//-*-===//
//
// escalate-layer-config attaches a layer's settings from a JSON file (written
// by hand or by escalate-search) to its op; the decomposition, pruning and
// quantization passes read them there and let them override their options
// for that layer.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_DIALECT_ESCALATE_TRANSFORMS_LAYERCONFIG_H
#define ESCALATE_DIALECT_ESCALATE_TRANSFORMS_LAYERCONFIG_H

#include "escalate/Support/LayerConfigFile.h"
#include "mlir/IR/Operation.h"
#include <optional>

namespace escalate {

/// Dictionary of a layer's settings on its conv, decomposed conv or Gemm.
constexpr llvm::StringLiteral kLayerConfigAttr = "escalate.layer_config";

/// The setting `key` on `op`, if its layer's configuration gives one.
std::optional<double> layerSetting(mlir::Operation *op, llvm::StringRef key);

} // namespace escalate

#endif
