//===- EscalateFolds.cpp - folders and canonicalization patterns ----------===//
//
// Canonicalization removes Identity/Dropout, folds static Shape chains (what
// PyTorch exports around Reshape), evaluates ops whose operands are all
// constants through EvaluateOpInterface, folds BatchNormalization into a
// preceding Conv or Gemm (or makes it a depthwise 1x1 conv, as it does an
// activation plus, minus, times or over a per-channel constant), and a
// constant Pad into the conv or pool it feeds.
//
//===----------------------------------------------------------------------===//
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Numerics/Numerics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include <cmath>
#include <limits>

using namespace mlir;
using namespace escalate;

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }
OpFoldResult IdentityOp::fold(FoldAdaptor) { return getInput(); }
OpFoldResult DropoutOp::fold(FoldAdaptor) { return getInput(); }

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> dims = getInput().getType().getShape();
  return DenseElementsAttr::get(getType(),
                                dims.slice(getStart(), getEnd() - getStart()));
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType() &&
      llvm::all_of(getStarts(), [](int64_t s) { return s == 0; }) &&
      llvm::all_of(getSteps(), [](int64_t s) { return s == 1; }))
    return getInput();
  return {};
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput()))
    return dense.reshape(getType());
  // A reshape of a reshape is one reshape of the first's input.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  return {};
}

FailureOr<Tensor> escalate::constantValue(Value v) {
  ElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return failure();
  return tensorFromAttr(attr);
}

FailureOr<SmallVector<ElementsAttr>>
escalate::foldByEvaluation(Operation *op, int64_t maxElements) {
  auto evaluable = dyn_cast<EvaluateOpInterface>(op);
  if (!evaluable || isa<ConstantOp>(op) || op->getNumOperands() == 0)
    return failure();
  // Bound what folding reads as well as what it makes: a huge splat operand
  // must not be expanded just to try.
  int64_t total = 0;
  for (Type t :
       llvm::concat<const Type>(op->getOperandTypes(), op->getResultTypes())) {
    std::optional<int64_t> n =
        checkedProduct(cast<ShapedType>(t).getShape(), maxElements);
    if (!n || (total += *n) > maxElements)
      return failure();
  }
  SmallVector<Tensor> inputs;
  for (Value operand : op->getOperands()) {
    FailureOr<Tensor> t = constantValue(operand);
    if (failed(t))
      return failure();
    inputs.push_back(std::move(*t));
  }
  SmallVector<const Tensor *> ptrs;
  for (const Tensor &t : inputs)
    ptrs.push_back(&t);
  SmallVector<Tensor> results;
  {
    // Folding is opportunistic: an op that cannot be evaluated (say an
    // out-of-range gather index) stays, and reports at run time if reached.
    ScopedDiagnosticHandler quiet(op->getContext(),
                                  [](Diagnostic &) { return success(); });
    if (failed(evaluable.evaluate(ptrs, results)))
      return failure();
  }
  std::string name = "folded";
  if (auto nameLoc = dyn_cast<NameLoc>(op->getLoc()))
    name = nameLoc.getName().str();
  SmallVector<ElementsAttr> attrs;
  for (auto [result, tensor] : llvm::zip(op->getResults(), results))
    attrs.push_back(
        attrFromTensor(tensor, cast<ShapedType>(result.getType()), name));
  return attrs;
}

namespace {
/// Constant-folds any evaluable op whose operands are all constants, by
/// running its reference semantics. Bounded so folding never materialises
/// huge tensors the program would not otherwise hold.
struct EvaluateConstantOp : public RewritePattern {
  static constexpr int64_t kMaxFoldElements = int64_t(1) << 24;

