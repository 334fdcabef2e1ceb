//===- PruneWeights.cpp - unstructured magnitude pruning ------------------===//
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/LayerConfig.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "mlir/IR/Builders.h"
#include <algorithm>
#include <cmath>

namespace escalate {
#define GEN_PASS_DEF_PRUNEWEIGHTS
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;

namespace {
struct PruneWeightsPass
    : public escalate::impl::PruneWeightsBase<PruneWeightsPass> {
  using PruneWeightsBase::PruneWeightsBase;

  void runOnOperation() override {
    if (!(sparsity >= 0.0 && sparsity < 1.0)) {
      emitError(getOperation().getLoc())
          << "escalate-prune-weights: sparsity must be in [0, 1), not "
          << sparsity;
      return signalPassFailure();
    }
    getOperation().walk([&](ConvOp conv) {
      // A layer's configured sparsity applies whatever its size.
      std::optional<double> configured = layerSetting(conv, "sparsity");
      FailureOr<Tensor> w = constantValue(conv.getWeight());
      if (failed(w) || w->dtype() != DType::F32 ||
          (!configured && w->numElements() < minWeights))
        return;
      std::vector<float> mags;
      mags.reserve(w->numElements());
      for (float v : w->f32())
        mags.push_back(std::fabs(v));
      size_t k = size_t(configured.value_or(sparsity) * double(mags.size()));
      if (k == 0)
        return;
      std::nth_element(mags.begin(), mags.begin() + (k - 1), mags.end());
      float threshold = mags[k - 1];
      // Exactly k zeros: values equal to the threshold are zeroed in order.
      size_t atThreshold =
          std::count(mags.begin(), mags.begin() + k, threshold);
      Tensor pruned = *w;
      for (float &v : pruned.f32()) {
        float m = std::fabs(v);
        if (m < threshold)
          v = 0.0f;
        else if (m == threshold && atThreshold) {
          v = 0.0f;
          --atThreshold;
        }
      }
      OpBuilder b(conv);
      conv.getWeightMutable().assign(createConstant(
          b, conv, pruned, cast<ShapedType>(conv.getWeight().getType()),
          "_pruned"));
      conv->removeAttr(kEncodingAttr);
    });
  }
};
} // namespace
