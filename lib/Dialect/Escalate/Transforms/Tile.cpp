//===- Tile.cpp - choose each accelerator layer's tiling ------------------===//
//
// Layers are read from the IR in order, costed in parallel (the context's
// threads; escalate-compile -j), and annotated in order, so the result does
// not depend on the thread count.
//
//===----------------------------------------------------------------------===//
#include "escalate/Dialect/Escalate/Utils/AcceleratorLayers.h"
#include "MemoryPlan.h"
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "escalate/Support/Progress.h"
#include "escalate/CodeGen/Tiling.h"
#include "mlir/IR/Threading.h"
#include <atomic>
#include <variant>

namespace escalate {
#define GEN_PASS_DEF_TILE
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;

namespace {
/// Gives each concat operand that cannot live inside its concat's result
/// (a graph input, a repeated operand, a tensor another concat holds) a
/// copy of its own, a 1 x 1 max pool (exact), which DRAM planning then
/// places inside the concat like any other layer's output. An operand of
/// another rank (N x C, N x C x L, ...) is copied as N x C x 1 x rest,
/// between reshapes (placement only).
void copyUnplaceableConcatOperands(ModuleOp module) {
  module.walk([](func::FuncOp f) {
    for (OpOperand *use : unplaceableConcatOperands(f)) {
      Operation *concat = use->getOwner();
      OpBuilder b(concat);
      Location loc = NameLoc::get(b.getStringAttr(
          layerName(concat) + "/copy" + Twine(use->getOperandNumber())));
      Value v = use->get();
      ArrayRef<int64_t> shape = cast<RankedTensorType>(v.getType()).getShape();
      bool fourD = shape.size() == 4;
      if (!fourD)
        v = ReshapeOp::create(b, loc, v,
                              ArrayRef<int64_t>{shape[0], shape[1], 1,
                                                product(shape.drop_front(2))});
      Value copy = QPoolOp::create(b, loc, v, PoolKind::max, {1, 1}, {1, 1},
                                   {0, 0, 0, 0}, 0, 0, /*uncounted=*/nullptr,
                                   /*divisors=*/nullptr)
                       .getResult();
      if (!fourD)
        copy = ReshapeOp::create(b, loc, copy, shape).getResult();
      use->set(copy);
    }
  });
}

struct TilePass : public escalate::impl::TileBase<TilePass> {
  using TileBase::TileBase;

  void runOnOperation() override {
    FailureOr<hw::HwDesc> hw =
        loadHardware(getOperation().getLoc(), getArgument(), hwFile);
    if (failed(hw))
      return signalPassFailure();
    copyUnplaceableConcatOperands(getOperation());
    using Layer = std::variant<codegen::ConvLayer, codegen::PpuLayer>;
    llvm::SmallVector<Operation *> ops;
    std::vector<Layer> layers;
    WalkResult read = getOperation().walk([&](Operation *op) {
      // A fused epilogue is costed and emitted with its conv.
      if (!isTiledLayer(op) || epilogueOwner(op))
        return WalkResult::advance();
      if (llvm::isa<QConvOp, QDecomposedConvOp>(op)) {
        FailureOr<codegen::ConvLayer> l = convLayer(op);
        if (failed(l))
          return WalkResult::interrupt();
        layers.push_back(std::move(*l));
      } else {
        FailureOr<codegen::PpuLayer> l = ppuLayer(op);
        if (failed(l))
          return WalkResult::interrupt();
        layers.push_back(std::move(*l));
      }
      ops.push_back(op);
      return WalkResult::advance();
    });
    if (read.wasInterrupted())
      return signalPassFailure();

    std::vector<std::optional<codegen::Choice>> choices(layers.size());
    std::vector<std::string> errors(layers.size()), names;
    for (Operation *op : ops)
      names.push_back(layerName(op));
    std::atomic<size_t> done{0};
    parallelFor(&getContext(), 0, layers.size(), [&](size_t i) {
      llvm::Expected<codegen::Choice> c = std::visit(
          [&](const auto &l) -> llvm::Expected<codegen::Choice> {
            if constexpr (std::is_same_v<std::decay_t<decltype(l)>,
                                         codegen::ConvLayer>)
              return codegen::chooseConvTile(l, *hw);
            else
              return codegen::choosePpuTile(l, *hw);
          },
          layers[i]);
      if (c)
        choices[i] = *c;
      else
        errors[i] = llvm::toString(c.takeError());
      reportProgress(getArgument(), ++done, layers.size(), names[i]);
    });

    for (auto [op, choice, error] : llvm::zip_equal(ops, choices, errors)) {
      // A fused layer that no tiling fits (the epilogue halves the output
      // slot, a fused pool needs whole windows) runs unfused instead.
      if (!choice && fusedEpilogue(op) && failed(unfuse(op, *hw, choice)))
        return signalPassFailure();
      if (!choice) {
        op->emitOpError() << "cannot be tiled for hardware '" << hw->name
                          << "': " << error;
        return signalPassFailure();
      }
      setTile(op, *choice);
    }
  }

  void setTile(Operation *op, const codegen::Choice &c) {
    const codegen::Tile &t = c.tile;
    op->setAttr(kTileAttr,
                TileAttr::get(
                    &getContext(), t.rows, t.cols, t.inChannels, t.outChannels,
                    t.channelOuter ? TileOrder::channel_outer
                                   : TileOrder::spatial_outer,
                    t.doubleBuffer, int64_t(c.cycles), int64_t(c.dramBytes)));
  }

  /// Drops `conv`'s epilogue and tiles the op as a layer of its own; the
  /// conv's own choice, if any, goes to `choice`.
  LogicalResult unfuse(Operation *conv, const hw::HwDesc &hw,
                       std::optional<codegen::Choice> &choice) {
    Operation *e = fusedEpilogue(conv);
    conv->removeAttr(kEpilogueAttr);
    FailureOr<codegen::ConvLayer> l = convLayer(conv);
    FailureOr<codegen::PpuLayer> p = ppuLayer(e);
    if (failed(l) || failed(p))
      return failure();
    if (llvm::Expected<codegen::Choice> c = codegen::chooseConvTile(*l, hw))
      choice = *c;
    else
      llvm::consumeError(c.takeError()); // reported by the caller
    llvm::Expected<codegen::Choice> c = codegen::choosePpuTile(*p, hw);
    if (!c)
      return e->emitOpError() << "cannot be tiled for hardware '" << hw.name
                              << "': " << llvm::toString(c.takeError());
    setTile(e, *c);
    return success();
  }
};
} // namespace
