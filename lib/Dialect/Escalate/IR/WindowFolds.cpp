//===- WindowFolds.cpp - windows over one spatial axis as two -------------===//
//
// The accelerator's conv and pool instructions slide 2-D windows. A conv or
// pool over one spatial axis (N x C x W: audio, sequence models, 1-D CNNs)
// is the same op over N x C x 1 x W with a 1 x k window, so canonicalization
// rewrites it that way, between reshapes that are DRAM placement only; the
// weight's reshape folds into its constant, and element-wise ops between
// such windows move to the 2-D side so they fuse as they do in 2-D CNNs.
//
//===----------------------------------------------------------------------===//
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace escalate;

namespace {
/// `v` (rank 3) with a unit axis inserted before its last.
Value withUnitRow(PatternRewriter &rewriter, Location loc, Value v) {
  ArrayRef<int64_t> shape = cast<RankedTensorType>(v.getType()).getShape();
  return ReshapeOp::create(rewriter, loc, v,
                           ArrayRef<int64_t>{shape[0], shape[1], 1, shape[2]})
      .getResult();
}

/// One-axis window parameters as 2-D ones over a 1 x W plane.
DenseI64ArrayAttr lifted(PatternRewriter &rewriter, ArrayRef<int64_t> v,
                         int64_t unit) {
  return rewriter.getDenseI64ArrayAttr({unit, v[0]});
}
DenseI64ArrayAttr liftedPads(PatternRewriter &rewriter, ArrayRef<int64_t> p) {
  return rewriter.getDenseI64ArrayAttr({0, p[0], 0, p[1]});
}

/// Whether `op`'s input is N x C x W with a static shape.
bool oneAxis(Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  return type.getRank() == 3 && type.hasStaticShape();
}

/// Replaces `op` by `twoD`'s result reshaped back to `op`'s type.
void replaceWithFlattened(PatternRewriter &rewriter, Operation *op,
                          Value twoD) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  rewriter.replaceOpWithNewOp<ReshapeOp>(op, twoD, type.getShape());
}

struct OneAxisConvAs2d : OpRewritePattern<ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvOp conv,
                                PatternRewriter &rewriter) const override {
    if (!oneAxis(conv.getInput()) ||
        !conv.getWeight().getType().hasStaticShape())
      return failure();
    Location loc = conv.getLoc();
    auto twoD = ConvOp::create(
        rewriter, loc, withUnitRow(rewriter, loc, conv.getInput()),
        withUnitRow(rewriter, loc, conv.getWeight()), conv.getBias(),
        lifted(rewriter, conv.getStrides(), 1),
        lifted(rewriter, conv.getDilations(), 1),
        liftedPads(rewriter, conv.getPads()), conv.getGroupAttr());
    replaceWithFlattened(rewriter, conv, twoD);
    return success();
  }
};

template <typename PoolOp> struct OneAxisPoolAs2d : OpRewritePattern<PoolOp> {
  using OpRewritePattern<PoolOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(PoolOp pool,
                                PatternRewriter &rewriter) const override {
    if (!oneAxis(pool.getInput()))
      return failure();
    Location loc = pool.getLoc();
    Value input = withUnitRow(rewriter, loc, pool.getInput());
    auto kernel = lifted(rewriter, pool.getKernelShape(), 1),
         strides = lifted(rewriter, pool.getStrides(), 1),
         dilations = lifted(rewriter, pool.getDilations(), 1),
         pads = liftedPads(rewriter, pool.getPads());
    PoolOp twoD;
    if constexpr (std::is_same_v<PoolOp, AveragePoolOp>)
      twoD =
          PoolOp::create(rewriter, loc, input, kernel, strides, dilations, pads,
                         pool.getCeilModeAttr(), pool.getCountIncludePadAttr());
    else
      twoD = PoolOp::create(rewriter, loc, input, kernel, strides, dilations,
                            pads, pool.getCeilModeAttr());
    replaceWithFlattened(rewriter, pool, twoD.getResult());
    return success();
  }
};
struct OneAxisGlobalPoolAs2d : OpRewritePattern<GlobalAveragePoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GlobalAveragePoolOp pool,
                                PatternRewriter &rewriter) const override {
    if (!oneAxis(pool.getInput()))
      return failure();
    auto twoD = GlobalAveragePoolOp::create(
        rewriter, pool.getLoc(),
        withUnitRow(rewriter, pool.getLoc(), pool.getInput()));
    replaceWithFlattened(rewriter, pool, twoD.getResult());
    return success();
  }
};

/// The N x C x 1 x W value a reshape to N x C x W drops the unit row of,
/// or null.
Value liftedRow(Value v) {
  auto reshape = v.getDefiningOp<ReshapeOp>();
  if (!reshape)
    return Value();
  auto in = cast<RankedTensorType>(reshape.getInput().getType());
  auto out = cast<RankedTensorType>(reshape.getType());
  if (in.getRank() != 4 || out.getRank() != 3 || in.getDimSize(2) != 1 ||
      in.getShape().take_front(2) != out.getShape().take_front(2))
    return Value();
  return reshape.getInput();
}

/// An element-wise op of 1-D windows' results runs on their 2-D forms, so
/// an activation or batch norm folds into the conv before it and a residual
/// add sees accelerator tensors: f(reshape(x), ...) -> reshape(f(x, ...))
/// when every activation operand is such a reshape (of one shape); a batch
/// norm's per-channel parameters stay as they are.
struct ElementwiseAboveRowReshape : RewritePattern {
  ElementwiseAboveRowReshape(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    unsigned activations;
    if (isa<AddOp, SubOp, MulOp>(op))
      activations = 2;
    else if (isa<ReluOp, ClipOp, LeakyReluOp, SigmoidOp, HardSigmoidOp,
                 HardSwishOp, TanhOp, ExpOp, LogOp, SqrtOp, ErfOp, NegOp, AbsOp,
                 BatchNormOp>(op))
      activations = 1;
    else
      return failure();
    Type resultType = op->getResult(0).getType();
    SmallVector<Value> lifted;
    for (Value v : op->getOperands().take_front(activations)) {
      Value x = liftedRow(v);
      if (!x || v.getType() != resultType ||
          (!lifted.empty() && x.getType() != lifted.front().getType()))
        return failure();
      lifted.push_back(x);
    }
    Operation *twoD = rewriter.clone(*op);
    for (auto [i, x] : llvm::enumerate(lifted))
      twoD->setOperand(i, x);
    twoD->getResult(0).setType(lifted.front().getType());
    replaceWithFlattened(rewriter, op, twoD->getResult(0));
    return success();
  }
};
} // namespace

void escalate::populateWindowFolds(RewritePatternSet &patterns) {
  patterns.add<OneAxisConvAs2d, OneAxisPoolAs2d<MaxPoolOp>,
               OneAxisPoolAs2d<AveragePoolOp>, OneAxisGlobalPoolAs2d,
               ElementwiseAboveRowReshape>(patterns.getContext());
}
