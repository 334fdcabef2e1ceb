//===- EncodeSparsity.cpp - choose weight storage formats -----------------===//
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "escalate/Hardware/Instruction.h"

namespace escalate {
#define GEN_PASS_DEF_ENCODESPARSITY
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;

namespace {
struct EncodeSparsityPass
    : public escalate::impl::EncodeSparsityBase<EncodeSparsityPass> {
  using EncodeSparsityBase::EncodeSparsityBase;

  void runOnOperation() override {
    std::optional<SparseFormat> fixed;
    if (format != "auto") {
      fixed = symbolizeSparseFormat(format);
      if (!fixed) {
        emitError(getOperation().getLoc())
            << "escalate-encode-sparsity: format '" << format
            << "' is not auto, dense, bitmap or delta";
        return signalPassFailure();
      }
    }
    if (indexBits &&
        !llvm::is_contained(isa::conv::kDeltaIndexBits, unsigned(indexBits))) {
      emitError(getOperation().getLoc())
          << "escalate-encode-sparsity: index-bits must be 2, 4, 8 or 16";
      return signalPassFailure();
    }
    if (valueBits < 1 || valueBits > 32) {
      emitError(getOperation().getLoc())
          << "escalate-encode-sparsity: value-bits must be in [1, 32]";
      return signalPassFailure();
    }
    getOperation().walk([&](Operation *op) {
      Value operand = encodedOperand(op);
      if (!operand)
        return;
      FailureOr<Tensor> values = constantValue(operand);
      if (failed(values) || values->rank() < 1 || values->dim(0) == 0)
        return;
      int64_t rows = values->dim(0), cols = values->numElements() / rows;
      op->setAttr(kEncodingAttr, encode(values->f32(), rows, cols, fixed));
    });
  }

  SparseEncodingAttr encode(ArrayRef<float> values, int64_t rows, int64_t cols,
                            std::optional<SparseFormat> fixed) {
    MLIRContext *ctx = &getContext();
    if (!fixed)
      return chooseEncoding(ctx, values, rows, cols, valueBits);
    if (*fixed != SparseFormat::delta || indexBits)
      return encodeMatrix(ctx, values, rows, cols, *fixed,
                          *fixed == SparseFormat::delta ? indexBits : 0);
    SparseEncodingAttr best;
    for (unsigned bits : isa::conv::kDeltaIndexBits) {
      SparseEncodingAttr e =
          encodeMatrix(ctx, values, rows, cols, SparseFormat::delta, bits);
      if (!best || e.getStorageBits(valueBits) < best.getStorageBits(valueBits))
        best = e;
    }
    return best;
  }
};
} // namespace
