//===- HostPatterns.cpp - ops the host core runs
//---------------------------===//
//
// Softmax (escalate.qsoftmax) and every float op escalate-quantize left
// between dequantizations and a quantize (HostPlacement.h) become `host`
// instructions with an entry in the binary's host-op table. The host reads
// the integer tensors the dequantizations read and writes the one the
// quantize produces; float constants go to DRAM as IEEE binary32 segments.
//
//===----------------------------------------------------------------------===//
#include "ProgramBuilder.h"
#include "escalate/Dialect/Escalate/Utils/HostPlacement.h"
#include "escalate/Dialect/Escalate/Utils/Reports.h"

using namespace mlir;
using namespace escalate;
using namespace escalate::conversion;

namespace {
/// Softmax runs on the host's integer softmax (fixed::softmaxRow).
struct LowerSoftmax : LoweringPattern<QSoftmaxOp> {
  using LoweringPattern::LoweringPattern;
  LogicalResult lower(QSoftmaxOp sm, RewriterBase &r) const override {
    if (failed(ProgramBuilder::needContiguous(sm, sm.getInput())) ||
        failed(ProgramBuilder::needContiguous(sm, sm.getOutput())))
      return failure();
    isa::HostOp entry;
    entry.kind = "softmax";
    entry.inputs.push_back(ProgramBuilder::describe("input", sm.getInput()));
    entry.output = ProgramBuilder::describe("output", sm.getOutput());
    entry.axis = sm.getAxisAttr().getInt();
    return program.appendHost(r, sm, entry);
  }
};

/// A float op with a host form, bracketed by escalate-quantize. It outranks
/// the placement-only patterns (benefit 2), which are for the quantized
/// forms of the same ops: a float slice is a host op, not a view.
struct LowerHostOp : ConversionPattern {
  LowerHostOp(MLIRContext *ctx, ProgramBuilder &program)
      : ConversionPattern(MatchAnyOpTypeTag(), /*benefit=*/3, ctx),
        program(program) {}

  LogicalResult matchAndRewrite(Operation *op, ArrayRef<Value>,
                                ConversionPatternRewriter &r) const override {
    std::optional<HostForm> form = hostForm(op);
    if (!form)
      return failure();
    if (!program.failed && failed(lower(op, *form, r)))
      program.failed = true;
    r.eraseOp(op);
    return success();
  }

  LogicalResult lower(Operation *op, const HostForm &form,
                      ConversionPatternRewriter &r) const {
    isa::HostOp entry;
    entry.kind = isa::hostKinds().keywords[form.kind];
    entry.ints.assign(form.ints.begin(), form.ints.end());
    entry.reals.assign(form.reals.begin(), form.reals.end());
    std::string layer = layerName(op);
    ValueRange inputs = hostInputs(op);
    for (auto [i, v] : llvm::enumerate(inputs)) {
      std::string name = inputs.size() == 1 ? std::string("input")
                                            : "input" + std::to_string(i);
      if (auto dq = v.getDefiningOp<DequantizeOp>()) {
        if (failed(ProgramBuilder::needContiguous(op, dq.getInput())))
          return failure();
        entry.inputs.push_back(ProgramBuilder::describe(name, dq.getInput()));
        continue;
      }
      if (failed(constantValue(v)))
        return op->emitOpError("runs on the host, but operand ")
               << i << " is neither a dequantized tensor nor a constant: "
               << "run escalate-quantize first";
      isa::TensorDesc t;
      t.name = name;
      auto type = cast<RankedTensorType>(v.getType());
      t.shape.assign(type.getShape().begin(), type.getShape().end());
      // A rank-0 constant is one element.
      if (t.shape.empty())
        t.shape.push_back(1);
      t.bits = 32;
      t.scale = 0;
      t.dram = program.hostConstant(r, v, layer + "/" + name);
      entry.inputs.push_back(t);
    }
    Value result = op->getResult(0);
    auto quantize = result.hasOneUse()
                        ? dyn_cast<QuantizeOp>(*result.getUsers().begin())
                        : QuantizeOp();
    if (!quantize)
      return op->emitOpError("runs on the host, but its result is not "
                             "quantized once: run escalate-quantize first");
    if (failed(ProgramBuilder::needContiguous(op, quantize.getResult())))
      return failure();
    entry.output = ProgramBuilder::describe("output", quantize.getResult());
    return program.appendHost(r, op, entry);
  }

  ProgramBuilder &program;
};
} // namespace

void conversion::populateHostPatterns(RewritePatternSet &patterns,
                                      ProgramBuilder &program) {
  patterns.add<LowerSoftmax, LowerHostOp>(patterns.getContext(), program);
}