  EvaluateConstantOp(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    FailureOr<SmallVector<ElementsAttr>> attrs =
        foldByEvaluation(op, kMaxFoldElements);
    if (failed(attrs))
      return failure();
    SmallVector<Value> replacements;
    for (ElementsAttr attr : *attrs)
      replacements.push_back(
          ConstantOp::create(rewriter, op->getLoc(), attr).getResult());
    rewriter.replaceOp(op, replacements);
    return success();
  }
};

/// Per-channel affine form of an inference BatchNormalization.
struct ChannelAffine {
  std::vector<float> scale, shift;
};

FailureOr<ChannelAffine> constantAffine(BatchNormOp bn) {
  SmallVector<Tensor, 4> params;
  for (Value v :
       {bn.getScale(), bn.getBias(), bn.getMean(), bn.getVariance()}) {
    FailureOr<Tensor> t = constantValue(v);
    if (failed(t))
      return failure();
    params.push_back(std::move(*t));
  }
  ChannelAffine a;
  float eps = bn.getEpsilon().convertToFloat();
  for (int64_t c = 0, n = params[0].numElements(); c < n; ++c) {
    float s = params[0].f32()[c] / std::sqrt(params[3].f32()[c] + eps);
    a.scale.push_back(s);
    a.shift.push_back(params[1].f32()[c] - params[2].f32()[c] * s);
  }
  return a;
}

std::string blobName(Operation *op, StringRef suffix) {
  if (auto nameLoc = dyn_cast<NameLoc>(op->getLoc()))
    return (nameLoc.getName().strref() + suffix).str();
  return ("bn_folded" + suffix).str();
}

Value makeConstant(PatternRewriter &rewriter, Operation *anchor,
                   const Tensor &t, Type type, StringRef suffix) {
  return ConstantOp::create(rewriter, anchor->getLoc(),
                            attrFromTensor(t, cast<ShapedType>(type),
                                           blobName(anchor, suffix)))
      .getResult();
}

/// Replaces `op`, which computes `affine` of `conv`'s output channels, by
/// `conv` with its weight rows scaled and its bias b * scale + shift; `conv`
/// (which has no other user) is erased.
LogicalResult foldAffineIntoConv(PatternRewriter &rewriter, ConvOp conv,
                                 const ChannelAffine &affine, Operation *op) {
  FailureOr<Tensor> w = constantValue(conv.getWeight());
  if (failed(w))
    return failure();
  int64_t cout = w->dim(0);
  if (cout == 0 || int64_t(affine.scale.size()) != cout)
    return failure();
  int64_t per = w->numElements() / cout;
  Tensor bias(DType::F32, {cout});
  if (conv.getBias()) {
    FailureOr<Tensor> b = constantValue(conv.getBias());
    if (failed(b))
      return failure();
    bias = std::move(*b);
  }
  for (int64_t o = 0; o < cout; ++o) {
    for (int64_t i = 0; i < per; ++i)
      w->f32()[o * per + i] *= affine.scale[o];
    bias.f32()[o] = bias.f32()[o] * affine.scale[o] + affine.shift[o];
  }
  Value newW =
      makeConstant(rewriter, conv, *w, conv.getWeight().getType(), ".weight");
  Value newB = makeConstant(
      rewriter, conv, bias,
      RankedTensorType::get({cout}, rewriter.getF32Type()), ".bias");
  auto folded =
      ConvOp::create(rewriter, conv.getLoc(), conv.getInput(), newW, newB,
                     conv.getStridesAttr(), conv.getDilationsAttr(),
                     conv.getPadsAttr(), conv.getGroupAttr());
  rewriter.replaceOp(op, folded.getResult());
  rewriter.eraseOp(conv);
  return success();
}

/// batch_norm(conv(x, W, b)) -> conv(x, W * s, (b - mean) * s + beta).
struct FoldBatchNormIntoConv : public OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto conv = bn.getInput().getDefiningOp<ConvOp>();
    if (!conv || !conv->hasOneUse())
      return failure();
    FailureOr<ChannelAffine> affine = constantAffine(bn);
    if (failed(affine))
      return failure();
    return foldAffineIntoConv(rewriter, conv, *affine, bn);
  }
};

/// A static N x C x H x W float activation with no empty axis and maps a
/// conv accepts (so building the depthwise conv's type cannot fail).
bool isChannelMajor(Type t) {
  auto type = cast<RankedTensorType>(t);
  return type.getRank() == 4 && type.hasStaticShape() &&
         type.getNumElements() > 0 && type.getDimSize(2) <= INT32_MAX &&
         type.getDimSize(3) <= INT32_MAX && type.getElementType().isF32();
}

/// Replaces `op` by x * scale + shift per channel of `x`: a depthwise 1x1
/// conv (no bias when every shift is zero).
void replaceWithDepthwiseConv(PatternRewriter &rewriter, Operation *op, Value x,
                              const ChannelAffine &affine) {
  int64_t c = cast<RankedTensorType>(x.getType()).getDimSize(1);
  Tensor w(DType::F32, {c, 1, 1, 1}), bias(DType::F32, {c});
  llvm::copy(affine.scale, w.f32().begin());
  llvm::copy(affine.shift, bias.f32().begin());
  Type f32 = rewriter.getF32Type();
  Value newW = makeConstant(
      rewriter, op, w, RankedTensorType::get({c, 1, 1, 1}, f32), ".weight");
  Value newB;
  if (llvm::any_of(affine.shift, [](float s) { return s != 0; }))
    newB = makeConstant(rewriter, op, bias, RankedTensorType::get({c}, f32),
                        ".bias");
  rewriter.replaceOpWithNewOp<ConvOp>(
      op, x, newW, newB, rewriter.getDenseI64ArrayAttr({1, 1}),
      rewriter.getDenseI64ArrayAttr({1, 1}),
      rewriter.getDenseI64ArrayAttr({0, 0, 0, 0}),
      rewriter.getI64IntegerAttr(c));
}

/// The per-channel values of constant `v` broadcast against an N x C x H x
/// W activation with `c` channels, if it varies over channels at most (a
/// scalar, [C], [C, 1, 1], [1, C, 1, 1] and the like).
std::optional<std::vector<float>> perChannel(Value v, int64_t c) {
  FailureOr<Tensor> t = constantValue(v);
  if (failed(t) || t->dtype() != DType::F32 || t->rank() > 4)
    return std::nullopt;
  ArrayRef<int64_t> shape = t->shape();
  for (int64_t d = 0; d < t->rank(); ++d) {
    // Axis d of the constant lines up with axis 4 - rank + d of x.
    bool channel = 4 - t->rank() + d == 1;
    if (shape[d] != 1 && !(channel && shape[d] == c))
      return std::nullopt;
  }
  std::vector<float> values(c);
  for (int64_t i = 0; i < c; ++i)
    values[i] = t->f32()[t->numElements() == 1 ? 0 : i];
  return values;
}

