//===- DecompositionReport.cpp - per-layer decomposition report -----------===//
#include "escalate/Support/Tool.h"
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "escalate/Reference/Interpreter.h"
#include "escalate/Support/TensorFiles.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include <cmath>

namespace escalate {
#define GEN_PASS_DEF_DECOMPOSITIONREPORT
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;

namespace {
/// Output SQNR in dB of `dec` evaluated on its recorded input against its
/// recorded output, or std::nullopt with a reason.
FailureOr<double> layerSqnr(DecomposedConvOp dec, StringRef dir,
                            std::string &why) {
  FailureOr<LayerActivations> acts = loadActivations(dec, dir, why);
  if (failed(acts))
    return failure();
  SmallVector<Tensor> operands = {Tensor()};
  for (Value v : dec->getOperands().drop_front()) {
    FailureOr<Tensor> t = constantValue(v);
    if (failed(t)) {
      why = "weights are not constant";
      return failure();
    }
    operands.push_back(std::move(*t));
  }
  SmallVector<const Tensor *> ptrs;
  for (const Tensor &t : operands)
    ptrs.push_back(&t);
  // Recordings of several samples are stacked along the batch: evaluate
  // the layer one recorded run (its own batch) at a time.
  int64_t batch = dec.getType().getDimSize(0);
  double signal = 0, noise = 0;
  for (int64_t first = 0; first < acts->input.dim(0); first += batch) {
    SmallVector<int64_t> rows;
    for (int64_t i = first; i < first + batch; ++i)
      rows.push_back(i);
    operands[0] = selectAlong(acts->input, 0, rows);
    Tensor want = selectAlong(acts->output, 0, rows);
    SmallVector<Tensor> got;
    if (failed(cast<EvaluateOpInterface>(dec.getOperation())
                   .evaluate(ptrs, got)))
      return failure();
    for (auto [a, b] : llvm::zip(want.f32(), got[0].f32())) {
      signal += double(a) * a;
      noise += (double(a) - b) * (double(a) - b);
    }
  }
  // Clamped so JSON never holds +-inf (exact match, or a silent layer).
  if (noise == 0)
    return 999.0;
  if (signal == 0)
    return -999.0;
  return std::clamp(10 * std::log10(signal / noise), -999.0, 999.0);
}

double attrOr(Operation *op, StringRef name, double dflt) {
  if (auto a = op->getAttrOfType<FloatAttr>(name))
    return a.getValueAsDouble();
  return dflt;
}

struct DecompositionReportPass
    : public escalate::impl::DecompositionReportBase<DecompositionReportPass> {
  using DecompositionReportBase::DecompositionReportBase;

  void runOnOperation() override {
    llvm::json::Array layers;
    bool failedLayers = false;
    int64_t before[2] = {0, 0}, after[2] = {0, 0}; // params, MACs
    llvm::raw_ostream &os = llvm::errs();
    os << llvm::formatv("{0,-36} {1,3} {2,9} {3,12} {4,12} {5,14} {6,14} "
                        "{7,10}\n",
                        "layer", "M", "sparsity", "params", "params'", "MACs",
                        "MACs'", "kern.err");
    getOperation().walk([&](DecomposedConvOp dec) {
      int64_t cout = dec.getType().getDimSize(1);
      int64_t cinG = dec.getCoefficients().getType().getDimSize(1);
      int64_t k = product(dec.getBases().getType().getShape().drop_front());
      int64_t pixels =
          dec.getType().getNumElements() / std::max<int64_t>(cout, 1);
      int64_t biasParams = dec.getBias() ? cout : 0;
      int64_t coefCount = dec.getCoefficients().getType().getNumElements();
      std::optional<LayerCost> cost = layerCost(dec);
      int64_t nnz =
          cost->params - dec.getBases().getType().getNumElements() - biasParams;
      double sparsity = coefCount ? 1.0 - double(nnz) / coefCount : 0.0;
      // Savings are stated against the layer before channels were shrunk.
      int64_t cout0 = cout, cin0 = cinG;
      if (auto orig =
              dec->getAttrOfType<DenseI64ArrayAttr>(kOriginalChannelsAttr)) {
        cout0 = orig[0];
        cin0 = orig[1];
      }
      int64_t denseParams = cout0 * cin0 * k + (dec.getBias() ? cout0 : 0);
      int64_t denseMacs = pixels * cout0 * cin0 * k;
      double energy = attrOr(dec, kKernelEnergyAttr, 0.0);
      double residual = attrOr(dec, kResidualEnergyAttr, 0.0);
      double error = energy > 0 ? std::sqrt(residual / energy) : 0.0;
      std::string name = layerName(dec);
      os << llvm::formatv("{0,-36} {1,3} {2,9:P1} {3,12} {4,12} {5,14} {6,14} "
                          "{7,10:e2}\n",
                          tool::elideMiddle(name, 36), dec.getNumBases(),
                          sparsity, denseParams, cost->params, denseMacs,
                          cost->macs, error);
      llvm::json::Object encoding;
      if (auto e = dec->getAttrOfType<SparseEncodingAttr>(kEncodingAttr))
        encoding =
            llvm::json::Object{{"format", stringifySparseFormat(e.getFormat())},
                               {"rows", e.getRows()},
                               {"cols", e.getCols()},
                               {"index_bits", e.getIndexBits()},
                               {"entries", e.getNumEntries()},
                               {"storage_bits_f32", e.getStorageBits(32)}};
      std::optional<double> sqnr;
      if (!calibration.empty()) {
        std::string why;
        FailureOr<double> db = layerSqnr(dec, calibration, why);
        if (failed(db)) {
          emitError(dec.getLoc())
              << "no calibration SQNR for layer '" << name << "': " << why;
          failedLayers = true;
        } else {
          sqnr = *db;
          os << llvm::formatv("{0,-36} output SQNR {1:f1} dB\n",
                              tool::elideMiddle(name, 36), *db);
        }
      }
      layers.push_back(llvm::json::Object{
          {"encoding", std::move(encoding)},
          {"output_sqnr_db", sqnr},
          {"name", name},
          {"bases", dec.getNumBases()},
          {"kernel_size", k},
          {"channels_before", llvm::json::Array{cout0, cin0}},
          {"channels_after", llvm::json::Array{cout, cinG}},
          {"coefficient_sparsity", sparsity},
          {"params_before", denseParams},
          {"params_after", cost->params},
          {"macs_before", denseMacs},
          {"macs_after", cost->macs},
          {"kernel_relative_error", error}});
      before[0] += denseParams;
      before[1] += denseMacs;
      after[0] += cost->params;
      after[1] += cost->macs;
    });
    if (failedLayers)
      return signalPassFailure();
    os << llvm::formatv("{0,-50} {1,12} {2,12} {3,14} {4,14}\n", "total",
                        before[0], after[0], before[1], after[1]);
    if (jsonFile.empty())
      return;
    llvm::json::Object root{{"layers", std::move(layers)},
                            {"params_before", before[0]},
                            {"params_after", after[0]},
                            {"macs_before", before[1]},
                            {"macs_after", after[1]}};
    if (failed(
            writeJsonFile(getOperation().getLoc(), jsonFile, std::move(root))))
      return signalPassFailure();
  }
};
} // namespace
