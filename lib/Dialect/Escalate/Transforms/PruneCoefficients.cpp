//===- PruneCoefficients.cpp - coefficient pruning with refit -------------===//
#include "escalate/Decomposition/KernelBasis.h"
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "mlir/IR/Builders.h"
#include <algorithm>
#include <cmath>
#include <numeric>

namespace escalate {
#define GEN_PASS_DEF_PRUNECOEFFICIENTS
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;

namespace {
/// One layer's coefficients with the kernels they currently represent.
struct Layer {
  int64_t rows, k, m;
  std::vector<float> bases, kernels, coefs;

  /// Coefficients with the `count` smallest magnitudes zeroed (by `order`),
  /// refitted if asked.
  std::vector<float> pruned(ArrayRef<int64_t> order, int64_t count,
                            bool refit) const {
    std::vector<float> c = coefs;
    for (int64_t i = 0; i < count; ++i)
      c[order[i]] = 0.0f;
    if (refit)
      refitCoefficients(kernels, bases, c, rows, k, m);
    return c;
  }
  /// ||kernels - c * bases||^2: the error this pruning adds.
  double addedError(ArrayRef<float> c) const {
    return reconstructionError(kernels, bases, c, rows, k, m).residual;
  }
};

struct PruneCoefficientsPass
    : public escalate::impl::PruneCoefficientsBase<PruneCoefficientsPass> {
  using PruneCoefficientsBase::PruneCoefficientsBase;

  void runOnOperation() override {
    int criteria = (sparsity >= 0) + (stdThreshold >= 0) + (errorBudget >= 0);
    if (criteria != 1 || sparsity > 1) {
      emitError(getOperation().getLoc(),
                "escalate-prune-coefficients: give exactly one of "
                "sparsity (in [0, 1]), std-threshold or error-budget");
      return signalPassFailure();
    }
    getOperation().walk([&](DecomposedConvOp dec) { prune(dec); });
  }

  void prune(DecomposedConvOp dec) {
    FailureOr<Tensor> basesT = constantValue(dec.getBases());
    FailureOr<Tensor> coefsT = constantValue(dec.getCoefficients());
    if (failed(basesT) || failed(coefsT))
      return;
    Layer layer;
    layer.m = dec.getNumBases();
    layer.k = basesT->numElements() / std::max<int64_t>(layer.m, 1);
    layer.rows = coefsT->numElements() / std::max<int64_t>(layer.m, 1);
    layer.bases.assign(basesT->f32().begin(), basesT->f32().end());
    layer.coefs.assign(coefsT->f32().begin(), coefsT->f32().end());
    layer.kernels.assign(layer.rows * layer.k, 0.0f);
    // Current kernels: coefs (rows x m) times bases (m x k).
    for (int64_t r = 0; r < layer.rows; ++r)
      for (int64_t j = 0; j < layer.m; ++j)
        for (int64_t t = 0; t < layer.k; ++t)
          layer.kernels[r * layer.k + t] +=
              layer.coefs[r * layer.m + j] * layer.bases[j * layer.k + t];

    std::vector<int64_t> order(layer.coefs.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      return std::fabs(layer.coefs[a]) < std::fabs(layer.coefs[b]);
    });

    // Error is stated against the original weights when the decomposition
    // recorded them, else against the kernels as they stand (imported).
    double energy = 0, residual = 0;
    if (auto e = dec->getAttrOfType<FloatAttr>(kKernelEnergyAttr)) {
      energy = e.getValueAsDouble();
    } else {
      for (float v : layer.kernels)
        energy += double(v) * v;
    }
    if (auto r = dec->getAttrOfType<FloatAttr>(kResidualEnergyAttr))
      residual = r.getValueAsDouble();

    int64_t count = pruneCount(layer, order, energy, residual);
    std::vector<float> result = layer.pruned(order, count, refit);
    double added = layer.addedError(result);

    OpBuilder b(dec);
    Tensor newCoefs(DType::F32, coefsT->shape());
    llvm::copy(result, newCoefs.f32().begin());
    Value coefsV = createConstant(
        b, dec, newCoefs, dec.getCoefficients().getType(), ".coefficients");
    Operation *oldCoefs = dec.getCoefficients().getDefiningOp();
    dec.getCoefficientsMutable().assign(coefsV);
    if (oldCoefs && oldCoefs->use_empty())
      oldCoefs->erase();
    dec->setAttr(kKernelEnergyAttr, b.getF64FloatAttr(energy));
    dec->setAttr(kResidualEnergyAttr, b.getF64FloatAttr(residual + added));
  }

  /// How many of the smallest coefficients the chosen criterion zeroes.
  int64_t pruneCount(const Layer &layer, ArrayRef<int64_t> order, double energy,
                     double residual) {
    int64_t n = layer.coefs.size();
    if (sparsity >= 0)
      return std::min<int64_t>(n, std::llround(sparsity * n));
    if (stdThreshold >= 0) {
      double mean = 0, sq = 0;
      for (float c : layer.coefs)
        mean += c;
      mean /= std::max<int64_t>(n, 1);
      for (float c : layer.coefs)
        sq += (c - mean) * (c - mean);
      double cut = stdThreshold * std::sqrt(sq / std::max<int64_t>(n, 1));
      return llvm::count_if(layer.coefs,
                            [&](float c) { return std::fabs(c) < cut; });
    }
    // Error budget: the added error grows with the count, so binary-search
    // the largest count within budget (the decomposition's own residual is
    // orthogonal to what pruning removes, so the two add).
    double allowed = errorBudget * errorBudget * energy - residual;
    int64_t lo = 0, hi = n;
    while (lo < hi) {
      int64_t mid = (lo + hi + 1) / 2;
      if (layer.addedError(layer.pruned(order, mid, refit)) <= allowed)
        lo = mid;
      else
        hi = mid - 1;
    }
    return lo;
  }
};
} // namespace