/// A batch_norm with no conv or Gemm to fold into (DenseNet's
/// pre-activation after a Concat) is a per-channel affine map: a depthwise
/// 1x1 conv with weight `s` and bias `shift`, which the accelerator runs and
/// a following ReLU fuses into. Tried after the folds (lower benefit).
struct BatchNormAsDepthwiseConv : public OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    if (!isChannelMajor(bn.getInput().getType()))
      return failure();
    FailureOr<ChannelAffine> affine = constantAffine(bn);
    if (failed(affine))
      return failure();
    replaceWithDepthwiseConv(rewriter, bn, bn.getInput(), *affine);
    return success();
  }
};

/// A per-channel affine map (a depthwise 1x1 conv with unit stride and no
/// padding, as the patterns here make them) after a conv that has no other
/// user folds into that conv's weights and bias, as BatchNormalization
/// does: (x - mean) / std becomes one conv.
struct FoldChannelAffineIntoConv : public OpRewritePattern<ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvOp affine,
                                PatternRewriter &rewriter) const override {
    auto prev = affine.getInput().getDefiningOp<ConvOp>();
    auto w = affine.getWeight().getType();
    int64_t c = w.getDimSize(0);
    auto isOne = [](ArrayRef<int64_t> v) {
      return llvm::all_of(v, [](int64_t x) { return x == 1; });
    };
    if (!prev || !prev->hasOneUse() || w.getRank() != 4 ||
        int64_t(affine.getGroup()) != c || w.getDimSize(1) != 1 ||
        w.getDimSize(2) != 1 || w.getDimSize(3) != 1 ||
        !isOne(affine.getStrides()) ||
        llvm::any_of(affine.getPads(), [](int64_t p) { return p != 0; }))
      return failure();
    FailureOr<Tensor> scale = constantValue(affine.getWeight());
    if (failed(scale))
      return failure();
    ChannelAffine a{
        std::vector<float>(scale->f32().begin(), scale->f32().end()),
        std::vector<float>(c, 0)};
    if (affine.getBias()) {
      FailureOr<Tensor> shift = constantValue(affine.getBias());
      if (failed(shift))
        return failure();
      llvm::copy(shift->f32(), a.shift.begin());
    }
    return foldAffineIntoConv(rewriter, prev, a, affine);
  }
};

/// An activation plus, minus, times or divided by a constant that varies
/// over channels at most (input normalisation, HardSwish written as
/// arithmetic) is a per-channel affine map: a depthwise 1x1 conv, which the
/// accelerator runs, instead of a float op it cannot.
/// NCHW -> NHWC (perm 0, 2, 3, 1) and back (0, 3, 1, 2).
constexpr int64_t kToChannelsLast[] = {0, 2, 3, 1};
constexpr int64_t kToChannelsFirst[] = {0, 3, 1, 2};

/// `v` = transpose(x) to channels-last of a 4-D x: returns x.
Value channelsFirstOf(Value v) {
  auto t = v.getDefiningOp<TransposeOp>();
  if (!t || t.getPerm() != ArrayRef<int64_t>(kToChannelsLast))
    return nullptr;
  return t.getInput();
}

/// The element-wise ops a channels-last transpose sinks below (constant
/// operands permuted, the others transposed too).
bool isSinkableElementwise(Operation *op) {
  return isa<AddOp, SubOp, MulOp, DivOp, PowOp, TanhOp, ExpOp, LogOp, SqrtOp,
             ErfOp, NegOp, AbsOp, ReluOp, SigmoidOp, HardSigmoidOp, HardSwishOp,
             LeakyReluOp, ClipOp>(op);
}

/// A 1x1 conv of `x` by constant `weight`, no bias, with result `type`.
Value conv1x1(PatternRewriter &rewriter, Location loc, Type type, Value x,
              Value weight) {
  return ConvOp::create(rewriter, loc, type, x, weight, Value(),
                        rewriter.getDenseI64ArrayAttr({1, 1}),
                        rewriter.getDenseI64ArrayAttr({1, 1}),
                        rewriter.getDenseI64ArrayAttr({0, 0, 0, 0}),
                        rewriter.getI64IntegerAttr(1))
      .getResult();
}

/// Whether SinkChannelsLastTranspose moves a transpose below `op` (the
/// transpose itself aside): element-wise ops, a mean over the last axis
/// kept as size 1, a MatMul by a 2-D constant.
bool sinksChannelsLast(Operation *op) {
  if (auto mean = dyn_cast<ReduceMeanOp>(op))
    return mean.getKeepdims() && mean.getAxes() == ArrayRef<int64_t>{3};
  if (auto mm = dyn_cast<MatMulOp>(op)) {
    FailureOr<Tensor> w = constantValue(mm.getRhs());
    return succeeded(w) && w->rank() == 2;
  }
  return isSinkableElementwise(op);
}

/// Whether `v` is computed from a channels-last transpose through ops the
/// transpose will sink below: its axis 1 is not channels yet, so
/// per-channel rewrites must wait until the transpose has sunk.
bool derivesFromChannelsLast(Value v, int depth = 8) {
  if (channelsFirstOf(v))
    return true;
  Operation *def = v.getDefiningOp();
  if (!def || depth == 0 || !sinksChannelsLast(def))
    return false;
  return llvm::any_of(def->getOperands(), [&](Value o) {
    return derivesFromChannelsLast(o, depth - 1);
  });
}

