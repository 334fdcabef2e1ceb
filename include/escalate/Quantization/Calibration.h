//===- Calibration.h - activation ranges for quantization -------*- C++ -*-===//
//
// Runs the float model on calibration inputs, collects every activation's
// statistics and turns them into ranges by min-max, percentile or KL
// (entropy) calibration. Ranges live in a plain-text table, one line per
// tensor, that users may edit and reuse (docs/quantization.md).
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_QUANTIZATION_CALIBRATION_H
#define ESCALATE_QUANTIZATION_CALIBRATION_H

#include "escalate/Support/Tensor.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/Error.h"
#include <map>
#include <string>
#include <vector>

namespace escalate::calib {

enum class Method { MinMax, Percentile, Kl };
std::optional<Method> parseMethod(llvm::StringRef name);
llvm::StringRef methodName(Method m);

struct Range {
  double min = 0, max = 0;
};

/// Ranges by tensor name, in the model's execution order.
struct Table {
  llvm::MapVector<std::string, Range, std::map<std::string, unsigned>> ranges;
  /// Free-form provenance written as comments (method, sample count).
  std::string provenance;

  void print(llvm::raw_ostream &os) const;
  /// Writes atomically: a temporary file renamed into place.
  llvm::Error save(llvm::StringRef path) const;
  static llvm::Expected<Table> parse(llvm::StringRef text,
                                     llvm::StringRef path);
  static llvm::Expected<Table> load(llvm::StringRef path);
};

/// Names of the float activations calibration tracks: graph inputs by their
/// ONNX names, op results by their layer (NameLoc) names, as
/// `escalate-run --dump-dir` names them; repeats get "#2", "#3"...
llvm::MapVector<mlir::Value, std::string> activationNames(mlir::func::FuncOp f);

/// One calibration sample: a tensor per graph input.
using Sample = llvm::SmallVector<Tensor>;

/// Loads samples from `dir`: either files (.npy or .pb) each holding a
/// single-input model's input, or sub-directories each holding one sample as
/// `input_<k>.pb`/`.npy` files (the ONNX test-data layout). Sorted by name;
/// at most `limit` samples when it is non-zero.
llvm::Expected<std::vector<Sample>> loadSamples(llvm::StringRef dir,
                                                mlir::func::FuncOp f,
                                                unsigned limit);
/// `count` deterministic N(0, 1) samples, or an error naming an input too
/// large to allocate (its shape came from the model).
llvm::Expected<std::vector<Sample>> syntheticSamples(mlir::func::FuncOp f,
                                                     unsigned count);

/// The threshold T on |x| chosen from a histogram of |x| with `binWidth`:
/// the `percentile`-th percentile, or the one minimising the KL divergence
/// between the distribution and its quantization to 2^(bits-1) - 1 levels.
double percentileThreshold(llvm::ArrayRef<uint64_t> hist, double binWidth,
                           double percentile);
double klThreshold(llvm::ArrayRef<uint64_t> hist, double binWidth,
                   unsigned bits);

struct Options {
  Method method = Method::MinMax;
  double percentile = 99.99;
  unsigned bits = 8;
};

/// Runs `f` on every sample and computes each named activation's range.
/// Errors (a failing run) are emitted as diagnostics.
llvm::FailureOr<Table> calibrate(mlir::func::FuncOp f,
                                 llvm::ArrayRef<Sample> samples,
                                 const Options &options);

} // namespace escalate::calib

#endif
