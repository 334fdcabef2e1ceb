//===- FoldPredecomposed.cpp - recognise exported PENNI layers ------------===//
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "mlir/IR/Builders.h"

namespace escalate {
#define GEN_PASS_DEF_FOLDPREDECOMPOSED
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;

namespace {
bool isPointwise(ConvOp conv) {
  auto w = conv.getWeight().getType();
  return conv.getGroup() == 1 &&
         llvm::all_of(w.getShape().drop_front(2),
                      [](int64_t d) { return d == 1; }) &&
         llvm::all_of(conv.getStrides(), [](int64_t s) { return s == 1; }) &&
         llvm::all_of(conv.getPads(), [](int64_t p) { return p == 0; });
}

struct FoldPredecomposedPass
    : public escalate::impl::FoldPredecomposedBase<FoldPredecomposedPass> {
  void runOnOperation() override {
    SmallVector<ConvOp> pointwise;
    getOperation().walk([&](ConvOp conv) {
      if (isPointwise(conv))
        pointwise.push_back(conv);
    });
    for (ConvOp pw : pointwise)
      fold(pw);
  }

  void fold(ConvOp pw) {
    auto basis = pw.getInput().getDefiningOp<ConvOp>();
    if (!basis || !basis->hasOneUse())
      return;
    int64_t cin = basis.getInput().getType().getDimSize(1);
    auto wType = basis.getWeight().getType();
    int64_t maps = wType.getDimSize(0);
    if (int64_t(basis.getGroup()) != cin || cin < 1 || maps % cin ||
        wType.getDimSize(1) != 1)
      return;
    int64_t m = maps / cin;
    ArrayRef<int64_t> kernel = wType.getShape().drop_front(2);
    int64_t k = product(kernel);
    FailureOr<Tensor> w = constantValue(basis.getWeight());
    FailureOr<Tensor> coefW = constantValue(pw.getWeight());
    if (failed(w) || failed(coefW))
      return;
    // Every input channel's block of M filters must be the same M bases.
    ArrayRef<float> filters = w->f32();
    for (int64_t i = 1; i < cin; ++i)
      if (!std::equal(filters.begin(), filters.begin() + m * k,
                      filters.begin() + i * m * k))
        return;

    int64_t cout = coefW->dim(0);
    // Coefficient stage bias: b2 + W2 * b1 (stage 2 is linear in the maps).
    Tensor bias(DType::F32, {cout});
    if (Value b2 = pw.getBias()) {
      FailureOr<Tensor> t = constantValue(b2);
      if (failed(t))
        return;
      bias = std::move(*t);
    }
    if (Value b1 = basis.getBias()) {
      FailureOr<Tensor> t = constantValue(b1);
      if (failed(t))
        return;
      for (int64_t o = 0; o < cout; ++o)
        for (int64_t j = 0; j < maps; ++j)
          bias.f32()[o] += coefW->f32()[o * maps + j] * t->f32()[j];
    }
    bool hasBias = pw.getBias() || basis.getBias();

    OpBuilder b(pw);
    Type f32 = b.getF32Type();
    SmallVector<int64_t> basesShape = {m};
    llvm::append_range(basesShape, kernel);
    Tensor bases(DType::F32, basesShape);
    std::copy(filters.begin(), filters.begin() + m * k, bases.f32().begin());
    // The 1x1 weights are [C_out, C_in * M] with map i * M + m: exactly the
    // coefficient layout [C_out, C_in, M].
    Tensor coefs = coefW->reshaped({cout, cin, m});
    Value basesV = createConstant(
        b, pw, bases, RankedTensorType::get(basesShape, f32), ".bases");
    Value coefsV =
        createConstant(b, pw, coefs, RankedTensorType::get({cout, cin, m}, f32),
                       ".coefficients");
    Value biasV =
        hasBias ? createConstant(b, pw, bias,
                                 RankedTensorType::get({cout}, f32), ".bias")
                : Value();
    auto dec = DecomposedConvOp::create(
        b, pw.getLoc(), basis.getInput(), basesV, coefsV, biasV,
        basis.getStridesAttr(), basis.getDilationsAttr(), basis.getPadsAttr(),
        b.getI64IntegerAttr(1));
    // The model's own kernels are the reference: no decomposition error.
    double energy = 0;
    for (int64_t o = 0; o < cout; ++o)
      for (int64_t i = 0; i < cin; ++i)
        for (int64_t t = 0; t < k; ++t) {
          double v = 0;
          for (int64_t j = 0; j < m; ++j)
            v += double(coefs.f32()[(o * cin + i) * m + j]) *
                 bases.f32()[j * k + t];
          energy += v * v;
        }
    dec->setAttr(kKernelEnergyAttr, b.getF64FloatAttr(energy));
    dec->setAttr(kResidualEnergyAttr, b.getF64FloatAttr(0.0));
    dec->setAttr(kPredecomposedAttr, b.getUnitAttr());
    pw.replaceAllUsesWith(dec.getResult());
    pw.erase();
    basis.erase();
  }
};
} // namespace
