//===- LayerConfig.cpp - per-layer settings from a configuration file -----===//
#include "escalate/Dialect/Escalate/Transforms/LayerConfig.h"
#include "escalate/Support/Nesting.h"
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include <cmath>

namespace escalate {
#define GEN_PASS_DEF_LAYERCONFIG
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;

std::optional<double> escalate::layerSetting(Operation *op, StringRef key) {
  auto dict = op->getAttrOfType<DictionaryAttr>(kLayerConfigAttr);
  if (!dict)
    return std::nullopt;
  if (auto f = dict.getAs<FloatAttr>(key))
    return f.getValueAsDouble();
  if (auto i = dict.getAs<IntegerAttr>(key))
    return double(i.getInt());
  return std::nullopt;
}

namespace {
struct LayerConfigPass
    : public escalate::impl::LayerConfigBase<LayerConfigPass> {
  using LayerConfigBase::LayerConfigBase;

  LogicalResult fail(const Twine &message) {
    emitError(getOperation().getLoc())
        << "escalate-layer-config: " << configFile << ": " << message;
    return failure();
  }

  /// The settings of one layer as attributes, or failure naming the bad one.
  FailureOr<DictionaryAttr> settings(StringRef layer,
                                     const llvm::json::Object &object) {
    Builder b(&getContext());
    SmallVector<NamedAttribute> attrs;
    for (const auto &entry : object) {
      StringRef key = entry.first;
      const llvm::json::Value &value = entry.second;
      const LayerSettingInfo *info =
          llvm::find_if(kLayerSettings, [&](const LayerSettingInfo &s) {
            return StringRef(s.key) == key;
          });
      if (info == std::end(kLayerSettings)) {
        (void)fail("layer '" + layer + "': unknown setting '" + key.str() +
                   "' (bases, energy, sparsity, weight_bits, basis_bits, "
                   "coef_bits)");
        return failure();
      }
      std::optional<double> v = value.getAsNumber();
      if (!v || !(*v >= info->min && *v <= info->max) ||
          (info->integer && *v != std::floor(*v))) {
        (void)fail("layer '" + layer + "': '" + key.str() + "' must be " +
                   info->range);
        return failure();
      }
      attrs.push_back(b.getNamedAttr(
          key, info->integer ? Attribute(b.getI64IntegerAttr(int64_t(*v)))
                             : Attribute(b.getF64FloatAttr(*v))));
    }
    if (object.get("bases") && object.get("energy")) {
      (void)fail("layer '" + layer + "': give bases or energy, not both");
      return failure();
    }
    return b.getDictionaryAttr(attrs);
  }

  void runOnOperation() override {
    if (configFile.empty())
      return;
    auto buffer = llvm::MemoryBuffer::getFile(configFile);
    if (!buffer) {
      (void)fail(buffer.getError().message());
      return signalPassFailure();
    }
    llvm::Expected<llvm::json::Value> json =
        parseJson((*buffer)->getBuffer());
    if (!json) {
      (void)fail(llvm::toString(json.takeError()));
      return signalPassFailure();
    }
    const llvm::json::Object *root = json->getAsObject();
    const llvm::json::Object *layers =
        root ? root->getObject("layers") : nullptr;
    if (!layers) {
      (void)fail("expected an object with a \"layers\" object");
      return signalPassFailure();
    }
    llvm::StringMap<Operation *> byName;
    getOperation().walk([&](Operation *op) {
      if (llvm::isa<ConvOp, DecomposedConvOp, GemmOp>(op))
        byName.try_emplace(layerName(op), op);
    });
    for (const auto &[name, value] : *layers) {
      Operation *op = byName.lookup(name);
      const llvm::json::Object *object = value.getAsObject();
      if (!op || !object) {
        (void)fail("layer '" + name.str() + "' " +
                   (op ? "must map to an object of settings"
                       : "names no convolution or Gemm in the model"));
        return signalPassFailure();
      }
      FailureOr<DictionaryAttr> attrs = settings(name, *object);
      if (failed(attrs))
        return signalPassFailure();
      op->setAttr(kLayerConfigAttr, *attrs);
    }
  }
};
} // namespace
