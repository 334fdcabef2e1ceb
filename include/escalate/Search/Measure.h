//===- Measure.h - measuring layer options and whole models -----*- C++ -*-===//
#ifndef ESCALATE_SEARCH_MEASURE_H
#define ESCALATE_SEARCH_MEASURE_H

#include "escalate/Quantization/Calibration.h"
#include "escalate/Search/Search.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"

namespace escalate::search {

/// Labelled images for an accuracy budget (escalate-search --labels): one
/// model input per image, its label, and the float model's top-1 on them.
struct LabelledSet {
  std::vector<calib::Sample> inputs;
  std::vector<int64_t> labels;
  double floatTop1 = 0;
};

/// Reads DIR/images.npy ([N, C, H, W] or [N, H, W] for one channel; uint8
/// scaled by 1/255, floats as stored) and DIR/labels.npy (integers [N]),
/// the folder format of escalate.data, at most `limit` images (0: all),
/// and classifies them with the float `model`.
llvm::Expected<LabelledSet> loadLabelled(mlir::ModuleOp model,
                                         llvm::StringRef dir, unsigned limit);

/// A float model (after escalate-graph-opt) and its calibration data,
/// prepared for measuring.
struct Workbench {
  std::string hwPath; ///< empty: the built-in description
  /// The compile mode: decomposed (the layers are searched), or dense or
  /// pruned (nothing to search: the model as it is, for a hardware
  /// co-search of that mode's accelerator).
  std::string mode = "decomposed";
  /// The float model's activation ranges, shared by every compile so that
  /// a layer measured alone is quantized as it is inside the model.
  std::string calibTable;
  /// The calibration folder and sample limit: whole-model compiles
  /// calibrate from them, as `escalate-compile --config --calib` will.
  std::string calibDir;
  unsigned calibLimit = 0;
  std::vector<calib::Sample> samples;
  std::vector<llvm::SmallVector<Tensor>> floatOutputs; ///< per sample
  /// Mean square of the float outputs.
  double signal = 0;
  /// A searchable layer: a group-1 k x k convolution (k^2 > 1) with
  /// constant weights, its fused activation, and what it saw and produced
  /// on each sample.
  struct LayerData {
    std::string name;
    int64_t kernelSize = 0;
    std::string module; ///< the layer alone, as MLIR text
    std::vector<Tensor> inputs, outputs;
  };
  std::vector<LayerData> layers;
  /// Empty unless the budget is labelled accuracy.
  LabelledSet labelled;
};

/// Calibrates `model` on `samples`, writing the ranges to
/// `workDir`/calib.txt, records the searchable layers (in decomposed
/// `mode`) and the float outputs. Errors are diagnostics on the model.
mlir::FailureOr<Workbench> prepare(mlir::ModuleOp model,
                                   std::vector<calib::Sample> samples,
                                   llvm::StringRef hwPath, llvm::StringRef mode,
                                   llvm::StringRef workDir);

/// Model output noise per unit of noise at layer `index`'s output, measured
/// by adding `pattern` (one tensor per sample: a real option's error, since
/// white noise would average away in pooling where correlated weight errors
/// do not) to that output.
mlir::FailureOr<double> measureGain(mlir::ModuleOp model, const Workbench &wb,
                                    size_t index,
                                    llvm::ArrayRef<Tensor> pattern);

/// Layer `index` compiled alone under `option`, in its own context (safe
/// to call from several threads): simulated cycles and energy of its
/// program, and the mean squared error of its quantized output on its
/// recorded inputs (those outputs go to `outputs` if given).
llvm::Expected<Measure> measureOption(const Workbench &wb, size_t index,
                                      const Option &option,
                                      std::vector<Tensor> *outputs = nullptr);

/// The whole model compiled with the per-layer settings in `configPath`,
/// calibrated from the folder as escalate-compile would.
struct ModelResult {
  double noise = 0, sqnrDb = 0;
  /// Fraction of output rows whose argmax matches the float model's.
  double agreement = 0;
  /// Top-1 on the workbench's labelled set (-1 without one).
  double top1 = -1;
  /// Simulated on zero inputs (the counts do not depend on data).
  double cycles = 0, energyPj = 0;
  llvm::StringMap<Measure> layers; ///< simulated cost by layer name
};
llvm::Expected<ModelResult> measureModel(mlir::ModuleOp model,
                                         const Workbench &wb,
                                         llvm::StringRef configPath,
                                         bool simulate);
/// A result as best.json records it: cycles, energy_pj, sqnr_db,
/// agreement and (with labels) top1.
llvm::json::Object resultJson(const ModelResult &r);

} // namespace escalate::search

#endif
