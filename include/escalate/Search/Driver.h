//===- Driver.h - the whole hardware-aware search ---------------*- C++ -*-===//
#ifndef ESCALATE_SEARCH_DRIVER_H
#define ESCALATE_SEARCH_DRIVER_H

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/raw_ostream.h"
#include <iosfwd>
#include <string>
#include <vector>

namespace escalate::search {

struct ModelResult;

/// Everything escalate-search's flags set; the defaults are the tool's.
struct SearchOptions {
  std::string model, output, calibDir, hw, labelsDir;
  std::string objective = "cycles"; ///< cycles, energy or edp
  /// decomposed (the per-layer search), or dense or pruned (nothing to
  /// choose per layer; for a co-search of that mode's hardware).
  std::string mode = "decomposed";
  std::string budget = "sqnr:30dB"; ///< sqnr:<dB>dB, agreement:, accuracy:
  std::string log;                  ///< default: OUTPUT.log
  std::string pareto;               ///< SVG of the front, if set
  std::string gridBases = "2,3,4,5,6", gridSparsity = "0,0.5,0.7,0.8,0.9",
              gridBasisBits = "8", gridCoefBits = "4,8";
  unsigned calibSamples = 0, labelSamples = 0, maxEvals = 0, jobs = 0;
  unsigned annealIterations = 20000;
  /// Jobs instead of a search (what escalate.distributed runs on its
  /// workers, docs/distributed.md): measure these "LAYER|OPTION" keys, or
  /// the gains of these layers by these probe options, appending the log
  /// lines to `log`.
  std::vector<std::string> measureKeys, gainKeys;
  /// Hardware co-search (runCoSearch): the space of descriptions to try
  /// around `hw`, and the most silicon a point may take (0: the area of
  /// `hw` itself).
  std::string hwSpace;
  double budgetAreaMm2 = 0;
  /// Accept a model with no layer to search (a PENNI model keeps its
  /// trained decomposition): the result is the model as it is. The
  /// co-search sets it; a search alone refuses such a model.
  bool allowNoLayers = false;
};

/// Runs the search: measures each layer option (resuming from the log; an
/// option that fails is logged and left out), optimises, verifies the
/// winner end to end and writes `output` (and the Pareto plot). With
/// measureKeys or gainKeys, runs just those jobs. Errors are emitted as
/// diagnostics on `ctx`; `progress` gets one line per step; the closing
/// table goes to `table`. `*budgetMissed` (if given) tells a failure
/// because even the most accurate configuration misses the budget (a
/// threshold, not an error: escalate-search exits with 2); `*measured` (if
/// given) gets the chosen configuration's figures as `output` records them.
mlir::LogicalResult
runSearch(mlir::MLIRContext &ctx, const SearchOptions &options,
          llvm::raw_ostream &table,
          llvm::function_ref<void(const llvm::Twine &)> progress,
          bool *budgetMissed = nullptr, ModelResult *measured = nullptr);

/// Hardware co-search (escalate-search --hw-space): every description of
/// the space within the area budget is searched as runSearch does (the
/// per-layer settings chosen for that hardware), and the best by the
/// objective is written to `output`, its description beside it
/// (best.hw.json) and, with `pareto`, a plot of area against cost. The
/// per-point descriptions, results and logs go to OUTPUT.hw/, so a rerun
/// resumes. docs/search.md, "Hardware co-search".
mlir::LogicalResult
runCoSearch(mlir::MLIRContext &ctx, const SearchOptions &options,
            llvm::raw_ostream &table,
            llvm::function_ref<void(const llvm::Twine &)> progress,
            bool *budgetMissed = nullptr);

/// What `listJobs` prints, as JSON lines.
enum class Listing {
  /// The log header alone: the content digests of the model, the
  /// calibration samples and the hardware, and the grid.
  Inputs,
  /// The header, then the jobs still missing from the log: {"measure":
  /// KEY} for each option to measure (capped by maxEvals) while any is
  /// left, else {"gain": KEY} for each layer without a gain, KEY naming
  /// the probe option.
  Jobs,
};
mlir::LogicalResult
listJobs(mlir::MLIRContext &ctx, const SearchOptions &options, Listing what,
         llvm::raw_ostream &os,
         llvm::function_ref<void(const llvm::Twine &)> progress);

/// Serves jobs over a pipe: escalate.distributed's workers keep one such
/// process per search, so the model is imported and its layers recorded
/// once per worker, not once per job. Prints the log header, then answers
/// each request line on `in`, {"measure": [KEY...]} or {"gain":
/// [KEY...]}, with the log lines of those jobs (every request in full,
/// repeats included) and {"done": true}; a request that cannot run gets
/// {"error": MESSAGE} before its "done". Returns at the end of `in`.
mlir::LogicalResult
serveJobs(mlir::MLIRContext &ctx, const SearchOptions &options,
          std::istream &in, llvm::raw_ostream &out,
          llvm::function_ref<void(const llvm::Twine &)> progress);

} // namespace escalate::search

#endif
