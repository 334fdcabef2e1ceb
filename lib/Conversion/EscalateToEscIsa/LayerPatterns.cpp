//===- LayerPatterns.cpp - accelerator layers and host ops ----------------===//
//
// A convolution (with its requant) or a post-processing layer becomes the
// instruction stream the code generator builds for its #escalate.tile at
// the planned DRAM addresses (host ops are HostPatterns.cpp's). Anything
// else in the function has no lowering.
//
//===----------------------------------------------------------------------===//
#include "ProgramBuilder.h"
#include "escalate/Dialect/Escalate/Utils/AcceleratorLayers.h"

using namespace mlir;
using namespace escalate;
using namespace escalate::conversion;

namespace {
codegen::Tile tileOf(TileAttr a) {
  return {a.getRows(),
          a.getCols(),
          a.getInChannels(),
          a.getOutChannels(),
          a.getOrder() == TileOrder::channel_outer,
          a.getDoubleBuffer()};
}

FailureOr<TileAttr> tileAttr(Operation *op) {
  auto tile = op->getAttrOfType<TileAttr>(kTileAttr);
  if (!tile)
    return op->emitOpError("has no #escalate.tile: run escalate-tile first");
  return tile;
}

LogicalResult misfit(Operation *op, const hw::HwDesc &hw, llvm::Error err) {
  return op->emitOpError() << "tile does not fit hardware '" << hw.name
                           << "': " << llvm::toString(std::move(err));
}

/// qconv and qdecomposed_conv, with the requant that reads their
/// accumulators and the fused epilogue, if any. Decomposed layers alternate
/// basis slots so one layer's bases can load while the previous layer still
/// computes.
template <typename Op> struct LowerConv : LoweringPattern<Op> {
  using LoweringPattern<Op>::LoweringPattern;
  LogicalResult lower(Op op, RewriterBase &r) const override {
    ProgramBuilder &p = this->program;
    FailureOr<TileAttr> tile = tileAttr(op);
    FailureOr<codegen::ConvLayer> layer = convLayer(op);
    if (failed(tile) || failed(layer))
      return failure();
    FailureOr<RequantOp> requant = requantOf(op);
    if (failed(requant))
      return failure();
    // With an epilogue the layer writes the epilogue's result.
    Value result = requant->getOutput(), other;
    std::string kind = layer->window ? "conv" : "decomposed_conv";
    if (Operation *e = fusedEpilogue(op)) {
      if (!llvm::isa<QPoolOp>(e))
        other = e->getOperand(e->getOperand(0) == result ? 1 : 0);
      result = e->getResult(0);
      kind += " + " + e->getName().stripDialect().str();
    }
    llvm::Expected<codegen::LayerCode> code = codegen::buildConv(
        *layer, tileOf(*tile), p.hw, ProgramBuilder::view(op->getOperand(0)),
        ProgramBuilder::view(result),
        other ? ProgramBuilder::view(other) : codegen::DramView(),
        p.constCursor(), layer->window ? 0 : p.basisLayers % 2);
    if (!code)
      return misfit(op, p.hw, code.takeError());
    p.basisLayers += !layer->window;
    return p.appendLayer(r, op, kind, *code, *tile);
  }
};

/// qpool, qadd, qmul and qlut on the post-processing unit.
template <typename Op> struct LowerPpuLayer : LoweringPattern<Op> {
  using LoweringPattern<Op>::LoweringPattern;
  LogicalResult lower(Op op, RewriterBase &r) const override {
    // A fused epilogue is part of its conv's code.
    if (epilogueOwner(op))
      return success();
    ProgramBuilder &p = this->program;
    FailureOr<TileAttr> tile = tileAttr(op);
    FailureOr<codegen::PpuLayer> layer = ppuLayer(op);
    if (failed(tile) || failed(layer))
      return failure();
    codegen::DramView other;
    if (op->getNumOperands() > 1) {
      other = ProgramBuilder::view(op->getOperand(1));
      if (layer->other.n == 1)
        other.imageStride = 0; // one rhs image for every lhs image
    }
    llvm::Expected<codegen::LayerCode> code = codegen::buildPpu(
        *layer, tileOf(*tile), p.hw, ProgramBuilder::view(op->getOperand(0)),
        other, ProgramBuilder::view(op->getResult(0)), p.constCursor());
    if (!code)
      return misfit(op, p.hw, code.takeError());
    return p.appendLayer(r, op, op->getName().stripDialect(), *code, *tile);
  }
};

/// Every other op of the function (float ops escalate-quantize left, ops of
/// other dialects): reported, at a lower benefit than the real lowerings.
struct RefuseUnlowered : ConversionPattern {
  RefuseUnlowered(MLIRContext *ctx, ProgramBuilder &program)
      : ConversionPattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx),
        program(program) {}
  LogicalResult matchAndRewrite(Operation *op, ArrayRef<Value>,
                                ConversionPatternRewriter &r) const override {
    if (!program.failed) {
      // escalate-quantize says why it left the op float, when it did.
      auto reason = op->getAttrOfType<StringAttr>(kNotQuantizedAttr);
      op->emitOpError("has no accelerator lowering: it is not quantized (")
          << (reason ? reason.getValue()
                     : StringRef("escalate-quantize leaves it in floating "
                                 "point, see docs/quantization.md"))
          << ") and the host core has no form of it (docs/compile.md, "
             "\"Where each ONNX operator runs\")";
      program.failed = true;
    }
    r.eraseOp(op);
    return success();
  }
  ProgramBuilder &program;
};
} // namespace

void conversion::populateLayerPatterns(RewritePatternSet &patterns,
                                       ProgramBuilder &program) {
  patterns.add<LowerConv<QConvOp>, LowerConv<QDecomposedConvOp>,
               LowerPpuLayer<QPoolOp>, LowerPpuLayer<QAddOp>,
               LowerPpuLayer<QMulOp>, LowerPpuLayer<QLutOp>, RefuseUnlowered>(
      patterns.getContext(), program);
}