template <typename OpTy>
struct ChannelArithmeticAsDepthwiseConv : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    for (int side = 0; side < 2; ++side) {
      Value x = op->getOperand(side), k = op->getOperand(1 - side);
      if (!isChannelMajor(x.getType()) || x.getType() != op.getType() ||
          matchPattern(x, m_Constant()) || derivesFromChannelsLast(x) ||
          x.getDefiningOp<DequantizeOp>())
        continue;
      int64_t c = cast<RankedTensorType>(x.getType()).getDimSize(1);
      std::optional<std::vector<float>> v = perChannel(k, c);
      if (!v)
        continue;
      ChannelAffine a{std::vector<float>(c, 1), std::vector<float>(c, 0)};
      for (int64_t i = 0; i < c; ++i) {
        float kv = (*v)[i];
        if constexpr (std::is_same_v<OpTy, AddOp>) {
          a.shift[i] = kv;
        } else if constexpr (std::is_same_v<OpTy, SubOp>) {
          a.scale[i] = side == 0 ? 1 : -1;
          a.shift[i] = side == 0 ? -kv : kv;
        } else if constexpr (std::is_same_v<OpTy, MulOp>) {
          a.scale[i] = kv;
        } else {
          // k / x is not affine; x / k is x * (1 / k) when that is finite.
          if (side == 1 || !std::isfinite(1 / kv))
            return failure();
          a.scale[i] = 1 / kv;
        }
      }
      replaceWithDepthwiseConv(rewriter, op, x, a);
      return success();
    }
    return failure();
  }
};

/// batch_norm(gemm(A, B, C)) on [M, N] -> gemm with B's columns scaled and
/// C = beta * C * s + shift.
struct FoldBatchNormIntoGemm : public OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto gemm = bn.getInput().getDefiningOp<GemmOp>();
    if (!gemm || !gemm->hasOneUse())
      return failure();
    FailureOr<ChannelAffine> affine = constantAffine(bn);
    FailureOr<Tensor> b = constantValue(gemm.getB());
    if (failed(affine) || failed(b))
      return failure();
    auto outType = gemm.getType();
    int64_t n = outType.getDimSize(1);
    if (n == 0 || outType.getNumElements() == 0)
      return failure();
    bool tb = gemm.getTransB();
    int64_t rows = b->dim(0), cols = b->dim(1);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c)
        b->f32()[r * cols + c] *= affine->scale[tb ? r : c];
    // C (absent = zeros) broadcast to [M, N] when it has M rows, else to
    // [1, N] (never to M rows the model holds no data for: M comes from the
    // input's declared batch); then per column: beta * C * s + shift.
    Tensor c(DType::F32, {n});
    if (gemm.getC()) {
      FailureOr<Tensor> oldC = constantValue(gemm.getC());
      if (failed(oldC))
        return failure();
      bool perRow = oldC->rank() == 2 && oldC->dim(0) > 1;
      Tensor zeros(DType::F32, {perRow ? outType.getDimSize(0) : 1, n});
      c = zeros;
      numerics::binary(numerics::BinaryKind::Add, zeros, *oldC, c);
    }
    float beta = gemm.getBeta().convertToFloat();
    for (int64_t i = 0, m = c.numElements() / n; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        float &v = c.f32()[i * n + j];
        v = beta * v * affine->scale[j] + affine->shift[j];
      }
    auto cType = RankedTensorType::get(c.shape(), rewriter.getF32Type());
    Value newB =
        makeConstant(rewriter, gemm, *b, gemm.getB().getType(), ".weight");
    Value newC = makeConstant(rewriter, gemm, c, cType, ".bias");
    auto folded =
        GemmOp::create(rewriter, gemm.getLoc(), gemm.getA(), newB, newC,
                       gemm.getAlphaAttr(), rewriter.getF32FloatAttr(1.0f),
                       gemm.getTransAAttr(), gemm.getTransBAttr());
    rewriter.replaceOp(bn, folded.getResult());
    rewriter.eraseOp(gemm);
    return success();
  }
};

/// max_pool with ceil_mode is max_pool over more end padding: the windows
/// ceil_mode adds all start inside the input (a window that would start in
/// the end padding is dropped), and padding never wins a max. The
/// accelerator, which has no ceil_mode, runs it as asymmetric padding.
struct MaxPoolCeilModeAsPadding : OpRewritePattern<MaxPoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPoolOp pool,
                                PatternRewriter &rewriter) const override {
    auto in = pool.getInput().getType(), out = pool.getType();
    if (!pool.getCeilMode() || !in.hasStaticShape() || !out.hasStaticShape())
      return failure();
    ArrayRef<int64_t> kernel = pool.getKernelShape(),
                      strides = pool.getStrides(),
                      dilations = pool.getDilations();
    size_t nsp = kernel.size();
    SmallVector<int64_t> pads(pool.getPads());
    for (size_t i = 0; i < nsp; ++i) {
      int64_t span = (kernel[i] - 1) * dilations[i] + 1;
      int64_t reach = (out.getDimSize(2 + i) - 1) * strides[i] + span;
      pads[nsp + i] = std::max(
          pads[nsp + i], reach - in.getDimSize(2 + i) - pads[i]);
    }
    auto padded = MaxPoolOp::create(
        rewriter, pool.getLoc(), pool.getInput(), pool.getKernelShapeAttr(),
        pool.getStridesAttr(), pool.getDilationsAttr(),
        rewriter.getDenseI64ArrayAttr(pads), rewriter.getBoolAttr(false));
    // Floor division over the padded extent must give the same output.
    if (padded.getType() != out) {
      rewriter.eraseOp(padded);
      return failure();
    }
    rewriter.replaceOp(pool, padded.getResult());
    return success();
  }
};

