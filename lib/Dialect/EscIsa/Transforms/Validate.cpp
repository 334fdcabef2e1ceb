//===- Validate.cpp - the escisa-validate pass ----------------------------===//
#include "escalate/Dialect/EscIsa/Transforms/Passes.h"

namespace escalate::escisa {
#define GEN_PASS_DEF_VALIDATE
#include "escalate/Dialect/EscIsa/Transforms/Passes.h.inc"
} // namespace escalate::escisa

using namespace mlir;
using namespace escalate::escisa;

namespace {
struct ValidatePass
    : public escalate::escisa::impl::ValidateBase<ValidatePass> {
  void runOnOperation() override {
    // toProgram gathers the program with every check the loader makes and
    // reports each problem on the op it concerns.
    for (ProgramOp program : getOperation().getOps<ProgramOp>())
      if (failed(toProgram(program)))
        return signalPassFailure();
  }
};
} // namespace
