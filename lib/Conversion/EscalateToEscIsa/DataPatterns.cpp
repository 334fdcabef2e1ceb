//===- DataPatterns.cpp - declarations and placement-only ops -------------===//
//
// Graph inputs and outputs become escisa.tensor declarations; constants,
// reshapes, channel slices, concats and interleaves emit nothing (DRAM
// planning put them in place), and
// a requant is emitted with the convolution whose accumulators it reads.
//
//===----------------------------------------------------------------------===//
#include "ProgramBuilder.h"
#include "escalate/Dialect/Escalate/Utils/HostPlacement.h"
#include "escalate/Dialect/Escalate/Utils/Reports.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace escalate;
using namespace escalate::conversion;

namespace {
/// A graph input's quantize declares the input.
struct DeclareInput : LoweringPattern<QuantizeOp> {
  using LoweringPattern::LoweringPattern;
  LogicalResult lower(QuantizeOp q, RewriterBase &r) const override {
    auto arg = dyn_cast<BlockArgument>(q.getInput());
    if (!arg) {
      // A host op's result: the host writes it (HostPatterns.cpp).
      if (hostForm(q.getInput().getDefiningOp()))
        return success();
      return q.emitOpError(
          "quantizes a float result computed in the graph: the op before "
          "it has no accelerator or host lowering");
    }
    auto f = cast<func::FuncOp>(arg.getOwner()->getParentOp());
    auto name =
        f.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "escalate.name");
    program.declareInput(r,
                         ProgramBuilder::describe(
                             name ? name.getValue()
                                  : ("input" + Twine(arg.getArgNumber())).str(),
                             q.getResult()));
    return ProgramBuilder::needContiguous(q, q.getResult());
  }
};

/// A dequantize may only hand a graph output back in float, or an integer
/// tensor to a host op.
struct CheckDequantize : LoweringPattern<DequantizeOp> {
  using LoweringPattern::LoweringPattern;
  LogicalResult lower(DequantizeOp op, RewriterBase &) const override {
    for (Operation *user : op->getUsers())
      if (!llvm::isa<func::ReturnOp>(user) && !hostForm(user))
        return op->emitOpError()
               << "feeds float op '" << user->getName() << "' (layer '"
               << layerName(user) << "'), which the accelerator cannot run";
    return success();
  }
};

/// The return declares the outputs (the tensors before their dequantize).
struct DeclareOutputs : LoweringPattern<func::ReturnOp> {
  using LoweringPattern::LoweringPattern;
  LogicalResult lower(func::ReturnOp ret, RewriterBase &r) const override {
    auto f = cast<func::FuncOp>(ret->getParentOp());
    for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
      Value q = v;
      if (auto deq = v.getDefiningOp<DequantizeOp>())
        q = deq.getInput();
      Operation *def = q.getDefiningOp();
      if (!quantType(q.getType()) || !def || !def->hasAttr(kDramAttr))
        return ret.emitOpError()
               << "output " << i << " is not a quantized activation";
      auto name = f.getResultAttrOfType<StringAttr>(i, "escalate.name");
      program.declareOutput(
          r, ProgramBuilder::describe(
                 name ? name.getValue() : ("output" + Twine(i)).str(), q));
      if (failed(ProgramBuilder::needContiguous(ret, q)))
        return failure();
    }
    return success();
  }
};

/// Data, placement, or emitted with its convolution: nothing to emit.
template <typename Op> struct PlacementOnly : LoweringPattern<Op> {
  using LoweringPattern<Op>::LoweringPattern;
  LogicalResult lower(Op, RewriterBase &) const override { return success(); }
};
} // namespace

void conversion::populateDataPatterns(RewritePatternSet &patterns,
                                      ProgramBuilder &program) {
  patterns.add<DeclareInput, CheckDequantize, DeclareOutputs,
               PlacementOnly<ConstantOp>, PlacementOnly<ReshapeOp>,
               PlacementOnly<SliceOp>, PlacementOnly<ConcatOp>,
               PlacementOnly<InterleaveOp>, PlacementOnly<RequantOp>>(
      patterns.getContext(), program);
}