/// A constant Pad of the spatial axes feeding a conv or a pool becomes that
/// op's own padding, which the accelerator's loads write for free: zeros
/// into a conv or into an average pool that counts its padding (or has none
/// of its own, so the Pad's zeros were counted as values), -inf into a max
/// pool. PyTorch exports average pooling with count_include_pad this way
/// (Inception v3), and explicit ZeroPad2d layers feed convs.
struct FoldPadIntoWindowOp : OpRewritePattern<PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PadOp pad,
                                PatternRewriter &rewriter) const override {
    ArrayRef<int64_t> pads = pad.getPads();
    int64_t rank = pad.getType().getRank();
    if (pad.getMode() != PadMode::constant || rank < 3 ||
        llvm::any_of(pads, [](int64_t p) { return p < 0; }) || pads[0] ||
        pads[1] || pads[rank] || pads[rank + 1])
      return failure();
    double value = pad.getValue().convertToDouble();
    bool changed = false;
    for (OpOperand &use : llvm::make_early_inc_range(pad->getUses())) {
      Operation *user = use.getOwner();
      if (use.getOperandNumber() != 0 || !absorbs(user, value))
        continue;
      auto own = user->getAttrOfType<DenseI64ArrayAttr>("pads").asArrayRef();
      int64_t nsp = rank - 2;
      SmallVector<int64_t> sum(own);
      for (int64_t i = 0; i < nsp; ++i) {
        sum[i] += pads[2 + i];
        sum[nsp + i] += pads[rank + 2 + i];
      }
      rewriter.modifyOpInPlace(user, [&] {
        use.set(pad.getInput());
        user->setAttr("pads", rewriter.getDenseI64ArrayAttr(sum));
        if (auto avg = dyn_cast<AveragePoolOp>(user))
          avg.setCountIncludePad(true);
      });
      changed = true;
    }
    return success(changed);
  }

  static bool absorbs(Operation *user, double value) {
    if (isa<ConvOp>(user))
      return value == 0;
    if (auto avg = dyn_cast<AveragePoolOp>(user))
      return value == 0 && !avg.getCeilMode() &&
             (avg.getCountIncludePad() ||
              llvm::all_of(avg.getPads(), [](int64_t p) { return p == 0; }));
    if (auto max = dyn_cast<MaxPoolOp>(user))
      return std::isinf(value) && value < 0 && !max.getCeilMode();
    return false;
  }
};

/// Kernel rows (or columns) that only ever read the zero padding add
/// nothing: a conv keeps the span of taps some output reads inside the
/// input, with its padding reduced by what it dropped. DeepLabV3's ASPP
/// convs (dilation 24 and 36 over a 14 x 14 map) become 1x1 convs without
/// padding, exactly, instead of needing more padding than a load holds.
struct DropPaddingOnlyTaps : OpRewritePattern<ConvOp> {
  using OpRewritePattern::OpRewritePattern;

  /// The first and last taps of a kernel axis that read the input for some
  /// output index, if any does.
  static std::optional<std::pair<int64_t, int64_t>>
  liveTaps(int64_t kernel, int64_t dilation, int64_t stride, int64_t pad,
           int64_t in, int64_t out) {
    std::optional<std::pair<int64_t, int64_t>> live;
    for (int64_t k = 0; k < kernel; ++k) {
      // Input index o * stride - pad + k * dilation for o in [0, out).
      int64_t lo = k * dilation - pad, hi = lo + (out - 1) * stride;
      if (hi < 0 || lo >= in)
        continue;
      // Strided reads may step over [0, in): look for one inside.
      int64_t first = lo >= 0 ? 0 : (-lo + stride - 1) / stride;
      if (lo + first * stride >= in)
        continue;
      live = {live ? live->first : k, k};
    }
    return live;
  }

