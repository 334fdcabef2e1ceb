//===- escalate-search.cpp - hardware-aware per-layer search (HASS) -------===//
//
// escalate-search MODEL.onnx --calib DIR --objective cycles|energy|edp
//     --budget sqnr:30dB|agreement:0.99 -o best.json
//     [--hw-space SPACE.json --budget-area MM2]
//
// Flags only: the search itself is search::runSearch (lib/Search/Driver.cpp),
// the hardware co-search search::runCoSearch (lib/Search/CoSearch.cpp);
// --measure, --gain, --serve, --list-jobs and --print-inputs are the jobs
// and the listing escalate.distributed runs a search with
// (docs/distributed.md).
//
//===----------------------------------------------------------------------===//
#include "escalate/Driver/Driver.h"
#include "escalate/InitAll.h"
#include "escalate/Search/Driver.h"
#include "escalate/Support/Tool.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/WithColor.h"
#include <iostream>

using namespace mlir;
using namespace escalate;
namespace cl = llvm::cl;

static cl::OptionCategory category("escalate-search options");
static cl::opt<std::string> modelPath(cl::Positional, cl::desc("<model.onnx>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::desc("Configuration to write"),
                                       cl::value_desc("best.json"),
                                       cl::cat(category));
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
    hwSpace("hw-space",
            cl::desc("Hardware co-search: try every description of this "
                     "space around --hw (docs/search.md, \"Hardware "
                     "co-search\") and write the best beside -o as "
                     "NAME.hw.json"),
            cl::value_desc("space.json"), cl::cat(category));
static cl::opt<double>
    budgetArea("budget-area",
               cl::desc("--hw-space: the most area a point may take (default: "
                        "the area of --hw)"),
               cl::value_desc("mm2"), cl::init(0), cl::cat(category));
static cl::opt<std::string>
    modeName("mode",
             cl::desc("decomposed (each layer's bases, sparsity and widths "
                      "are searched), or dense or pruned (--hw-space only: "
                      "the model as it is, on each hardware point)"),
             cl::init(search::SearchOptions().mode), cl::cat(category));
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
static cl::list<std::string>
    measureKeys("measure",
                cl::desc("A job, not a search: measure this layer option "
                         "(LAYER|OPTION as the log writes it; repeatable) and "
                         "append it to --log"),
                cl::value_desc("key"), cl::cat(category));
static cl::list<std::string>
    gainKeys("gain",
             cl::desc("A job, not a search: measure this layer's output gain "
                      "with the probe option LAYER|OPTION (repeatable) and "
                      "append it to --log"),
             cl::value_desc("key"), cl::cat(category));
static cl::opt<bool>
    listJobs("list-jobs",
             cl::desc("Print the log header and the jobs still missing from "
                      "the log (JSON lines) instead of searching"),
             cl::cat(category));
static cl::opt<bool>
    serve("serve",
          cl::desc("Serve jobs over standard input and output (what "
                   "escalate.distributed's workers run; docs/distributed.md)"),
          cl::cat(category));
static cl::opt<bool>
    printInputs("print-inputs",
                cl::desc("Print the log header (content digests of the "
                         "model, calibration samples and hardware) and stop"),
                cl::cat(category));
static cl::opt<std::string>
    executor("executor",
             cl::desc("Where layer options are measured: 'threads' (here, "
                      "on -j threads) or 'dask' (a Dask cluster, through "
                      "python -m escalate.distributed; with --local, "
                      "--scheduler or --scheduler-file)"),
             cl::init("threads"), cl::cat(category));
static cl::opt<unsigned>
    localWorkers("local",
                 cl::desc("--executor dask: a LocalCluster of N workers"),
                 cl::value_desc("N"), cl::cat(category));
static cl::opt<std::string>
    scheduler("scheduler",
              cl::desc("--executor dask: a running scheduler"),
              cl::value_desc("tcp://host:8786"), cl::cat(category));
static cl::opt<std::string>
    schedulerFile("scheduler-file",
                  cl::desc("--executor dask: the file dask-scheduler "
                           "--scheduler-file wrote"),
                  cl::value_desc("file"), cl::cat(category));
static cl::opt<unsigned> batch("batch",
                               cl::desc("--executor dask: layer options per "
                                        "job"),
                               cl::init(8), cl::cat(category));
static cl::opt<bool> quiet("quiet", cl::desc("No progress on stderr"),
                           cl::cat(category));

/// A message in the tools' form; the exit code of a refused invocation.
static int error(const llvm::Twine &msg) {
  llvm::WithColor::error(llvm::errs(), "escalate-search") << msg << "\n";
  return tool::kExitInvalid;
}

/// The same search with its measurements on a Dask cluster: python -m
/// escalate.distributed search, given every option as parsed here.
static int runOnDask(const char *argv0) {
  std::string exe = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&runOnDask));
  SmallString<256> package(llvm::sys::path::parent_path(exe));
  llvm::sys::path::append(package, "..", "python");
  std::string pythonPath = package.str().str();
  if (const char *old = std::getenv("PYTHONPATH"))
    pythonPath += ":" + std::string(old);
  ::setenv("PYTHONPATH", pythonPath.c_str(), 1);
  const char *python = std::getenv("ESCALATE_PYTHON");
  std::string interpreter = python ? python : "/usr/bin/python3";

  std::vector<std::string> args = {interpreter, "-m", "escalate.distributed",
                                   "search", modelPath, "-o", outputPath,
                                   "-j", std::to_string(jobs)};
  auto add = [&](StringRef flag, const Twine &value) {
    args.push_back(("--" + flag).str());
    args.push_back(value.str());
  };
  add("calib", calibDir);
  add("calib-samples", Twine(calibSamples));
  add("objective", objectiveName);
  add("budget", budgetSpec);
  add("label-samples", Twine(labelSamples));
  add("max-evals", Twine(maxEvals));
  add("grid-bases", gridBases);
  add("grid-sparsity", gridSparsity);
  add("grid-basis-bits", gridBasisBits);
  add("grid-coef-bits", gridCoefBits);
  add("anneal-iterations", Twine(annealIterations));
  add("batch", Twine(batch));
  for (auto [flag, value] :
       {std::pair<StringRef, const std::string *>{"hw", &hwPath},
        {"labels", &labelsDir},
        {"log", &logPath},
        {"pareto", &paretoPath},
        {"scheduler", &scheduler},
        {"scheduler-file", &schedulerFile}})
    if (!value->empty())
      add(flag, *value);
  if (localWorkers.getNumOccurrences())
    add("local", Twine(localWorkers));
  if (quiet)
    args.push_back("--quiet");
  SmallVector<StringRef> refs(args.begin(), args.end());
  std::string error;
  int status = llvm::sys::ExecuteAndWait(interpreter, refs, std::nullopt, {},
                                         0, 0, &error);
  if (status < 0)
    return ::error("cannot run " + interpreter + ": " + error);
  return status;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  tool::installVersionPrinter("escalate-search");
  cl::ParseCommandLineOptions(
      argc, argv,
      "ESCALATE hardware-aware search: per-layer bases, sparsity and widths\n");
  bool dask = executor == "dask";
  if (executor != "threads" && !dask)
    return error("--executor '" + executor + "' is not threads or dask");
  for (const cl::Option *flag :
       std::initializer_list<const cl::Option *>{&localWorkers, &scheduler,
                                                 &schedulerFile, &batch})
    if (flag->getNumOccurrences() && !dask)
      return error("--" + flag->ArgStr + " is an option of --executor dask");
  if (dask && (!measureKeys.empty() || !gainKeys.empty() || listJobs ||
               printInputs || serve))
    return error("--executor dask runs a search, not a job or a listing");
  bool coSearch = !hwSpace.empty();
  if (coSearch && (dask || !measureKeys.empty() || !gainKeys.empty() ||
                   listJobs || printInputs || serve))
    return error("--hw-space runs a whole co-search on threads, not a job, "
                 "a listing or --executor dask");
  if (budgetArea.getNumOccurrences() && !coSearch)
    return error("--budget-area is an option of --hw-space");
  if (budgetArea.getNumOccurrences() && !(budgetArea > 0))
    return error("--budget-area must be a positive number of mm^2");
  if (dask && modeName != "decomposed")
    return error("--mode " + modeName +
                 " has no per-layer settings to search; it is for a hardware "
                 "co-search (--hw-space)");
  if (dask && outputPath.empty())
    return error("no output: give -o best.json");
  if (dask)
    return runOnDask(argv[0]);

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
  o.mode = modeName;
  o.hwSpace = hwSpace;
  o.budgetAreaMm2 = budgetArea;
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
  o.measureKeys = measureKeys;
  o.gainKeys = gainKeys;
  auto progress = [](const llvm::Twine &msg) {
    if (!quiet)
      llvm::errs() << "escalate-search: " << msg << "\n";
  };
  auto status = [](LogicalResult r) {
    return failed(r) ? tool::kExitInvalid : tool::kExitOk;
  };
  if (serve)
    return status(
        search::serveJobs(ctx, o, std::cin, llvm::outs(), progress));
  if (listJobs || printInputs)
    return status(search::listJobs(ctx, o,
                                   printInputs ? search::Listing::Inputs
                                               : search::Listing::Jobs,
                                   llvm::outs(), progress));
  bool budgetMissed = false;
  if (failed(coSearch ? search::runCoSearch(ctx, o, llvm::outs(), progress,
                                            &budgetMissed)
                      : search::runSearch(ctx, o, llvm::outs(), progress,
                                          &budgetMissed)))
    return budgetMissed ? tool::kExitThreshold : tool::kExitInvalid;
  return tool::kExitOk;
}
