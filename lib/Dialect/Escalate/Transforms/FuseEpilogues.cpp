//===- FuseEpilogues.cpp - residual adds in the conv's PPU step -----------===//
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace escalate {
#define GEN_PASS_DEF_FUSEEPILOGUES
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;

namespace {
struct FuseEpiloguesPass
    : public escalate::impl::FuseEpiloguesBase<FuseEpiloguesPass> {
  void runOnOperation() override {
    getOperation().walk([](Operation *op) {
      if (!llvm::isa<QAddOp, QMulOp, QPoolOp>(op))
        return;
      // At most one operand's conv qualifies: the other operand must be
      // defined before it, so of two branch convs only the later one can.
      for (Value v : op->getOperands()) {
        auto rq = v.getDefiningOp<RequantOp>();
        Operation *conv = rq ? rq.getInput().getDefiningOp() : nullptr;
        if (conv && epilogueCandidate(conv) == op) {
          conv->setAttr(kEpilogueAttr, UnitAttr::get(op->getContext()));
          return;
        }
      }
    });
  }
};
} // namespace