  LogicalResult matchAndRewrite(ConvOp conv,
                                PatternRewriter &rewriter) const override {
    auto w = conv.getWeight().getType();
    auto x = cast<RankedTensorType>(conv.getInput().getType());
    auto y = cast<RankedTensorType>(conv.getType());
    if (w.getRank() != 4 || !x.hasStaticShape() || !y.hasStaticShape())
      return failure();
    ArrayRef<int64_t> pads = conv.getPads(), strides = conv.getStrides(),
                      dilations = conv.getDilations();
    SmallVector<int64_t> begin(2), end(2), newPads(pads);
    for (int64_t a = 0; a < 2; ++a) {
      int64_t k = w.getDimSize(2 + a);
      std::optional<std::pair<int64_t, int64_t>> live =
          liveTaps(k, dilations[a], strides[a], pads[a], x.getDimSize(2 + a),
                   y.getDimSize(2 + a));
      // An all-padding conv is its bias; leave it to the general folds.
      if (!live)
        return failure();
      begin[a] = live->first;
      end[a] = live->second + 1;
      newPads[a] = pads[a] - begin[a] * dilations[a];
      newPads[2 + a] = pads[2 + a] - (k - end[a]) * dilations[a];
      if (newPads[a] < 0 || newPads[2 + a] < 0)
        return failure();
    }
    if (begin[0] == 0 && begin[1] == 0 && end[0] == w.getDimSize(2) &&
        end[1] == w.getDimSize(3))
      return failure();
    FailureOr<Tensor> weight = constantValue(conv.getWeight());
    if (failed(weight))
      return failure();
    int64_t o = w.getDimSize(0), i = w.getDimSize(1), kh = w.getDimSize(2),
            kw = w.getDimSize(3);
    int64_t nh = end[0] - begin[0], nw = end[1] - begin[1];
    Tensor kept(DType::F32, {o, i, nh, nw});
    for (int64_t c = 0; c < o * i; ++c)
      for (int64_t r = 0; r < nh; ++r)
        for (int64_t q = 0; q < nw; ++q)
          kept.f32()[(c * nh + r) * nw + q] =
              weight->f32()[(c * kh + begin[0] + r) * kw + begin[1] + q];
    Value newW = makeConstant(
        rewriter, conv, kept,
        RankedTensorType::get({o, i, nh, nw}, w.getElementType()), ".weight");
    rewriter.replaceOpWithNewOp<ConvOp>(
        conv, conv.getInput(), newW, conv.getBias(), conv.getStridesAttr(),
        conv.getDilationsAttr(), rewriter.getDenseI64ArrayAttr(newPads),
        conv.getGroupAttr());
    return success();
  }
};

/// ShuffleNet's channel shuffle, reshape(transpose(reshape(x, N x g x C/g
/// x ...), swapping axes 1 and 2), N x C x ...), is an interleave of x's g
/// channel groups: of the concat's operands when x concatenates g equal
/// groups, of channel slices (views) of x otherwise. DRAM placement then
/// writes the groups with channel-strided stores; no op moves the data.
struct ChannelShuffleAsInterleave : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp back,
                                PatternRewriter &rewriter) const override {
    auto transpose = back->getOperand(0).getDefiningOp<TransposeOp>();
    auto split = transpose ? transpose.getInput().getDefiningOp<ReshapeOp>()
                           : ReshapeOp();
    if (!split)
      return failure();
    Value x = split->getOperand(0);
    auto xt = dyn_cast<RankedTensorType>(x.getType());
    auto st = cast<RankedTensorType>(split.getType());
    // 4-D only: the accelerator places a 4-D interleave, and nothing runs
    // one of another rank (a transpose does, on the host).
    if (!xt || !xt.hasStaticShape() || xt.getRank() != 4 ||
        back.getType() != xt || st.getRank() != 5)
      return failure();
    int64_t g = st.getDimSize(1), c = xt.getDimSize(1);
    if (g < 2 || st.getDimSize(0) != xt.getDimSize(0) ||
        st.getDimSize(2) * g != c ||
        st.getShape().drop_front(3) != xt.getShape().drop_front(2))
      return failure();
    ArrayRef<int64_t> perm = transpose.getPerm();
    for (int64_t d = 0, e = perm.size(); d < e; ++d)
      if (perm[d] != (d == 1 ? 2 : d == 2 ? 1 : d))
        return failure();
    SmallVector<Value> groups;
    auto cat = x.getDefiningOp<ConcatOp>();
    if (cat && cat.getAxis() == 1 && int64_t(cat.getNumOperands()) == g &&
        llvm::all_of(cat.getOperands(), [&](Value v) {
          return cast<RankedTensorType>(v.getType()).getDimSize(1) == c / g;
        })) {
      llvm::append_range(groups, cat.getOperands());
    } else {
      SmallVector<int64_t> starts(xt.getRank(), 0), steps(xt.getRank(), 1);
      SmallVector<int64_t> sizes(xt.getShape());
      sizes[1] = c / g;
      for (int64_t j = 0; j < g; ++j) {
        starts[1] = j * (c / g);
        groups.push_back(
            SliceOp::create(rewriter, back.getLoc(), x, starts, sizes, steps));
      }
    }
    rewriter.replaceOpWithNewOp<InterleaveOp>(back, groups);
    return success();
  }
};

/// x / sqrt(v) is x * v^(-1/2) (a LayerNorm's normalisation): the power is
/// a lookup table and the product runs on the PPU, also when v holds one
/// value per pixel, where a division would need the host.
struct DivBySqrtAsProduct : OpRewritePattern<DivOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DivOp div,
                                PatternRewriter &rewriter) const override {
    auto sqrt = div->getOperand(1).getDefiningOp<SqrtOp>();
    if (!sqrt || matchPattern(sqrt.getInput(), m_Constant()))
      return failure();
    Value half = ConstantOp::create(
        rewriter, div.getLoc(),
        DenseElementsAttr::get(RankedTensorType::get({}, rewriter.getF32Type()),
                               -0.5f));
    // A layer of its own: the table and the product are two instructions.
    Location loc =
        NameLoc::get(rewriter.getStringAttr(blobName(div, "/rsqrt")));
    Value rsqrt = PowOp::create(rewriter, loc, sqrt.getInput(), half);
    rewriter.replaceOpWithNewOp<MulOp>(div, div->getOperand(0), rsqrt);
    return success();
  }
};

