//===- Pipelines.h - named pass pipelines -----------------------*- C++ -*-===//
#ifndef ESCALATE_PIPELINES_PIPELINES_H
#define ESCALATE_PIPELINES_PIPELINES_H

#include "escalate/Conversion/Passes.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace escalate {
/// Graph-level clean-up run right after import: canonicalization (BatchNorm
/// folding, constant folding, Identity/Dropout removal, static shape chains)
/// and CSE. Registered as `escalate-graph-opt`.
void buildGraphOptPipeline(mlir::OpPassManager &pm);

/// Where `escalate-compile` stops: the IR after each stage.
enum class Stage { Escalate, Decomposed, Quantized, Tiled, EscIsa };
std::optional<Stage> parseStage(llvm::StringRef name);

/// The compiler's options; `escalate-compile` flags and the registered
/// `escalate-compile` pipeline's options are these same fields.
struct CompileOptions : public mlir::PassPipelineOptions<CompileOptions> {
  Option<std::string> mode{*this, "mode",
                           llvm::cl::desc("decomposed, dense or pruned"),
                           llvm::cl::init("decomposed")};
  Option<std::string> stopAfter{
      *this, "stop-after",
      llvm::cl::desc("escalate, decomposed, quantized, tiled or escisa"),
      llvm::cl::init("escisa")};
  Option<std::string> hw{*this, "hw",
                         llvm::cl::desc("Hardware description JSON")};
  Option<std::string> config{
      *this, "config",
      llvm::cl::desc("Per-layer settings (JSON, e.g. from escalate-search) "
                     "overriding these options layer by layer")};
  // Decomposition and pruning.
  Option<int64_t> bases{*this, "bases",
                        llvm::cl::desc("Bases per layer (0: by energy)"),
                        llvm::cl::init(0)};
  Option<double> energy{*this, "energy",
                        llvm::cl::desc("Kept kernel energy choosing M"),
                        llvm::cl::init(0.99)};
  Option<double> sparsity{
      *this, "sparsity",
      llvm::cl::desc("Coefficient sparsity (decomposed) or weight sparsity "
                     "(pruned); default 0.5 and 0.8"),
      llvm::cl::init(-1)};
  Option<double> stdThreshold{
      *this, "std-threshold",
      llvm::cl::desc("Prune coefficients below this many std (instead of "
                     "sparsity)"),
      llvm::cl::init(-1)};
  Option<double> errorBudget{
      *this, "error-budget",
      llvm::cl::desc("Prune coefficients up to this relative kernel error"),
      llvm::cl::init(-1)};
  Option<bool> refit{
      *this, "refit",
      llvm::cl::desc("Refit surviving coefficients to each layer's float "
                     "outputs on the calibration samples (needs calib)"),
      llvm::cl::init(false)};
  Option<std::string> workDir{
      *this, "work-dir",
      llvm::cl::desc("Folder for intermediate recordings (refit); "
                     "escalate-compile makes a temporary one")};
  // Quantization.
  Option<unsigned> actBits{*this, "act-bits",
                           llvm::cl::desc("Bits of every activation (8 or 16)"),
                           llvm::cl::init(8)};
  Option<unsigned> weightBits{
      *this, "weight-bits", llvm::cl::desc("Bits of dense and pruned weights"),
      llvm::cl::init(8)};
  Option<unsigned> basisBits{
      *this, "basis-bits",
      llvm::cl::desc("Bits of the bases (decomposed mode)"), llvm::cl::init(8)};
  Option<unsigned> coefBits{
      *this, "coef-bits",
      llvm::cl::desc("Bits of the coefficients (decomposed mode)"),
      llvm::cl::init(8)};
  Option<bool> perChannel{*this, "per-channel", llvm::cl::init(true)};
  Option<bool> symmetric{*this, "symmetric", llvm::cl::init(false)};
  Option<std::string> calibDir{*this, "calib",
                               llvm::cl::desc("Calibration samples")};
  Option<std::string> calibMethod{*this, "calib-method",
                                  llvm::cl::init("minmax")};
  Option<unsigned> calibSamples{
      *this, "calib-samples",
      llvm::cl::desc("Use at most this many samples (0: all; synthetic: 8)"),
      llvm::cl::init(0)};
  Option<std::string> calibTable{*this, "calib-table",
                                 llvm::cl::desc("Read activation ranges")};
  Option<std::string> writeCalibTable{*this, "write-calib-table"};
  // Emission.
  Option<uint64_t> maxInstructions{
      *this, "max-instructions",
      llvm::cl::desc("Refuse programs longer than this"),
      llvm::cl::init(kDefaultMaxInstructions)};
  Option<std::string> report{
      *this, "report",
      llvm::cl::desc("Write the memory plan and per-layer estimates")};
};

/// A temporary folder for the pipeline's intermediate files (refit's
/// recordings) when the options need one and give none; removed with its
/// contents when this goes out of scope.
class ScopedWorkDir {
public:
  ScopedWorkDir() = default;
  ScopedWorkDir(const ScopedWorkDir &) = delete;
  ScopedWorkDir &operator=(const ScopedWorkDir &) = delete;
  ~ScopedWorkDir();
  /// Creates the folder and sets `options.workDir` if needed.
  llvm::Error prepare(CompileOptions &options);

private:
  std::string path;
};

/// An unknown mode or stage, or options that do not go together.
llvm::Error checkCompileOptions(const CompileOptions &options);
/// Import is not a pass; everything after it is this pipeline (for options
/// that passed checkCompileOptions), registered as `escalate-compile`.
void buildCompilePipeline(mlir::OpPassManager &pm,
                          const CompileOptions &options);
/// The tail of that pipeline, from quantized IR: escalate-tile, then
/// (unless `stop-after` is `tiled`) escalate-plan-dram,
/// convert-escalate-to-escisa and escisa-report.
void buildBackendPipeline(mlir::OpPassManager &pm,
                          const CompileOptions &options);

void registerPipelines();
} // namespace escalate

#endif
