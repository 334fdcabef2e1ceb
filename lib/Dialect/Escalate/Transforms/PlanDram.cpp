//===- PlanDram.cpp - record the DRAM plan of a function in its IR --------===//
#include "MemoryPlan.h"
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"

namespace escalate {
#define GEN_PASS_DEF_PLANDRAM
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;

namespace {
struct PlanDramPass : public escalate::impl::PlanDramBase<PlanDramPass> {
  void runOnOperation() override {
    func::FuncOp f = getOperation();
    FailureOr<DramPlan> plan = planDram(f);
    if (failed(plan))
      return signalPassFailure();
    MLIRContext *ctx = &getContext();
    // planDram places op results only (graph inputs are placed through
    // their quantize); one quantized result per op is all the dialect has.
    for (auto &[value, view] : plan->views) {
      Operation *def = value.getDefiningOp();
      if (def->getNumResults() != 1) {
        def->emitOpError("has several quantized results, which DRAM "
                         "planning cannot annotate");
        return signalPassFailure();
      }
      def->setAttr(kDramAttr, DramAttr::get(ctx, view.base, view.imageStride,
                                            view.channelStride));
    }
    f->setAttr(kDramPlanAttr,
               DramPlanAttr::get(ctx, plan->arenaBytes, plan->unsharedBytes,
                                 plan->buffers));
  }
};
} // namespace
