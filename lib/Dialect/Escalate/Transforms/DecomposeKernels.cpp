//===- DecomposeKernels.cpp - PENNI decomposition of convolutions ---------===//
#include "escalate/Decomposition/KernelBasis.h"
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/LayerConfig.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "mlir/IR/Builders.h"

namespace escalate {
#define GEN_PASS_DEF_DECOMPOSEKERNELS
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;

namespace {
/// Kernels with more taps than this (32 x 32) are left dense.
constexpr int64_t kMaxDecomposedTaps = 1024;

struct DecomposeKernelsPass
    : public escalate::impl::DecomposeKernelsBase<DecomposeKernelsPass> {
  using DecomposeKernelsBase::DecomposeKernelsBase;

  void runOnOperation() override {
    if (numBases < 0 || (numBases == 0 && !(energy > 0 && energy <= 1))) {
      emitError(getOperation().getLoc(),
                "escalate-decompose-kernels: bases must be "
                ">= 0 and energy in (0, 1]");
      return signalPassFailure();
    }
    SmallVector<ConvOp> convs;
    getOperation().walk([&](ConvOp conv) { convs.push_back(conv); });
    for (ConvOp conv : convs)
      decompose(conv);
  }

  void decompose(ConvOp conv) {
    RankedTensorType wType = conv.getWeight().getType();
    ArrayRef<int64_t> kernel = wType.getShape().drop_front(2);
    int64_t cout = wType.getDimSize(0), cinG = wType.getDimSize(1);
    int64_t k = product(kernel), rows = cout * cinG;
    // 1x1 and depthwise layers have nothing to share a basis across. The
    // basis engine slides 2-D windows (canonicalization makes 1-D convs
    // 2-D); a 3-D conv stays dense, on the host.
    if (k <= 1 || cinG <= 1 || rows == 0 || kernel.size() != 2)
      return;
    // A grouped conv stays dense unless its configuration asks for bases:
    // the basis stage convolves every input channel with each of the M
    // bases, so with C_in/group input channels per output the maps alone
    // cost M/(C_in/group) of the dense grouped conv, more whenever M is at
    // least C_in/group (ResNeXt-50: 4 per group; its decomposed 3x3 layers
    // took 3.6-3.9x their dense cycles).
    if (conv.getGroup() > 1 && !layerSetting(conv, "bases"))
      return;
    // The basis comes from the eigenvectors of a k x k Gram matrix: cubic in
    // k, so a kernel far beyond any the hardware runs (the ISA's kernel
    // fields stop at 15 x 15) stays a dense conv rather than stall here.
    if (k > kMaxDecomposedTaps) {
      conv.emitWarning() << "a kernel of " << k << " taps (more than "
                         << kMaxDecomposedTaps << ") is not decomposed";
      return;
    }
    FailureOr<Tensor> w = constantValue(conv.getWeight());
    if (failed(w))
      return;
    // A layer's configured bases or energy override the pass options.
    int64_t wanted = numBases;
    double share = energy;
    if (std::optional<double> m = layerSetting(conv, "bases"))
      wanted = std::min<int64_t>(int64_t(*m), k);
    else if (std::optional<double> e = layerSetting(conv, "energy"))
      std::tie(wanted, share) = std::make_pair(int64_t(0), *e);
    KernelBasis kb = decomposeKernels(w->f32(), rows, k, wanted, share);
    int64_t m = kb.numBases;
    ReconstructionError err =
        reconstructionError(w->f32(), kb.bases, kb.coefficients, rows, k, m);

    OpBuilder b(conv);
    Type f32 = b.getF32Type();
    SmallVector<int64_t> basesShape = {m};
    llvm::append_range(basesShape, kernel);
    Tensor bases(DType::F32, basesShape), coefs(DType::F32, {cout, cinG, m});
    llvm::copy(kb.bases, bases.f32().begin());
    llvm::copy(kb.coefficients, coefs.f32().begin());
    Value basesV = createConstant(
        b, conv, bases, RankedTensorType::get(basesShape, f32), ".bases");
    Value coefsV = createConstant(b, conv, coefs,
                                  RankedTensorType::get({cout, cinG, m}, f32),
                                  ".coefficients");
    auto dec = DecomposedConvOp::create(
        b, conv.getLoc(), conv.getInput(), basesV, coefsV, conv.getBias(),
        conv.getStridesAttr(), conv.getDilationsAttr(), conv.getPadsAttr(),
        conv.getGroupAttr());
    if (Attribute config = conv->getAttr(kLayerConfigAttr))
      dec->setAttr(kLayerConfigAttr, config);
    dec->setAttr(kKernelEnergyAttr, b.getF64FloatAttr(err.total));
    dec->setAttr(kResidualEnergyAttr, b.getF64FloatAttr(err.residual));
    conv.replaceAllUsesWith(dec.getResult());
    conv.erase();
  }
};
} // namespace
