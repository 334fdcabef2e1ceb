//===- LayerConfigFile.cpp - read per-layer settings files ----------------===//
#include "escalate/Support/LayerConfigFile.h"
#include "escalate/Support/Nesting.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>

using namespace escalate;

static llvm::Error configError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The settings of one layer, or an error naming the bad one.
static llvm::Expected<LayerSettings>
readLayer(llvm::StringRef layer, const llvm::json::Object &object) {
  for (const auto &entry : object) {
    llvm::StringRef key = entry.first;
    if (llvm::none_of(kLayerSettings, [&](const LayerSettingInfo &s) {
          return s.key == key;
        }))
      return configError("layer '" + layer + "': unknown setting '" + key +
                         "' (bases, energy, sparsity, weight_bits, "
                         "basis_bits, coef_bits)");
  }
  if (object.get("bases") && object.get("energy"))
    return configError("layer '" + layer + "': give bases or energy, not both");
  LayerSettings settings{layer.str(), {}};
  for (const LayerSettingInfo &info : kLayerSettings) {
    const llvm::json::Value *value = object.get(info.key);
    if (!value)
      continue;
    std::optional<double> v = value->getAsNumber();
    if (!v || !(*v >= info.min && *v <= info.max) ||
        (info.integer && *v != std::floor(*v)))
      return configError("layer '" + layer + "': '" + info.key +
                         "' must be " + info.range);
    settings.values.emplace_back(&info, *v);
  }
  return settings;
}

llvm::Expected<std::vector<LayerSettings>>
escalate::parseLayerConfig(llvm::StringRef text) {
  llvm::Expected<llvm::json::Value> json = parseJson(text);
  if (!json)
    return json.takeError();
  const llvm::json::Object *root = json->getAsObject();
  const llvm::json::Object *layers =
      root ? root->getObject("layers") : nullptr;
  if (!layers)
    return configError("expected an object with a \"layers\" object");
  std::vector<LayerSettings> result;
  for (const auto &[name, value] : *layers) {
    const llvm::json::Object *object = value.getAsObject();
    if (!object)
      return configError("layer '" + name.str() +
                         "' must map to an object of settings");
    llvm::Expected<LayerSettings> settings = readLayer(name, *object);
    if (!settings)
      return settings.takeError();
    result.push_back(std::move(*settings));
  }
  llvm::sort(result, [](const LayerSettings &a, const LayerSettings &b) {
    return a.layer < b.layer;
  });
  return result;
}

std::string escalate::printLayerConfig(llvm::ArrayRef<LayerSettings> layers) {
  llvm::json::Object byName;
  for (const LayerSettings &l : layers) {
    llvm::json::Object values;
    for (const auto &[info, v] : l.values)
      values[info->key] = v;
    byName[l.layer] = std::move(values);
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(llvm::json::Object{{"layers", std::move(byName)}});
  return text;
}
