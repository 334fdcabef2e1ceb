//===- LayerConfigFile.h - read per-layer settings files --------*- C++ -*-===//
//
// The file `escalate-compile --config` reads (written by hand or by
// escalate-search): {"layers": {"<layer>": {"<setting>": number, ...}}}.
// Reading it is separate from the pass that attaches it to the model, so
// the reader can be fuzzed and reused without MLIR.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_SUPPORT_LAYERCONFIGFILE_H
#define ESCALATE_SUPPORT_LAYERCONFIGFILE_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <utility>
#include <vector>

namespace escalate {

/// The settings a layer may carry, with their valid ranges.
struct LayerSettingInfo {
  llvm::StringLiteral key;
  double min, max;
  bool integer;
  llvm::StringLiteral range; // for messages
};
inline constexpr LayerSettingInfo kLayerSettings[] = {
    {"bases", 1, 1 << 20, true, "an integer >= 1"},
    {"energy", 1e-9, 1, false, "a number in (0, 1]"},
    {"sparsity", 0, 1, false, "a number in [0, 1]"},
    {"weight_bits", 2, 32, true, "an integer in [2, 32]"},
    {"basis_bits", 2, 32, true, "an integer in [2, 32]"},
    {"coef_bits", 2, 32, true, "an integer in [2, 32]"},
};

/// One layer's settings, each checked against its range, in the order of
/// kLayerSettings (whose entries they point to).
struct LayerSettings {
  std::string layer;
  llvm::SmallVector<std::pair<const LayerSettingInfo *, double>, 4> values;
};

/// The layers of a configuration file, sorted by name, or an error naming
/// the layer and setting at fault (the text nests at most as deep as
/// parseJson allows).
llvm::Expected<std::vector<LayerSettings>>
parseLayerConfig(llvm::StringRef text);

/// The canonical text of `layers` (sorted, one form per number), which
/// parseLayerConfig reads back to the same settings.
std::string printLayerConfig(llvm::ArrayRef<LayerSettings> layers);

} // namespace escalate

#endif
