//===- Pipelines.cpp - named pass pipelines and registration --------------===//
#include "escalate/Pipelines/Pipelines.h"
#include "escalate/Conversion/Passes.h"
#include "escalate/Dialect/EscIsa/IR/EscIsaOps.h"
#include "escalate/Dialect/EscIsa/Transforms/Passes.h"
#include "escalate/Dialect/Escalate/IR/EscalateDialect.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include <cmath>
#include <cstdio>

using namespace mlir;

void escalate::buildGraphOptPipeline(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

std::optional<escalate::Stage> escalate::parseStage(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Stage>>(name)
      .Case("escalate", Stage::Escalate)
      .Case("decomposed", Stage::Decomposed)
      .Case("quantized", Stage::Quantized)
      .Case("tiled", Stage::Tiled)
      .Case("escisa", Stage::EscIsa)
      .Default(std::nullopt);
}

escalate::ScopedWorkDir::~ScopedWorkDir() {
  if (!path.empty())
    llvm::sys::fs::remove_directories(path);
}

llvm::Error escalate::ScopedWorkDir::prepare(CompileOptions &o) {
  if (!o.refit || !o.workDir.empty())
    return llvm::Error::success();
  llvm::SmallString<128> dir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("escalate-compile", dir))
    return llvm::createStringError("cannot create a work folder: " +
                                   ec.message());
  path = dir.str().str();
  o.workDir = path;
  return llvm::Error::success();
}

llvm::Error escalate::checkCompileOptions(const CompileOptions &o) {
  if (!parseStage(o.stopAfter))
    return llvm::createStringError(
        "unknown stage '" + o.stopAfter +
        "' (escalate, decomposed, quantized, tiled or escisa)");
  if (o.mode != "decomposed" && o.mode != "dense" && o.mode != "pruned")
    return llvm::createStringError("unknown mode '" + o.mode +
                                   "' (decomposed, dense or pruned)");
  if (o.refit && o.mode != "decomposed")
    return llvm::createStringError("refit applies to the decomposed mode "
                                   "only, not to '" +
                                   o.mode + "'");
  if (o.refit && o.calibDir.empty())
    return llvm::createStringError(
        "refit fits layers to the float model's outputs on calibration "
        "samples: give calib");
  if (o.refit && o.workDir.empty())
    return llvm::createStringError("refit needs work-dir, a folder for the "
                                   "recorded activations");
  if (!o.calibDir.empty() && !o.calibTable.empty())
    return llvm::createStringError(
        "give --calib or --calib-table, not both");
  // Ranges (NaN fails every comparison, so it is out of range too).
  auto bad = [](const llvm::Twine &msg) {
    return llvm::createStringError(msg);
  };
  auto num = [](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return std::string(text);
  };
  if (o.sparsity.hasValue() && !(o.sparsity >= 0 && o.sparsity <= 1))
    return bad("sparsity " + num(o.sparsity) + " is not a fraction in [0, 1]");
  if (o.stdThreshold.hasValue() &&
      !(o.stdThreshold > 0 && std::isfinite(o.stdThreshold)))
    return bad("std-threshold " + num(o.stdThreshold) +
               " is not a positive number of standard deviations");
  if (o.errorBudget.hasValue() && !(o.errorBudget >= 0 && o.errorBudget <= 1))
    return bad("error-budget " + num(o.errorBudget) +
               " is not a relative kernel error in [0, 1]");
  if (o.energy.hasValue() && !(o.energy > 0 && o.energy <= 1))
    return bad("energy " + num(o.energy) +
               " is not a fraction of the kernel energy in (0, 1]");
  if (o.bases < 0)
    return bad("bases " + llvm::Twine(int64_t(o.bases)) +
               " is negative (0 chooses by energy)");
  // One pruning criterion at a time.
  llvm::SmallVector<llvm::StringRef> criteria;
  if (o.sparsity.hasValue())
    criteria.push_back("sparsity");
  if (o.stdThreshold.hasValue())
    criteria.push_back("std-threshold");
  if (o.errorBudget.hasValue())
    criteria.push_back("error-budget");
  if (criteria.size() > 1)
    return bad("give one pruning criterion, not " +
               llvm::join(criteria, " and "));
  // Options the mode would silently ignore.
  auto given = [&](llvm::StringRef mode,
                   std::initializer_list<std::pair<const char *, bool>> opts)
      -> llvm::Error {
    for (auto [name, set] : opts)
      if (set)
        return bad(llvm::Twine(name) + " does not apply to the " + mode +
                   " mode");
    return llvm::Error::success();
  };
  if (o.mode == "dense")
    return given("dense", {{"bases", o.bases.hasValue()},
                           {"energy", o.energy.hasValue()},
                           {"sparsity", o.sparsity.hasValue()},
                           {"std-threshold", o.stdThreshold.hasValue()},
                           {"error-budget", o.errorBudget.hasValue()},
                           {"basis-bits", o.basisBits.hasValue()},
                           {"coef-bits", o.coefBits.hasValue()}});
  if (o.mode == "pruned")
    return given("pruned", {{"bases", o.bases.hasValue()},
                            {"energy", o.energy.hasValue()},
                            {"std-threshold", o.stdThreshold.hasValue()},
                            {"error-budget", o.errorBudget.hasValue()},
                            {"basis-bits", o.basisBits.hasValue()},
                            {"coef-bits", o.coefBits.hasValue()}});
  return llvm::Error::success();
}

