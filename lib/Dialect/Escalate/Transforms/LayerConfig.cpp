//===- LayerConfig.cpp - per-layer settings from a configuration file -----===//
#include "escalate/Dialect/Escalate/Transforms/LayerConfig.h"
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"

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

  /// The settings of one layer as attributes.
  DictionaryAttr settings(const LayerSettings &layer) {
    Builder b(&getContext());
    SmallVector<NamedAttribute> attrs;
    for (const auto &[info, v] : layer.values)
      attrs.push_back(b.getNamedAttr(
          info->key, info->integer ? Attribute(b.getI64IntegerAttr(int64_t(v)))
                                   : Attribute(b.getF64FloatAttr(v))));
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
    llvm::Expected<std::vector<LayerSettings>> layers =
        parseLayerConfig((*buffer)->getBuffer());
    if (!layers) {
      (void)fail(llvm::toString(layers.takeError()));
      return signalPassFailure();
    }
    llvm::StringMap<Operation *> byName;
    getOperation().walk([&](Operation *op) {
      if (llvm::isa<ConvOp, DecomposedConvOp, GemmOp>(op))
        byName.try_emplace(layerName(op), op);
    });
    for (const LayerSettings &layer : *layers) {
      Operation *op = byName.lookup(layer.layer);
      if (!op) {
        (void)fail("layer '" + layer.layer +
                   "' names no convolution or Gemm in the model");
        return signalPassFailure();
      }
      op->setAttr(kLayerConfigAttr, settings(layer));
    }
  }
};
} // namespace
