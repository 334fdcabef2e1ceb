//===- LayerConfigFuzzer.cpp - the per-layer configuration reader ---------===//
//
// Text as an `escalate-compile --config` file: it either reads, every
// setting within its range, and then its canonical text reads back to the
// same settings, or it is rejected with an error.
//
//===----------------------------------------------------------------------===//
#include "escalate/Support/LayerConfigFile.h"
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<std::vector<escalate::LayerSettings>> layers =
      escalate::parseLayerConfig(
          llvm::StringRef(reinterpret_cast<const char *>(data), size));
  if (!layers) {
    llvm::consumeError(layers.takeError());
    return 0;
  }
  for (const escalate::LayerSettings &l : *layers)
    for (const auto &[info, v] : l.values)
      if (!(v >= info->min && v <= info->max))
        std::abort();
  std::string text = escalate::printLayerConfig(*layers);
  llvm::Expected<std::vector<escalate::LayerSettings>> again =
      escalate::parseLayerConfig(text);
  if (!again || escalate::printLayerConfig(*again) != text)
    std::abort();
  return 0;
}