void escalate::buildCompilePipeline(OpPassManager &pm,
                                    const CompileOptions &o) {
  std::optional<Stage> stop = parseStage(o.stopAfter);
  std::string mode = o.mode;

  buildGraphOptPipeline(pm);
  if (*stop == Stage::Escalate)
    return;
  if (!o.config.empty()) {
    LayerConfigOptions lc;
    lc.configFile = o.config;
    pm.addPass(createLayerConfig(lc));
  }

  if (mode == "decomposed") {
    // The original layers' inputs and outputs, recorded before anything is
    // decomposed, are what the refit fits to.
    std::string recordings = o.workDir + "/activations";
    if (o.refit) {
      RecordActivationsOptions ra;
      ra.calibDir = o.calibDir;
      ra.sampleLimit = o.calibSamples;
      ra.outDir = recordings;
      pm.addPass(createRecordActivations(ra));
    }
    pm.addPass(createFoldPredecomposed());
    DecomposeKernelsOptions dk;
    dk.numBases = o.bases;
    dk.energy = o.energy;
    pm.addPass(createDecomposeKernels(dk));
    PruneCoefficientsOptions pc;
    if (o.stdThreshold >= 0)
      pc.stdThreshold = o.stdThreshold;
    else if (o.errorBudget >= 0)
      pc.errorBudget = o.errorBudget;
    else
      pc.sparsity = o.sparsity >= 0 ? double(o.sparsity) : 0.5;
    // A model trained in decomposed form keeps its trained coefficients
    // unless the user names a criterion.
    pc.keepPredecomposed =
        o.sparsity < 0 && o.stdThreshold < 0 && o.errorBudget < 0;
    if (o.refit)
      pc.calibration = recordings;
    pm.addPass(createPruneCoefficients(pc));
  } else if (mode == "pruned") {
    PruneWeightsOptions pw;
    pw.sparsity = o.sparsity >= 0 ? double(o.sparsity) : 0.8;
    pm.addPass(createPruneWeights(pw));
  }
  if (mode != "dense") {
    pm.addPass(createShrinkChannels());
    pm.addPass(createEncodeSparsity());
  }
  if (*stop == Stage::Decomposed)
    return;

  QuantizeOptions q;
  q.actBits = o.actBits;
  q.weightBits = o.weightBits;
  q.basisBits = o.basisBits;
  q.coefBits = o.coefBits;
  q.perChannel = !o.perTensor;
  q.symmetric = o.symmetric;
  q.calibDir = o.calibDir;
  q.calibMethod = o.calibMethod;
  q.calibSamples = o.calibSamples;
  q.calibTable = o.calibTable;
  q.writeCalibTable = o.writeCalibTable;
  q.hwFile = o.hw;
  pm.addPass(createQuantize(q));
  pm.addPass(createCanonicalizerPass());
  if (*stop == Stage::Quantized)
    return;

  buildBackendPipeline(pm, o);
}

void escalate::buildBackendPipeline(OpPassManager &pm,
                                    const CompileOptions &o) {
  if (o.fuseEpilogues)
    pm.addNestedPass<func::FuncOp>(createFuseEpilogues());
  TileOptions t;
  t.hwFile = o.hw;
  pm.addPass(createTile(t));
  if (*parseStage(o.stopAfter) == Stage::Tiled)
    return;

  pm.addNestedPass<func::FuncOp>(createPlanDram());
  ConvertEscalateToEscIsaOptions c;
  c.hwFile = o.hw;
  c.maxInstructions = o.maxInstructions;
  pm.addPass(createConvertEscalateToEscIsa(c));
  pm.addPass(escisa::createValidate());
  escisa::ReportOptions r;
  r.reportFile = o.report;
  pm.addPass(escisa::createReport(r));
}

void escalate::registerPipelines() {
  PassPipelineRegistration<>(
      "escalate-graph-opt",
      "Graph-level clean-up after import (canonicalize + CSE)",
      buildGraphOptPipeline);
  registerPassPipeline(
      "escalate-compile",
      "Everything escalate-compile does after import: graph clean-up, "
      "decomposition or pruning by mode, quantization, tiling, emission",
      [](OpPassManager &pm, StringRef text,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        CompileOptions o;
        if (failed(o.parseFromString(text)))
          return failure();
        if (llvm::Error err = checkCompileOptions(o))
          return errorHandler("escalate-compile: " +
                              llvm::toString(std::move(err)));
        buildCompilePipeline(pm, o);
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> handler) {
        handler(CompileOptions());
      });
}
