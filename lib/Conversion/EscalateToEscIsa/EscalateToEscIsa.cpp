//===- EscalateToEscIsa.cpp - the convert-escalate-to-escisa pass ---------===//
#include "ProgramBuilder.h"
#include "escalate/Conversion/Passes.h"
#include "escalate/Dialect/Escalate/Utils/AcceleratorLayers.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace escalate {
#define GEN_PASS_DEF_CONVERTESCALATETOESCISA
#include "escalate/Conversion/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;

namespace {
struct ConvertEscalateToEscIsaPass
    : public escalate::impl::ConvertEscalateToEscIsaBase<
          ConvertEscalateToEscIsaPass> {
  using ConvertEscalateToEscIsaBase::ConvertEscalateToEscIsaBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto funcs = llvm::to_vector(module.getOps<func::FuncOp>());
    if (funcs.size() != 1) {
      emitError(module.getLoc())
          << getArgument() << ": expected one function, found " << funcs.size();
      return signalPassFailure();
    }
    func::FuncOp f = funcs.front();
    auto plan = f->getAttrOfType<DramPlanAttr>(kDramPlanAttr);
    if (!plan) {
      emitError(f.getLoc()) << getArgument()
                            << ": the function has no DRAM plan: run "
                               "escalate-plan-dram first";
      return signalPassFailure();
    }
    FailureOr<hw::HwDesc> hw =
        loadHardware(module.getLoc(), getArgument(), hwFile);
    if (failed(hw))
      return signalPassFailure();

    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    auto program = escisa::ProgramOp::create(
        b, f.getLoc(), b.getI64IntegerAttr(hw::kDramAlign),
        escisa::hwAttr(b, *hw));
    program.getBody().push_back(new Block());
    conversion::ProgramBuilder builder(*hw, program, plan.getArenaBytes(),
                                       maxInstructions);

    RewritePatternSet patterns(&getContext());
    conversion::populateDataPatterns(patterns, builder);
    conversion::populateLayerPatterns(patterns, builder);
    conversion::populateHostPatterns(patterns, builder);
    // Everything inside the function is lowered; the function itself stays
    // until the program is complete and is then erased as a whole.
    ConversionTarget target(getContext());
    target.addLegalOp<func::FuncOp>();
    target.markUnknownOpDynamicallyLegal(
        [](Operation *op) { return !op->getParentOfType<func::FuncOp>(); });
    ConversionConfig config;
    config.foldingMode = DialectConversionFoldingMode::Never;
    if (failed(
            applyPartialConversion(f, target, std::move(patterns), config)) ||
        builder.failed)
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    builder.finish(rewriter, plan);
    f.erase();
  }
};
} // namespace
