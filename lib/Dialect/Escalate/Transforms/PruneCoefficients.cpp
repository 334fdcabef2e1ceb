//===- PruneCoefficients.cpp - coefficient pruning with refit -------------===//
#include "escalate/Decomposition/KernelBasis.h"
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/LayerConfig.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "escalate/Numerics/Numerics.h"
#include "mlir/IR/Builders.h"
#include <Eigen/Dense>
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
  /// Bases from our own decomposition are orthonormal. Then a least-squares
  /// refit is the identity and zeroing c adds exactly c^2 of error, so both
  /// are skipped or computed in closed form.
  bool orthonormal = false;

  /// Fails when the kernels the coefficients represent (rows x k, each
  /// factor backed by the model's data but their product not) are too
  /// large to hold.
  LogicalResult analyse(Operation *op) {
    orthonormal = true;
    for (int64_t a = 0; a < m && orthonormal; ++a)
      for (int64_t b = 0; b < m && orthonormal; ++b) {
        double dot = 0;
        for (int64_t t = 0; t < k; ++t)
          dot += double(bases[a * k + t]) * bases[b * k + t];
        orthonormal = std::fabs(dot - (a == b)) < 1e-4;
      }
    if (orthonormal)
      return success();
    if (llvm::Error e =
            checkAllocation("its kernels", {rows, k}, sizeof(float))
                .takeError())
      return op->emitOpError(llvm::toString(std::move(e)));
    kernels.assign(rows * k, 0.0f);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = 0; j < m; ++j)
        for (int64_t t = 0; t < k; ++t)
          kernels[r * k + t] += coefs[r * m + j] * bases[j * k + t];
    return success();
  }

  /// Coefficients with the `count` smallest magnitudes zeroed (by `order`),
  /// refitted if asked.
  std::vector<float> pruned(ArrayRef<int64_t> order, int64_t count,
                            bool refit) const {
    std::vector<float> c = coefs;
    for (int64_t i = 0; i < count; ++i)
      c[order[i]] = 0.0f;
    if (refit && !orthonormal)
      refitCoefficients(kernels, bases, c, rows, k, m);
    return c;
  }
  /// ||current kernels - c * bases||^2: the error this pruning adds.
  double addedError(ArrayRef<float> c) const {
    double sum = 0;
    if (orthonormal) {
      for (size_t i = 0; i < c.size(); ++i)
        sum += double(coefs[i] - c[i]) * (coefs[i] - c[i]);
      return sum;
    }
    return reconstructionError(kernels, bases, c, rows, k, m).residual;
  }
  /// ||current kernels||^2.
  double kernelEnergy() const {
    double sum = 0;
    for (float v : orthonormal ? coefs : kernels)
      sum += double(v) * v;
    return sum;
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
    if (sparsity >= 1)
      emitWarning(getOperation().getLoc())
          << "escalate-prune-coefficients: sparsity 1 removes every "
             "coefficient of the layers it prunes: they compute only their "
             "biases";
    getOperation().walk([&](DecomposedConvOp dec) { prune(dec); });
    if (failedLayers)
      signalPassFailure();
  }

  bool failedLayers = false;

  /// Re-solves each output channel's surviving coefficients to reproduce
  /// the layer's recorded output from the basis maps of its recorded input.
  static LogicalResult refitToOutputs(DecomposedConvOp dec, const Layer &layer,
                                      const Tensor &bases,
                                      const LayerActivations &acts,
                                      std::vector<float> &coefs,
                                      std::string &why) {
    const Tensor &x = acts.input, &y = acts.output;
    int64_t n = x.dim(0), cin = x.dim(1), cout = y.dim(1), m = layer.m;
    int64_t group = dec.getGroup(), cinG = cin / group, coutG = cout / group;
    int64_t plane = product(y.shape().drop_front(2)), dim = cinG * m;
    SmallVector<int64_t, 5> mapShape = {n, cin * m};
    llvm::append_range(mapShape, y.shape().drop_front(2));
    if (llvm::Error e = checkAllocation("basis maps of the calibration input",
                                        mapShape, sizeof(float))
                            .takeError()) {
      why = llvm::toString(std::move(e));
      return failure();
    }
    numerics::Window win;
    llvm::append_range(win.kernel, bases.shape().drop_front());
    llvm::append_range(win.strides, dec.getStrides());
    llvm::append_range(win.dilations, dec.getDilations());
    llvm::append_range(win.pads, dec.getPads());
    Tensor maps(DType::F32, mapShape);
    numerics::basisMaps(x, bases, win, maps);
    std::vector<float> bias(cout, 0.0f);
    if (dec.getBias()) {
      FailureOr<Tensor> b = constantValue(dec.getBias());
      if (failed(b)) {
        why = "bias is not constant";
        return failure();
      }
      llvm::copy(b->f32(), bias.begin());
    }
    for (int64_t g = 0; g < group; ++g) {
      // A: this group's maps, one row per (input channel, basis), one
      // column per sample (image, pixel).
      Eigen::MatrixXd a(dim, n * plane);
      for (int64_t b = 0; b < n; ++b)
        for (int64_t d = 0; d < dim; ++d)
          for (int64_t p = 0; p < plane; ++p)
            a(d, b * plane + p) =
                maps.f32()[((b * cin * m) + g * dim + d) * plane + p];
      Eigen::MatrixXd gram = a * a.transpose();
      double ridge =
          std::max(1e-3 * gram.trace() / std::max<int64_t>(dim, 1), 1e-12);
      for (int64_t o = g * coutG; o < (g + 1) * coutG; ++o) {
        SmallVector<int64_t> keep;
        for (int64_t d = 0; d < dim; ++d)
          if (coefs[o * dim + d] != 0.0f)
            keep.push_back(d);
        if (keep.empty())
          continue;
        Eigen::VectorXd target(n * plane);
        for (int64_t b = 0; b < n; ++b)
          for (int64_t p = 0; p < plane; ++p)
            target(b * plane + p) =
                y.f32()[(b * cout + o) * plane + p] - bias[o];
        // Minimise |target - c A_S|^2 + ridge |c - c0|^2:
        //   (A_S A_S^T + ridge I) c = A_S target + ridge c0.
        int64_t s = keep.size(), samples = n * plane;
        Eigen::MatrixXd as(s, samples);
        Eigen::VectorXd rhs(s);
        for (int64_t i = 0; i < s; ++i) {
          as.row(i) = a.row(keep[i]);
          rhs(i) = ridge * coefs[o * dim + keep[i]];
        }
        rhs += as * target;
        Eigen::VectorXd c;
        if (samples < s) {
          // Fewer samples than unknowns: Woodbury turns the s x s solve
          // into a samples x samples one.
          Eigen::MatrixXd small = as.transpose() * as;
          small.diagonal().array() += ridge;
          c = (rhs - as * small.ldlt().solve(as.transpose() * rhs)) / ridge;
        } else {
          Eigen::MatrixXd sys(s, s);
          for (int64_t i = 0; i < s; ++i)
            for (int64_t j = 0; j < s; ++j)
              sys(i, j) = gram(keep[i], keep[j]);
          sys.diagonal().array() += ridge;
          c = sys.ldlt().solve(rhs);
        }
        for (int64_t i = 0; i < s; ++i)
          coefs[o * dim + keep[i]] = static_cast<float>(c(i));
      }
    }
    return success();
  }

  void prune(DecomposedConvOp dec) {
    if (keepPredecomposed && dec->hasAttr(kPredecomposedAttr) &&
        !layerSetting(dec, "sparsity"))
      return;
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
    if (failed(layer.analyse(dec)))
      return signalPassFailure();

    std::vector<int64_t> order(layer.coefs.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      return std::fabs(layer.coefs[a]) < std::fabs(layer.coefs[b]);
    });

    // Error is stated against the original weights when the decomposition
    // recorded them, else against the kernels as they stand (imported).
    double energy = 0, residual = 0;
    if (auto e = dec->getAttrOfType<FloatAttr>(kKernelEnergyAttr))
      energy = e.getValueAsDouble();
    else
      energy = layer.kernelEnergy();
    if (auto r = dec->getAttrOfType<FloatAttr>(kResidualEnergyAttr))
      residual = r.getValueAsDouble();

    int64_t count = pruneCount(dec, layer, order, energy, residual);
    std::vector<float> result = layer.pruned(order, count, refit);
    if (!calibration.empty()) {
      std::string why;
      FailureOr<LayerActivations> acts = loadActivations(dec, calibration, why);
      if (failed(acts) ||
          failed(refitToOutputs(dec, layer, *basesT, *acts, result, why))) {
        emitError(dec.getLoc()) << "no data-aware refit for layer '"
                                << layerName(dec) << "': " << why;
        failedLayers = true;
        return;
      }
    }
    double added = layer.addedError(result);

    Tensor pruned(DType::F32, coefsT->shape());
    llvm::copy(result, pruned.f32().begin());
    setCoefficients(dec, *basesT, pruned);
    OpBuilder b(dec);
    dec->setAttr(kKernelEnergyAttr, b.getF64FloatAttr(energy));
    dec->setAttr(kResidualEnergyAttr, b.getF64FloatAttr(residual + added));
  }

  /// How many of the smallest coefficients the chosen criterion zeroes.
  int64_t pruneCount(DecomposedConvOp dec, const Layer &layer,
                     ArrayRef<int64_t> order, double energy, double residual) {
    int64_t n = layer.coefs.size();
    // A layer's configured sparsity overrides the criterion.
    std::optional<double> fraction = layerSetting(dec, "sparsity");
    if (!fraction && sparsity >= 0)
      fraction = double(sparsity);
    if (fraction)
      return std::min<int64_t>(n, std::llround(*fraction * n));
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
    if (layer.orthonormal) {
      // Added error is the running sum of squares in magnitude order.
      double sum = 0;
      int64_t count = 0;
      for (int64_t idx : order) {
        sum += double(layer.coefs[idx]) * layer.coefs[idx];
        if (sum > allowed)
          break;
        ++count;
      }
      return count;
    }
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
