//===- escalate-search.cpp - hardware-aware per-layer search (HASS) -------===//
//
// escalate-search MODEL.onnx --calib DIR --objective cycles|energy|edp
//     --budget sqnr:30dB|agreement:0.99 -o best.json
//
// Flags only: the search itself is search::runSearch (lib/Search/Driver.cpp).
//
//===----------------------------------------------------------------------===//
#include "escalate/Driver/Driver.h"
#include "escalate/InitAll.h"
#include "escalate/Search/Driver.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace escalate;
namespace cl = llvm::cl;

static cl::OptionCategory category("escalate-search options");
static cl::opt<std::string> modelPath(cl::Positional, cl::desc("<model.onnx>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::desc("Configuration to write"),
                                       cl::value_desc("best.json"),
                                       cl::Required, cl::cat(category));
static cl::opt<std::string> calibDir("calib",
                                     cl::desc("Calibration inputs (as for "
                                              "escalate-compile --calib)"),
                                     cl::value_desc("dir"), cl::Required,
                                     cl::cat(category));
static cl::opt<unsigned> calibSamples("calib-samples",
                                      cl::desc("Use at most this many"),
                                      cl::init(0), cl::cat(category));
static cl::opt<std::string> hwPath("hw", cl::desc("Hardware description"),
                                   cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string>
    objectiveName("objective", cl::desc("cycles, energy or edp"),
                  cl::init(search::SearchOptions().objective),
                  cl::cat(category));
static cl::opt<std::string>
    budgetSpec("budget",
               cl::desc("Accuracy to keep: sqnr:<dB>dB, agreement:<0-1> "
                        "(top-1 agreement with the float model), or "
                        "accuracy:<points> (labelled top-1 at most this many "
                        "percentage points below the float model's; needs "
                        "--labels)"),
               cl::init(search::SearchOptions().budget), cl::cat(category));
static cl::opt<std::string>
    labelsDir("labels",
              cl::desc("Labelled images (images.npy, labels.npy) for an "
                       "accuracy budget"),
              cl::value_desc("dir"), cl::cat(category));
static cl::opt<unsigned>
    labelSamples("label-samples",
                 cl::desc("Use at most this many labelled images (0: all)"),
                 cl::init(0), cl::cat(category));
static cl::opt<unsigned>
    maxEvals("max-evals",
             cl::desc("Measure at most this many layer options (0: all)"),
             cl::init(0), cl::cat(category));
static cl::opt<unsigned> jobs("j", cl::desc("Threads (0: all cores)"),
                              cl::init(0), cl::cat(category));
static cl::opt<std::string>
    logPath("log",
            cl::desc("Measurement log, resumed from (default: OUTPUT.log)"),
            cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> paretoPath("pareto",
                                       cl::desc("Plot of the front (SVG)"),
                                       cl::value_desc("file"),
                                       cl::cat(category));
static cl::opt<std::string>
    gridBases("grid-bases",
              cl::desc("Numbers of bases to try (the kernel size is always "
                       "tried)"),
              cl::init(search::SearchOptions().gridBases), cl::cat(category));
static cl::opt<std::string>
    gridSparsity("grid-sparsity", cl::desc("Coefficient sparsities"),
                 cl::init(search::SearchOptions().gridSparsity),
                 cl::cat(category));
static cl::opt<std::string>
    gridBasisBits("grid-basis-bits", cl::desc("Basis widths"),
                  cl::init(search::SearchOptions().gridBasisBits),
                  cl::cat(category));
static cl::opt<std::string>
    gridCoefBits("grid-coef-bits", cl::desc("Coefficient widths"),
                 cl::init(search::SearchOptions().gridCoefBits),
                 cl::cat(category));
static cl::opt<unsigned>
    annealIterations("anneal-iterations", cl::desc("Simulated annealing steps"),
                     cl::init(search::SearchOptions().annealIterations),
                     cl::cat(category));
static cl::opt<bool> quiet("quiet", cl::desc("No progress on stderr"),
                           cl::cat(category));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "ESCALATE hardware-aware search: per-layer bases, sparsity and widths\n");
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext ctx(registry);
  ScopedDiagnosticHandler handler(&ctx, [](Diagnostic &d) {
    if (d.getSeverity() == DiagnosticSeverity::Error ||
        d.getSeverity() == DiagnosticSeverity::Warning)
      driver::print(llvm::errs(), "escalate-search", d);
    return success();
  });
  search::SearchOptions o;
  o.model = modelPath;
  o.output = outputPath;
  o.calibDir = calibDir;
  o.calibSamples = calibSamples;
  o.hw = hwPath;
  o.objective = objectiveName;
  o.budget = budgetSpec;
  o.labelsDir = labelsDir;
  o.labelSamples = labelSamples;
  o.maxEvals = maxEvals;
  o.jobs = jobs;
  o.log = logPath;
  o.pareto = paretoPath;
  o.gridBases = gridBases;
  o.gridSparsity = gridSparsity;
  o.gridBasisBits = gridBasisBits;
  o.gridCoefBits = gridCoefBits;
  o.annealIterations = annealIterations;
  return failed(
      search::runSearch(ctx, o, llvm::outs(), [](const llvm::Twine &msg) {
        if (!quiet)
          llvm::errs() << "escalate-search: " << msg << "\n";
      }));
}