/// x ^ 2 is x * x (a LayerNorm's variance written out): a product of two
/// activations runs on the PPU, a power only on the host.
struct SquareAsProduct : OpRewritePattern<PowOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PowOp pow,
                                PatternRewriter &rewriter) const override {
    Value x = pow->getOperand(0);
    FailureOr<Tensor> e = constantValue(pow->getOperand(1));
    if (failed(e) || e->dtype() != DType::F32 || x.getType() != pow.getType() ||
        !llvm::all_of(e->f32(), [](float v) { return v == 2.0f; }))
      return failure();
    rewriter.replaceOpWithNewOp<MulOp>(pow, x, x);
    return success();
  }
};

RankedTensorType toChannelsFirst(RankedTensorType t) {
  ArrayRef<int64_t> s = t.getShape();
  return RankedTensorType::get({s[0], s[3], s[1], s[2]}, t.getElementType());
}

/// A channels-last block (ConvNeXt: transpose to NHWC, LayerNorm over the
/// last axis, Linear layers, GELU, transpose back) computed channels-first
/// instead: the transpose to NHWC sinks below each op that reads it, so the
/// pair meets and cancels. Element-wise ops take their constants permuted,
/// a mean over the last axis becomes one over channels, and a MatMul by a
/// constant [C, D] over the last axis becomes a 1x1 conv, which the
/// accelerator runs, instead of a host matmul.
struct SinkChannelsLastTranspose : RewritePattern {
  SinkChannelsLastTranspose(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  /// `c` broadcast against a channels-last 4-D operand, as a channels-first
  /// constant.
  static FailureOr<Value> permuteConstant(PatternRewriter &rewriter,
                                          Operation *anchor, Value c) {
    FailureOr<Tensor> t = constantValue(c);
    if (failed(t) || t->dtype() != DType::F32 || t->rank() > 4)
      return failure();
    SmallVector<int64_t> shape(4 - t->rank(), 1);
    llvm::append_range(shape, t->shape());
    Tensor four = t->reshaped(shape);
    Tensor out(DType::F32, {shape[0], shape[3], shape[1], shape[2]});
    numerics::transpose(four, kToChannelsFirst, out);
    return makeConstant(
        rewriter, anchor, out,
        RankedTensorType::get(out.shape(), rewriter.getF32Type()), ".nchw");
  }

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (op->getNumResults() != 1)
      return failure();
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type || type.getRank() != 4 || !type.hasStaticShape())
      return failure();
    // The pair meets: transpose back of a transpose to channels-last.
    if (auto back = dyn_cast<TransposeOp>(op)) {
      Value x = channelsFirstOf(back.getInput());
      if (!x || back.getPerm() != ArrayRef<int64_t>(kToChannelsFirst))
        return failure();
      rewriter.replaceOp(op, x);
      return success();
    }
    auto sunk = [&](Value channelsFirst) {
      rewriter.replaceOpWithNewOp<TransposeOp>(
          op, op->getResult(0).getType(), channelsFirst,
          rewriter.getDenseI64ArrayAttr(kToChannelsLast));
      return success();
    };
    if (auto mean = dyn_cast<ReduceMeanOp>(op)) {
      Value x = channelsFirstOf(mean.getInput());
      if (!x || !mean.getKeepdims() || mean.getAxes() != ArrayRef<int64_t>{3})
        return failure();
      return sunk(ReduceMeanOp::create(rewriter, op->getLoc(), x,
                                       rewriter.getDenseI64ArrayAttr({1}),
                                       rewriter.getBoolAttr(true)));
    }
    if (auto mm = dyn_cast<MatMulOp>(op)) {
      Value x = channelsFirstOf(mm.getLhs());
      FailureOr<Tensor> w = constantValue(mm.getRhs());
      if (!x || failed(w) || w->rank() != 2 || w->dtype() != DType::F32)
        return failure();
      int64_t c = w->dim(0), d = w->dim(1);
      Tensor kernel(DType::F32, {d, c, 1, 1});
      for (int64_t i = 0; i < c; ++i)
        for (int64_t o = 0; o < d; ++o)
          kernel.f32()[o * c + i] = w->f32()[i * d + o];
      Value weight = makeConstant(
          rewriter, op, kernel,
          RankedTensorType::get({d, c, 1, 1}, rewriter.getF32Type()),
          ".weight");
      return sunk(
          conv1x1(rewriter, op->getLoc(), toChannelsFirst(type), x, weight));
    }
    if (!isSinkableElementwise(op))
      return failure();
    // Every operand channels-last: a transposed 4-D tensor or a constant.
    SmallVector<Value> operands;
    bool transposed = false;
    for (Value v : op->getOperands()) {
      if (Value x = channelsFirstOf(v)) {
        operands.push_back(x);
        transposed = true;
        continue;
      }
      FailureOr<Value> c = permuteConstant(rewriter, op, v);
      if (failed(c))
        return failure();
      operands.push_back(*c);
    }
    if (!transposed)
      return failure();
    Operation *first = rewriter.clone(*op);
    first->setOperands(operands);
    first->getResult(0).setType(toChannelsFirst(type));
    return sunk(first->getResult(0));
  }
};

