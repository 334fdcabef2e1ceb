//===- LayerStats.cpp - per-layer parameters and MACs ---------------------===//
#include "escalate/Support/Tool.h"
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"

namespace escalate {
#define GEN_PASS_DEF_LAYERSTATS
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;

namespace {
int64_t elements(Value v) {
  return cast<ShapedType>(v.getType()).getNumElements();
}

/// Parameters are the constant operands after the first (the activation).
int64_t constantParams(Operation *op) {
  int64_t n = 0;
  for (Value v : op->getOperands().drop_front())
    if (matchPattern(v, m_Constant()))
      n += elements(v);
  return n;
}

} // namespace

std::optional<LayerCost> escalate::layerCost(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<LayerCost>>(op)
      .Case([](ConvOp conv) {
        auto w = conv.getWeight().getType();
        int64_t perOutput = product(w.getShape().drop_front(1));
        return LayerCost{constantParams(conv), elements(conv) * perOutput};
      })
      .Case([](DecomposedConvOp dec) {
        // Stage 1: every input channel times every basis; stage 2: one MAC
        // per nonzero coefficient per output pixel.
        int64_t pixels =
            elements(dec) / std::max<int64_t>(dec.getType().getDimSize(1), 1);
        int64_t basisMacs = dec.getInput().getType().getDimSize(1) *
                            elements(dec.getBases()) * pixels;
        int64_t nnz = elements(dec.getCoefficients());
        if (FailureOr<Tensor> c = constantValue(dec.getCoefficients());
            succeeded(c))
          nnz = llvm::count_if(c->f32(), [](float v) { return v != 0.0f; });
        int64_t params = elements(dec.getBases()) + nnz +
                         (dec.getBias() ? elements(dec.getBias()) : 0);
        return LayerCost{params, basisMacs + nnz * pixels};
      })
      .Case([](GemmOp gemm) {
        int64_t k = gemm.getA().getType().getDimSize(gemm.getTransA() ? 0 : 1);
        return LayerCost{constantParams(gemm), elements(gemm) * k};
      })
      .Case([](MatMulOp mm) {
        int64_t k = mm.getLhs().getType().getShape().back();
        return LayerCost{constantParams(mm), elements(mm) * k};
      })
      .Case<MaxPoolOp, AveragePoolOp>([](auto pool) {
        return LayerCost{0, elements(pool) * product(pool.getKernelShape())};
      })
      .Case([](GlobalAveragePoolOp pool) {
        return LayerCost{0, elements(pool.getInput())};
      })
      .Case([](BatchNormOp bn) {
        return LayerCost{constantParams(bn), elements(bn)};
      })
      .Default([](Operation *) { return std::nullopt; });
}

namespace {
struct LayerStatsPass : public escalate::impl::LayerStatsBase<LayerStatsPass> {
  using LayerStatsBase::LayerStatsBase;

  void runOnOperation() override {
    llvm::json::Array layers;
    int64_t totalParams = 0, totalMacs = 0;
    llvm::raw_ostream &os = llvm::errs();
    os << llvm::formatv("{0,-40} {1,-20} {2,-18} {3,12} {4,15}\n", "layer",
                        "op", "output", "params", "MACs");
    getOperation().walk([&](Operation *op) {
      std::optional<LayerCost> cost = layerCost(op);
      if (!cost)
        return;
      auto type = cast<ShapedType>(op->getResult(0).getType());
      std::string shape;
      llvm::raw_string_ostream ss(shape);
      llvm::interleave(type.getShape(), ss, "x");
      std::string name = layerName(op);
      StringRef opName = op->getName().stripDialect();
      os << llvm::formatv("{0,-40} {1,-20} {2,-18} {3,12} {4,15}\n",
                          tool::elideMiddle(name, 40), opName, shape,
                          cost->params, cost->macs);
      layers.push_back(llvm::json::Object{{"name", name},
                                          {"op", opName},
                                          {"output", shape},
                                          {"params", cost->params},
                                          {"macs", cost->macs}});
      totalParams += cost->params;
      totalMacs += cost->macs;
    });
    os << llvm::formatv("{0,-80} {1,12} {2,15}\n", "total", totalParams,
                        totalMacs);
    if (jsonFile.empty())
      return;
    llvm::json::Object root{{"layers", std::move(layers)},
                            {"total_params", totalParams},
                            {"total_macs", totalMacs}};
    if (failed(
            writeJsonFile(getOperation().getLoc(), jsonFile, std::move(root))))
      return signalPassFailure();
  }
};
} // namespace
