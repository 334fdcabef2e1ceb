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

#include "mlir/IR/Operation.h"
#include <optional>

namespace escalate {

/// Dictionary of a layer's settings on its conv, decomposed conv or Gemm.
constexpr llvm::StringLiteral kLayerConfigAttr = "escalate.layer_config";

/// The settings a layer may carry, with their valid ranges.
struct LayerSettingInfo {
  llvm::StringLiteral key;
  double min, max;
  bool integer;
  llvm::StringLiteral range; // for messages
};
constexpr LayerSettingInfo kLayerSettings[] = {
    {"bases", 1, 1 << 20, true, "an integer >= 1"},
    {"energy", 1e-9, 1, false, "a number in (0, 1]"},
    {"sparsity", 0, 1, false, "a number in [0, 1]"},
    {"weight_bits", 2, 32, true, "an integer in [2, 32]"},
    {"basis_bits", 2, 32, true, "an integer in [2, 32]"},
    {"coef_bits", 2, 32, true, "an integer in [2, 32]"},
};

/// The setting `key` on `op`, if its layer's configuration gives one.
std::optional<double> layerSetting(mlir::Operation *op, llvm::StringRef key);

} // namespace escalate

#endif
