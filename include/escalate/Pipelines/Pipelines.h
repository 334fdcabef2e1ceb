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

/// The compiler's options, declared once in CompileOptions.def: the
/// registered `escalate-compile` pipeline's options, escalate-compile's
/// flags and the Python API's keyword arguments.
struct CompileOptions : public mlir::PassPipelineOptions<CompileOptions> {
#define ESCALATE_OPTION(TYPE, FIELD, FLAG, INIT, VALUE, DESC)                  \
  Option<TYPE> FIELD{*this, FLAG, llvm::cl::desc(DESC),                        \
                     llvm::cl::value_desc(VALUE), llvm::cl::init(INIT)};
#include "escalate/Pipelines/CompileOptions.def"
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