/// A mean over the channels of a 4-D activation is a 1x1 conv with weights
/// 1/C, which the accelerator runs (a LayerNorm's statistics).
struct ChannelMeanAsConv : OpRewritePattern<ReduceMeanOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReduceMeanOp mean,
                                PatternRewriter &rewriter) const override {
    auto x = cast<RankedTensorType>(mean.getInput().getType());
    if (x.getRank() != 4 || !x.hasStaticShape() || !mean.getKeepdims() ||
        mean.getAxes() != ArrayRef<int64_t>{1})
      return failure();
    int64_t c = x.getDimSize(1);
    Tensor w(DType::F32, {1, c, 1, 1});
    for (float &v : w.f32())
      v = 1.0f / float(c);
    Value weight = makeConstant(
        rewriter, mean, w,
        RankedTensorType::get({1, c, 1, 1}, rewriter.getF32Type()), ".weight");
    rewriter.replaceOp(mean, conv1x1(rewriter, mean.getLoc(), mean.getType(),
                                     mean.getInput(), weight));
    return success();
  }
};

/// x * hard_sigmoid(x) with alpha 1/6 and beta 1/2 is hard_swish(x): what
/// PyTorch exports for Hardswish before opset 14 (MobileNetV3). One lookup
/// table on the accelerator instead of a table and a multiply.
struct HardSwishFromProduct : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul,
                                PatternRewriter &rewriter) const override {
    for (int side = 0; side < 2; ++side) {
      Value x = mul->getOperand(side);
      auto gate = mul->getOperand(1 - side).getDefiningOp<HardSigmoidOp>();
      if (!gate || gate.getInput() != x || x.getType() != mul.getType() ||
          gate.getAlpha().convertToFloat() != 1.0f / 6.0f ||
          gate.getBeta().convertToFloat() != 0.5f)
        continue;
      rewriter.replaceOpWithNewOp<HardSwishOp>(mul, x);
      return success();
    }
    return failure();
  }
};

/// PRelu with one slope for every element is LeakyRelu.
/// max(x, c) and min(x, c) of one constant value c are a clip of x with
/// the other bound infinite (NaN propagates through both), which fuses
/// into the conv before it or is a lookup table.
template <typename OpTy, bool isMax>
struct ExtremumWithConstantAsClip : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    for (auto [x, c] : {std::pair(op.getLhs(), op.getRhs()),
                        std::pair(op.getRhs(), op.getLhs())}) {
      FailureOr<Tensor> bound = constantValue(c);
      if (x.getType() != op.getType() || failed(bound) ||
          bound->dtype() != DType::F32 || bound->numElements() != 1)
        continue;
      float inf = std::numeric_limits<float>::infinity();
      float v = bound->f32()[0];
      rewriter.replaceOpWithNewOp<ClipOp>(
          op, x, rewriter.getF32FloatAttr(isMax ? v : -inf),
          rewriter.getF32FloatAttr(isMax ? inf : v));
      return success();
    }
    return failure();
  }
};

struct PReluAsLeakyRelu : OpRewritePattern<PReluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PReluOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<Tensor> slope = constantValue(op.getRhs());
    if (op.getLhs().getType() != op.getType() || failed(slope) ||
        slope->dtype() != DType::F32 || slope->numElements() == 0 ||
        llvm::any_of(slope->f32(),
                     [&](float s) { return s != slope->f32()[0]; }))
      return failure();
    rewriter.replaceOpWithNewOp<LeakyReluOp>(
        op, op.getLhs(), rewriter.getF32FloatAttr(slope->f32()[0]));
    return success();
  }
};
} // namespace

void PReluOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                          MLIRContext *ctx) {
  patterns.add<PReluAsLeakyRelu>(ctx);
}

void PadOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                        MLIRContext *ctx) {
  patterns.add<FoldPadIntoWindowOp>(ctx);
}

void MaxPoolOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *ctx) {
  patterns.add<MaxPoolCeilModeAsPadding>(ctx);
}

void BatchNormOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *ctx) {
  patterns.add<FoldBatchNormIntoConv, FoldBatchNormIntoGemm>(ctx,
                                                             /*benefit=*/2);
  patterns.add<BatchNormAsDepthwiseConv>(ctx, /*benefit=*/1);
}

void EscalateDialect::getCanonicalizationPatterns(
    RewritePatternSet &patterns) const {
  patterns.add<EvaluateConstantOp, FoldChannelAffineIntoConv,
               DropPaddingOnlyTaps, ChannelShuffleAsInterleave, SquareAsProduct,
               DivBySqrtAsProduct, SinkChannelsLastTranspose, ChannelMeanAsConv,
               HardSwishFromProduct, ChannelArithmeticAsDepthwiseConv<AddOp>,
               ChannelArithmeticAsDepthwiseConv<SubOp>,
               ChannelArithmeticAsDepthwiseConv<MulOp>,
               ChannelArithmeticAsDepthwiseConv<DivOp>,
               ExtremumWithConstantAsClip<MaxOp, true>,
               ExtremumWithConstantAsClip<MinOp, false>>(getContext());
  populateWindowFolds(patterns);
}
