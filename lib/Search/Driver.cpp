//===- Driver.cpp - the whole hardware-aware search -----------------------===//
//
// Measures every option of every decomposable layer (compiled alone and
// simulated for its cost, run on its recorded inputs for its error), then
// searches configurations with the greedy descent and simulated annealing,
// verifies the winner end to end (compiled, run for accuracy, simulated for
// cost) and writes it as escalate-compile --config JSON. Measurements go to
// a log as they finish, so an interrupted search resumes where it stopped.
// The same measurements run as standalone jobs (--measure, --gain) whose
// output is log lines, which is how escalate.distributed spreads a search
// over a Dask cluster (docs/distributed.md).
//
//===----------------------------------------------------------------------===//
#include "escalate/Search/Driver.h"
#include "escalate/Support/Nesting.h"
#include "escalate/Hardware/Hardware.h"
#include "escalate/Import/OnnxImporter.h"
#include "escalate/Pipelines/Pipelines.h"
#include "escalate/Search/Measure.h"
#include "escalate/Support/Digest.h"
#include "escalate/Support/FileIO.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ThreadPool.h"
#include <cmath>
#include <istream>
#include <mutex>

using namespace mlir;
using namespace escalate;
using namespace escalate::search;

namespace {
/// "a,b,c" as numbers.
llvm::Expected<std::vector<double>> parseList(StringRef flag, StringRef text) {
  std::vector<double> values;
  SmallVector<StringRef> parts;
  text.split(parts, ',', -1, false);
  for (StringRef part : parts) {
    double v;
    if (part.trim().getAsDouble(v))
      return llvm::createStringError("--" + flag + ": '" + part +
                                     "' is not a number");
    values.push_back(v);
  }
  if (values.empty())
    return llvm::createStringError("--" + flag + " is empty");
  return values;
}

struct Budget {
  enum Kind { Sqnr, Agreement, Accuracy } kind = Sqnr;
  double value = 0;
  /// Accuracy: the lowest labelled top-1 allowed (float top-1 - points).
  double floor = 0;
  bool met(const ModelResult &r) const {
    switch (kind) {
    case Sqnr:
      return r.sqnrDb >= value;
    case Agreement:
      return r.agreement >= value;
    case Accuracy:
      return r.top1 >= floor - 1e-12; // floor is a difference of fractions
    }
    return false;
  }
  std::string describe() const {
    switch (kind) {
    case Sqnr:
      return llvm::formatv("output SQNR >= {0} dB", value).str();
    case Agreement:
      return llvm::formatv("top-1 agreement >= {0}", value).str();
    case Accuracy:
      return llvm::formatv("labelled top-1 >= {0:f2}% (float - {1} points)",
                           100 * floor, value)
          .str();
    }
    return "";
  }
};

llvm::Expected<Budget> parseBudget(StringRef spec, StringRef labelsDir) {
  auto [kind, value] = spec.split(':');
  Budget b;
  if (kind == "agreement")
    b.kind = Budget::Agreement;
  else if (kind == "accuracy")
    b.kind = Budget::Accuracy;
  else if (kind != "sqnr")
    return llvm::createStringError("--budget '" + spec +
                                   "': expected sqnr:<dB>dB, "
                                   "agreement:<fraction> or "
                                   "accuracy:<points>");
  StringRef number = value.trim();
  if (b.kind == Budget::Sqnr && number.ends_with_insensitive("db"))
    number = number.drop_back(2);
  if (b.kind == Budget::Accuracy && number.ends_with("pt"))
    number = number.drop_back(2);
  if (number.getAsDouble(b.value) ||
      (b.kind == Budget::Agreement && !(b.value > 0 && b.value <= 1)) ||
      (b.kind == Budget::Accuracy && !(b.value >= 0 && b.value <= 100)))
    return llvm::createStringError(
        "--budget '" + spec +
        "': the value must be a number (an agreement in (0, 1], an "
        "accuracy drop in [0, 100] points)");
  if (b.kind == Budget::Accuracy && labelsDir.empty())
    return llvm::createStringError("--budget '" + spec +
                                   "' needs labelled images: --labels DIR");
  return b;
}

/// Measurements already made, by "layer|option" key, read from the log.
struct Log {
  std::string path;
  std::mutex mutex;
  std::unique_ptr<llvm::raw_fd_ostream> fileStream;
  /// Where lines go: the file, or a pipe (--serve).
  llvm::raw_ostream *os = nullptr;
  llvm::StringMap<Measure> measures;
  llvm::StringMap<double> gains;
  /// Options whose measurement failed, with the message: left out of the
  /// search and not measured again (remove the line to retry).
  llvm::StringMap<std::string> failures;

  static std::string key(StringRef layer, const Option &o) {
    return (layer + "|" + o.describe()).str();
  }

  /// Which fields of two log headers differ, for messages.
  static std::string difference(const llvm::json::Object &found,
                                const llvm::json::Object &expected) {
    std::string out;
    for (const auto &[name, value] : expected) {
      const llvm::json::Value *other = found.get(name);
      std::string a = other ? llvm::formatv("{0}", *other).str() : "none";
      std::string b = llvm::formatv("{0}", value).str();
      if (a != b)
        out += (out.empty() ? "" : ", ") + name.str() + " " + a + " in the log, " +
               b + " now";
    }
    return out;
  }

  /// Takes one measure, gain or failure line of the log; false if it is
  /// none of these or lacks a field. A number the search adds up must be
  /// finite (an infinite cost would never stop the greedy walk).
  bool readEntry(const llvm::json::Object *o) {
    auto number = [](const llvm::json::Object *x, StringRef key, bool signedOk,
                     double &out) {
      std::optional<double> v = x->getNumber(key);
      if (!v || !std::isfinite(*v) || (!signedOk && *v < 0))
        return false;
      out = *v;
      return true;
    };
    if (const llvm::json::Object *m = o ? o->getObject("measure") : nullptr) {
      std::optional<StringRef> key = m->getString("key");
      Measure x;
      if (!key || !number(m, "cycles", false, x.cycles) ||
          !number(m, "energy_pj", false, x.energyPj) ||
          !number(m, "error", false, x.error))
        return false;
      measures[*key] = x;
      return true;
    }
    if (const llvm::json::Object *g = o ? o->getObject("gain") : nullptr) {
      std::optional<StringRef> layer = g->getString("layer");
      double value;
      if (!layer || !number(g, "value", true, value))
        return false;
      gains[*layer] = value;
      return true;
    }
    if (const llvm::json::Object *f = o ? o->getObject("failed") : nullptr) {
      std::optional<StringRef> key = f->getString("key"),
                               message = f->getString("message");
      if (!key || !message)
        return false;
      failures[*key] = message->str();
      return true;
    }
    return false;
  }

  /// Reads what an earlier run measured; a log of a different search (model,
  /// samples, hardware) is refused rather than mixed in.
  llvm::Error open(StringRef file, const llvm::json::Object &header) {
    path = file.str();
    std::string expected = llvm::formatv("{0}", llvm::json::Value(
                                                    llvm::json::Object(header)))
                               .str();
    if (auto buffer = llvm::MemoryBuffer::getFile(path)) {
      SmallVector<StringRef> lines;
      (*buffer)->getBuffer().split(lines, '\n', -1, false);
      for (size_t i = 0; i < lines.size(); ++i) {
        llvm::Expected<llvm::json::Value> v = parseJson(lines[i]);
        // A line cut short by an interruption is the last one: skip it.
        if (!v) {
          llvm::consumeError(v.takeError());
          if (i + 1 == lines.size())
            break;
          return llvm::createStringError(path + ":" + Twine(i + 1) +
                                         ": not a search log line");
        }
        const llvm::json::Object *o = v->getAsObject();
        if (i == 0) {
          const llvm::json::Object *found = o ? o->getObject("search") : nullptr;
          if (!found ||
              llvm::formatv("{0}", *o->get("search")).str() != expected)
            return llvm::createStringError(
                path + " was written by a search of another model, "
                       "calibration set, grid or hardware (" +
                (found ? difference(*found, header) : "no header") +
                "); remove it or give another --log");
          continue;
        }
        if (!readEntry(o))
          return llvm::createStringError(
              path + ":" + Twine(i + 1) +
              ": not a search log line (a measure, gain or failure with "
              "every field, numbers finite and not negative)");
      }
    }
    std::error_code ec;
    bool fresh = !llvm::sys::fs::exists(path);
    fileStream = std::make_unique<llvm::raw_fd_ostream>(
        path, ec, llvm::sys::fs::OF_Append);
    if (ec)
      return llvm::createStringError("cannot write '" + path +
                                     "': " + ec.message());
    os = fileStream.get();
    if (fresh)
      write(llvm::json::Object{{"search", llvm::json::Object(header)}});
    return llvm::Error::success();
  }

  void write(llvm::json::Value v) {
    std::lock_guard<std::mutex> lock(mutex);
    *os << v << "\n";
    os->flush();
  }
  void writeMeasure(StringRef key, const Measure &m) {
    write(llvm::json::Object{{"measure",
                              llvm::json::Object{{"key", key},
                                                 {"cycles", m.cycles},
                                                 {"energy_pj", m.energyPj},
                                                 {"error", m.error}}}});
  }
  void writeFailure(StringRef key, StringRef message) {
    write(llvm::json::Object{
        {"failed", llvm::json::Object{{"key", key}, {"message", message}}}});
  }
  void writeGain(StringRef layer, StringRef probe, double value) {
    write(llvm::json::Object{
        {"gain", llvm::json::Object{
                     {"layer", layer}, {"probe", probe}, {"value", value}}}});
  }
};

/// A layer option, by index.
struct Task {
  size_t layer, option;
};

/// What a search, its jobs and its job listing share: the options parsed,
/// the model imported, its calibration samples and the log header that
/// names them by content; after `prepareLayers`, the workbench and every
/// layer's grid; after `openLog`, what was measured before.
class Session {
public:
  Session(MLIRContext &ctx, const SearchOptions &o,
          llvm::function_ref<void(const llvm::Twine &)> progress)
      : ctx(ctx), o(o), progress(progress) {}
  ~Session() {
    if (!workDir.empty())
      llvm::sys::fs::remove_directories(workDir);
  }

  LogicalResult fail(const llvm::Twine &msg) {
    emitError(UnknownLoc::get(&ctx)) << msg.str();
    return failure();
  }

  /// Options, hardware and grids checked; the model imported and cleaned
  /// up; the calibration samples loaded; the header computed.
  LogicalResult load();
  /// Calibrates, records the searchable layers and builds their grids.
  LogicalResult prepareLayers();
  LogicalResult openLog(StringRef path) {
    if (llvm::Error e = log.open(path, header))
      return fail(llvm::toString(std::move(e)));
    return success();
  }
  /// "layer|option" to its indices; `flag` names where the key came from.
  llvm::Expected<Task> lookup(StringRef key, StringRef flag) const;
  /// The options still to measure (the baselines first), capped by
  /// --max-evals; `logged` counts those the log holds.
  FailureOr<std::vector<Task>> pendingMeasures(size_t &logged);
  /// The option whose error probes a layer's gain: the median-error one of
  /// those measured (the baseline if no other is).
  size_t gainProbe(size_t layer) const;
  /// Measures `tasks` on the worker threads, logging each as it finishes
  /// (a failure is logged and left out of the search); the number done.
  size_t measure(llvm::ArrayRef<Task> tasks);
  /// The output gain of each layer by its probe option, on the worker
  /// threads, logged as each finishes; the first failure's reason.
  llvm::Error measureGains(llvm::ArrayRef<Task> probes);
  /// Warns once about options that could not be measured; fails when one
  /// of them is a layer's baseline.
  LogicalResult reportFailures();

  MLIRContext &ctx;
  const SearchOptions &o;
  llvm::function_ref<void(const llvm::Twine &)> progress;
  Budget budget;
  Problem problem;
  std::optional<hw::HwDesc> hw;
  std::vector<double> grids[4];
  std::unique_ptr<llvm::MemoryBuffer> file;
  OwningOpRef<ModuleOp> model;
  /// Loaded by `load`, moved into the workbench by `prepareLayers`.
  std::vector<calib::Sample> samples;
  llvm::json::Object header;
  SmallString<128> workDir;
  std::optional<Workbench> wb;
  Log log;

private:
  std::unique_ptr<llvm::DefaultThreadPool> pool;
  llvm::DefaultThreadPool &threads() {
    if (!pool)
      pool = std::make_unique<llvm::DefaultThreadPool>(
          llvm::hardware_concurrency(o.jobs));
    return *pool;
  }
};

LogicalResult Session::load() {
  llvm::Expected<Budget> parsed = parseBudget(o.budget, o.labelsDir);
  if (!parsed)
    return fail(llvm::toString(parsed.takeError()));
  budget = *parsed;
  if (o.objective == "cycles")
    problem.objective = Objective::Cycles;
  else if (o.objective == "energy")
    problem.objective = Objective::Energy;
  else if (o.objective == "edp")
    problem.objective = Objective::Edp;
  else
    return fail("--objective '" + o.objective +
                "' is not cycles, energy or edp");
  if (o.mode != "decomposed" && o.mode != "dense" && o.mode != "pruned")
    return fail("--mode '" + o.mode + "' is not decomposed, dense or pruned");
  if (o.mode != "decomposed" && !o.allowNoLayers)
    return fail("--mode " + o.mode +
                " has no per-layer settings to search; it is for a hardware "
                "co-search (--hw-space)");
  llvm::Expected<hw::HwDesc> loaded =
      o.hw.empty() ? llvm::Expected<hw::HwDesc>(hw::defaultHwDesc())
                   : hw::loadHwDesc(o.hw);
  if (!loaded)
    return fail(llvm::toString(loaded.takeError()));
  hw = std::move(*loaded);
  const char *gridFlags[] = {"grid-bases", "grid-sparsity", "grid-basis-bits",
                             "grid-coef-bits"};
  const std::string *gridTexts[] = {&o.gridBases, &o.gridSparsity,
                                    &o.gridBasisBits, &o.gridCoefBits};
  for (int i = 0; i < 4; ++i) {
    llvm::Expected<std::vector<double>> list =
        parseList(gridFlags[i], *gridTexts[i]);
    if (!list)
      return fail(llvm::toString(list.takeError()));
    grids[i] = std::move(*list);
  }
  for (double s : grids[1])
    if (!(s >= 0 && s <= 1))
      return fail("--grid-sparsity values must be in [0, 1]");
  for (int i : {2, 3})
    for (double bits : grids[i])
      if (!llvm::is_contained(i == 2 ? hw->basisBits : hw->coefBits,
                              unsigned(bits)))
        return fail(llvm::formatv("--{0}: {1} bits is not a width of "
                                  "hardware '{2}'",
                                  gridFlags[i], unsigned(bits), hw->name));

  // The model as escalate-compile sees it before decomposition.
  auto buffer = llvm::MemoryBuffer::getFile(o.model, /*IsText=*/false);
  if (!buffer)
    return fail("cannot read '" + o.model +
                "': " + buffer.getError().message());
  file = std::move(*buffer);
  ImportResult imported =
      importOnnx(file->getBuffer(), o.model, ImportOptions(), &ctx);
  if (!imported.module)
    return failure();
  model = std::move(imported.module);
  {
    PassManager pm(&ctx, ModuleOp::getOperationName());
    buildGraphOptPipeline(pm);
    if (failed(pm.run(*model)))
      return failure();
  }
  auto f = model->lookupSymbol<func::FuncOp>("main");
  llvm::Expected<std::vector<calib::Sample>> loadedSamples =
      calib::loadSamples(o.calibDir, f, o.calibSamples);
  if (!loadedSamples)
    return fail(llvm::toString(loadedSamples.takeError()));
  samples = std::move(*loadedSamples);

  // The inputs by content, so that a resumed search, and every worker of a
  // distributed one, can show it measures the same thing.
  Digest calib;
  for (const calib::Sample &s : samples)
    for (const Tensor &t : s)
      calib.add(t);
  header = llvm::json::Object{
      {"model", llvm::sys::path::filename(o.model).str()},
      {"model_xxh3", hexDigest(xxh3(file->getBuffer()))},
      {"samples", int64_t(samples.size())},
      {"calib_xxh3", hexDigest(calib.value())},
      {"hw", hw->name},
      {"hw_xxh3", hexDigest(xxh3(hw->canonicalJson))},
      {"grid", llvm::json::Array{o.gridBases, o.gridSparsity, o.gridBasisBits,
                                 o.gridCoefBits}}};
  // Only when it is not the default, so that older logs still resume.
  if (o.mode != "decomposed")
    header["mode"] = o.mode;
  return success();
}

LogicalResult Session::prepareLayers() {
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("escalate-search", workDir))
    return fail("cannot create a work folder: " + ec.message());
  progress(llvm::formatv("calibrating and recording layers on {0} samples",
                         samples.size()));
  FailureOr<Workbench> prepared =
      prepare(*model, std::move(samples), o.hw, o.mode, workDir);
  if (failed(prepared))
    return failure();
  wb = std::move(*prepared);
  wb->calibDir = o.calibDir;
  wb->calibLimit = o.calibSamples;
  if (wb->layers.empty() && !o.allowNoLayers)
    return fail("the model has no decomposable convolution (group 1, kernel "
                "larger than 1 x 1) to search");

  // Each layer's grid; its most accurate option is the baseline.
  for (const Workbench::LayerData &data : wb->layers) {
    Layer layer;
    layer.name = data.name;
    layer.kernelSize = data.kernelSize;
    SmallVector<int64_t> bases = {data.kernelSize};
    for (double m : grids[0])
      if (m >= 1 && int64_t(m) < data.kernelSize &&
          !llvm::is_contained(bases, int64_t(m)))
        bases.push_back(int64_t(m));
    for (int64_t m : bases)
      for (double s : grids[1])
        for (double bb : grids[2])
          for (double cb : grids[3])
            layer.options.push_back({m, s, unsigned(bb), unsigned(cb)});
    auto accuracy = [](const Option &o) {
      return std::make_tuple(o.bases, -o.sparsity, o.basisBits, o.coefBits);
    };
    layer.base = std::max_element(layer.options.begin(), layer.options.end(),
                                  [&](const Option &a, const Option &b) {
                                    return accuracy(a) < accuracy(b);
                                  }) -
                 layer.options.begin();
    layer.measures.resize(layer.options.size());
    problem.layers.push_back(std::move(layer));
  }
  return success();
}

llvm::Expected<Task> Session::lookup(StringRef key, StringRef flag) const {
  auto [name, option] = key.split('|');
  for (size_t l = 0; l < problem.layers.size(); ++l) {
    const Layer &layer = problem.layers[l];
    if (layer.name != name)
      continue;
    for (size_t i = 0; i < layer.options.size(); ++i)
      if (layer.options[i].describe() == option)
        return Task{l, i};
    return llvm::createStringError("--" + flag + " '" + key + "': '" + option +
                                   "' is not an option of layer '" + name +
                                   "' in this grid (options are written as " +
                                   layer.options[layer.base].describe() + ")");
  }
  return llvm::createStringError(
      "--" + flag + " '" + key + "': the model has no searchable layer '" +
      name + "' (keys are LAYER|OPTION, as the log writes them)");
}

FailureOr<std::vector<Task>> Session::pendingMeasures(size_t &logged) {
  std::vector<Task> tasks;
  logged = 0;
  size_t failures = 0;
  for (bool bases : {true, false})
    for (size_t l = 0; l < problem.layers.size(); ++l) {
      Layer &layer = problem.layers[l];
      for (size_t i = 0; i < layer.options.size(); ++i) {
        if ((i == layer.base) != bases)
          continue;
        std::string key = Log::key(layer.name, layer.options[i]);
        if (auto it = log.measures.find(key); it != log.measures.end()) {
          layer.measures[i] = it->second;
          ++logged;
        } else if (log.failures.count(key)) {
          ++failures;
        } else {
          tasks.push_back({l, i});
        }
      }
    }
  // A failed measurement was an evaluation too: a capped search spends
  // no more than the cap, however its measurements went.
  size_t evaluated = logged + failures;
  if (o.maxEvals && evaluated + tasks.size() > o.maxEvals) {
    if (o.maxEvals < problem.layers.size())
      return fail(llvm::formatv("--max-evals {0} cannot measure even the "
                                "{1} layers' baselines",
                                unsigned(o.maxEvals), problem.layers.size()));
    tasks.resize(evaluated >= o.maxEvals ? 0 : o.maxEvals - evaluated);
  }
  return tasks;
}

size_t Session::gainProbe(size_t l) const {
  const Layer &layer = problem.layers[l];
  std::vector<size_t> order;
  for (size_t i = 0; i < layer.options.size(); ++i)
    if (layer.measures[i] && i != layer.base)
      order.push_back(i);
  if (order.empty())
    return layer.base;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return layer.measures[a]->error < layer.measures[b]->error;
  });
  return order[order.size() / 2];
}

size_t Session::measure(llvm::ArrayRef<Task> tasks) {
  std::mutex mutex;
  size_t done = 0;
  for (const Task &t : tasks)
    threads().async([&, t] {
      Layer &layer = problem.layers[t.layer];
      const Option &option = layer.options[t.option];
      std::string key = Log::key(layer.name, option);
      llvm::Expected<Measure> m = measureOption(*wb, t.layer, option);
      std::lock_guard<std::mutex> lock(mutex);
      if (m) {
        layer.measures[t.option] = *m;
        log.writeMeasure(key, *m);
      } else {
        std::string message = llvm::toString(m.takeError());
        log.writeFailure(key, message);
        log.failures[key] = message;
      }
      if (++done % 10 == 0 || done == tasks.size())
        progress(llvm::formatv("measured {0}/{1}", done, tasks.size()));
    });
  threads().wait();
  return done;
}

llvm::Error Session::measureGains(llvm::ArrayRef<Task> probes) {
  std::mutex mutex;
  std::string firstError;
  for (const Task &t : probes)
    threads().async([&, t] {
      const Layer &layer = problem.layers[t.layer];
      const Option &probe = layer.options[t.option];
      std::vector<Tensor> pattern;
      llvm::Expected<Measure> m =
          measureOption(*wb, t.layer, probe, &pattern);
      FailureOr<double> g = failure();
      if (m) {
        for (size_t s = 0; s < pattern.size(); ++s)
          for (auto [p, ref] : llvm::zip(
                   pattern[s].f32(), wb->layers[t.layer].outputs[s].f32()))
            p -= ref;
        g = measureGain(*model, *wb, t.layer, pattern);
      }
      std::lock_guard<std::mutex> lock(mutex);
      if (!m || failed(g)) {
        firstError = "measuring the output gain of '" + layer.name + "' " +
                     (m ? std::string("failed")
                        : "failed: " + llvm::toString(m.takeError()));
        return;
      }
      problem.layers[t.layer].gain = *g;
      log.writeGain(layer.name, probe.describe(), *g);
    });
  threads().wait();
  if (!firstError.empty())
    return llvm::createStringError(firstError);
  return llvm::Error::success();
}

LogicalResult Session::reportFailures() {
  if (log.failures.empty())
    return success();
  for (const Layer &layer : problem.layers) {
    std::string key = Log::key(layer.name, layer.options[layer.base]);
    if (auto it = log.failures.find(key); it != log.failures.end())
      return fail("the baseline option of layer '" + layer.name +
                  "' could not be measured: " + it->second);
  }
  std::vector<std::string> keys;
  for (const auto &entry : log.failures)
    keys.push_back(entry.getKey().str());
  llvm::sort(keys);
  emitWarning(UnknownLoc::get(&ctx))
      << keys.size()
      << " layer option(s) could not be measured and are left out of the "
         "search (the log holds each message; remove those lines to retry); "
         "the first, "
      << keys.front() << ": " << log.failures.lookup(keys.front());
  return success();
}

llvm::json::Object pointJson(const Problem &p, const Config &c) {
  return llvm::json::Object{{"cycles", totalCycles(p, c)},
                            {"energy_pj", totalEnergyPj(p, c)},
                            {"sqnr_db", predictedSqnr(p, c)}};
}

/// The jobs in `measureKeys` and `gainKeys` that `s.log` does not hold yet:
/// options to measure and gain probes. `done` holds what was done before
/// (layer options and gain layers, by key) and gains what these add; a
/// key that names nothing fails the whole request and adds nothing.
llvm::Expected<std::pair<std::vector<Task>, std::vector<Task>>>
selectJobs(const Session &s, llvm::ArrayRef<std::string> measureKeys,
           llvm::ArrayRef<std::string> gainKeys, llvm::StringSet<> &done) {
  std::vector<std::pair<std::string, Task>> measures, gains;
  for (auto [keys, flag, out] :
       {std::make_tuple(measureKeys, "measure", &measures),
        std::make_tuple(gainKeys, "gain", &gains)})
    for (const std::string &key : keys) {
      llvm::Expected<Task> t = s.lookup(key, flag);
      if (!t)
        return t.takeError();
      out->push_back({key, *t});
    }
  std::vector<Task> tasks, probes;
  for (const auto &[key, t] : measures)
    if (done.insert(key).second && !s.log.measures.count(key) &&
        !s.log.failures.count(key))
      tasks.push_back(t);
  for (const auto &[key, t] : gains) {
    StringRef layer = s.problem.layers[t.layer].name;
    if (done.insert(layer).second && !s.log.gains.count(layer))
      probes.push_back(t);
  }
  return std::make_pair(std::move(tasks), std::move(probes));
}

/// The distributed executor's jobs: the given layer options measured, or
/// the given layers' gains by the given probes, appended to the log; no
/// search. What the log already holds is not measured again.
LogicalResult runJobs(Session &s) {
  const SearchOptions &o = s.o;
  if (o.log.empty())
    return s.fail("--measure and --gain append to a log: give --log FILE");
  if (failed(s.load()) || failed(s.prepareLayers()) ||
      failed(s.openLog(o.log)))
    return failure();
  llvm::StringSet<> done;
  auto jobs = selectJobs(s, o.measureKeys, o.gainKeys, done);
  if (!jobs)
    return s.fail(llvm::toString(jobs.takeError()));
  s.progress(llvm::formatv("{0} options and {1} gains to measure",
                           jobs->first.size(), jobs->second.size()));
  s.measure(jobs->first);
  if (llvm::Error e = s.measureGains(jobs->second))
    return s.fail(llvm::toString(std::move(e)));
  return success();
}

} // namespace

LogicalResult
search::runSearch(MLIRContext &ctx, const SearchOptions &o,
                  llvm::raw_ostream &table,
                  llvm::function_ref<void(const llvm::Twine &)> progress,
                  bool *budgetMissed, ModelResult *measured) {
  Session s(ctx, o, progress);
  if (!o.measureKeys.empty() || !o.gainKeys.empty())
    return runJobs(s);
  if (o.output.empty())
    return s.fail("no output: give -o best.json");
  if (failed(s.load()) || failed(s.prepareLayers()))
    return failure();
  ModuleOp model = *s.model;
  std::optional<Workbench> &wb = s.wb;
  Problem &problem = s.problem;
  Budget &budget = s.budget;
  SmallString<128> &workDir = s.workDir;
  auto fail = [&](const llvm::Twine &msg) { return s.fail(msg); };
  if (!o.labelsDir.empty()) {
    llvm::Expected<LabelledSet> set =
        loadLabelled(model, o.labelsDir, o.labelSamples);
    if (!set)
      return fail(llvm::toString(set.takeError()));
    wb->labelled = std::move(*set);
    budget.floor = wb->labelled.floatTop1 - budget.value / 100;
    progress(llvm::formatv("float top-1 {0:f2}% on {1} labelled images",
                           100 * wb->labelled.floatTop1,
                           wb->labelled.labels.size()));
  }
  if (failed(s.openLog(o.log.empty() ? o.output + ".log" : o.log)))
    return failure();

  // Measurements: the baselines first, so a capped run can still search.
  size_t logged = 0;
  FailureOr<std::vector<Task>> tasks = s.pendingMeasures(logged);
  if (failed(tasks))
    return failure();
  size_t failedBefore = s.log.failures.size();
  progress(llvm::formatv("{0} layers, {1} options measured before{2}, {3} to "
                         "measure",
                         problem.layers.size(), logged,
                         failedBefore ? llvm::formatv(" ({0} failed)",
                                                      failedBefore)
                                            .str()
                                      : std::string(),
                         tasks->size()));
  size_t done = s.measure(*tasks);
  if (failed(s.reportFailures()))
    return failure();

  // Gains, in parallel too (the interpreter only reads the model): each
  // layer's error under its median-error option, injected into the model.
  std::vector<Task> probes;
  for (size_t l = 0; l < problem.layers.size(); ++l) {
    if (auto it = s.log.gains.find(problem.layers[l].name);
        it != s.log.gains.end())
      problem.layers[l].gain = it->second;
    else
      probes.push_back({l, s.gainProbe(l)});
  }
  if (llvm::Error e = s.measureGains(probes))
    return fail(llvm::toString(std::move(e)));

  // The quantized baseline, end to end: its noise, and the cost of
  // everything the search does not change.
  auto configFile = [&](StringRef name, const Config &c) {
    SmallString<256> path(workDir);
    llvm::sys::path::append(path, name);
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    os << llvm::json::Value(configJson(problem, c));
    return path.str().str();
  };
  Config base = baseConfig(problem);
  progress("compiling and simulating the baseline");
  llvm::Expected<ModelResult> baseline =
      measureModel(model, *wb, configFile("base.json", base), true);
  if (!baseline)
    return fail(llvm::toString(baseline.takeError()));
  problem.signal = wb->signal;
  problem.baseNoise = baseline->noise;
  problem.fixedCycles = baseline->cycles - totalCycles(problem, base);
  problem.fixedEnergyPj = baseline->energyPj - totalEnergyPj(problem, base);
  if (!budget.met(*baseline)) {
    if (budgetMissed)
      *budgetMissed = true;
    return fail("the baseline (every layer at its most accurate option) "
                "already misses the budget: " +
                llvm::formatv("{0:f2} dB, agreement {1:f3}, top-1 {2:f4}",
                              baseline->sqnrDb, baseline->agreement,
                              baseline->top1) +
                " against " + budget.describe());
  }

  // Search at a predicted-SQNR target and verify the result compiled;
  // bisect the target between a failing one and one that verifies (the
  // baseline's SQNR always does). The prediction assumes layer errors add
  // up independently, so the measured SQNR decides, not the predicted one.
  std::vector<Point> visited;
  bool bySqnr = budget.kind == Budget::Sqnr;
  double lo = bySqnr ? budget.value - 10 : baseline->sqnrDb - 25;
  double hi = baseline->sqnrDb;
  double target = bySqnr ? budget.value : (lo + hi) / 2;
  struct Outcome {
    Config config;
    std::string method;
    double target = 0;
    ModelResult measured;
    Config greedyConfig, annealConfig;
  };
  std::optional<Outcome> best;
  unsigned verifications = 0;
  // With nothing to search the baseline is the answer.
  for (unsigned round = 0; round < 8 && !problem.layers.empty(); ++round) {
    Config g = greedy(problem, target, visited);
    Config a =
        anneal(problem, target, g, o.annealIterations, 1 + round, visited);
    bool annealWins = cost(problem, a) < cost(problem, g);
    Config chosen = annealWins ? a : g;
    ++verifications;
    llvm::Expected<ModelResult> r = measureModel(
        model, *wb,
        configFile("round" + std::to_string(round) + ".json", chosen), false);
    if (!r)
      return fail(llvm::toString(r.takeError()));
    std::string changes;
    for (size_t l = 0; l < problem.layers.size(); ++l)
      if (chosen[l] != problem.layers[l].base)
        changes += " " + problem.layers[l].name + ":" +
                   problem.layers[l].options[chosen[l]].describe();
    progress(llvm::formatv(
        "target {0:f2} dB: predicted {1:f2} dB, measured "
        "{2:f2} dB, agreement {3:f3}{4}, cost {5:e3};{6}",
        target, predictedSqnr(problem, chosen), r->sqnrDb, r->agreement,
        r->top1 >= 0 ? llvm::formatv(", top-1 {0:f4}", r->top1).str()
                     : std::string(),
        cost(problem, chosen), changes.empty() ? " the baseline" : changes));
    bool ok = budget.met(*r);
    if (ok && (!best || cost(problem, chosen) <= cost(problem, best->config)))
      best =
          Outcome{chosen, annealWins ? "anneal" : "greedy", target, *r, g, a};
    (ok ? hi : lo) = target;
    if (hi - lo < 0.25)
      break;
    target = (lo + hi) / 2;
  }
  if (!best) {
    // The baseline meets the budget, so it is the fallback (measured
    // already when there was nothing to search).
    llvm::Expected<ModelResult> r =
        problem.layers.empty()
            ? llvm::Expected<ModelResult>(*baseline)
            : measureModel(model, *wb, configFile("base2.json", base), false);
    if (!r)
      return fail(llvm::toString(r.takeError()));
    best = Outcome{base, "baseline", baseline->sqnrDb, *r, base, base};
  }

  // The winner, simulated end to end; and the best uniform configuration at
  // the same target, for comparison.
  // With nothing searched the winner is the baseline, measured already.
  llvm::Expected<ModelResult> final =
      problem.layers.empty()
          ? llvm::Expected<ModelResult>(*baseline)
          : measureModel(model, *wb, configFile("best.json", best->config),
                         true);
  if (!final)
    return fail(llvm::toString(final.takeError()));
  llvm::json::Object uniformJson;
  std::optional<Config> uniform = bestUniform(problem, best->target);
  if (uniform) {
    llvm::Expected<ModelResult> u =
        measureModel(model, *wb, configFile("uniform.json", *uniform), true);
    if (!u)
      return fail(llvm::toString(u.takeError()));
    const Option &o = problem.layers.front().options[uniform->front()];
    uniformJson =
        llvm::json::Object{{"option", o.toJson()},
                           {"predicted", pointJson(problem, *uniform)},
                           {"measured", resultJson(*u)}};
  }
  if (measured)
    *measured = *final;
  std::vector<Point> front = paretoFront(visited);
  llvm::json::Array frontJson;
  for (const Point &pt : front)
    frontJson.push_back(
        llvm::json::Object{{"cost", pt.cost}, {"sqnr_db", pt.sqnrDb}});

  llvm::json::Object result = configJson(problem, best->config);
  size_t evaluations = logged + done;
  result["search"] =
      llvm::json::Object{{"objective", o.objective},
                         {"budget", o.budget},
                         {"target_sqnr_db", best->target},
                         {"method", best->method},
                         {"greedy_cost", cost(problem, best->greedyConfig)},
                         {"anneal_cost", cost(problem, best->annealConfig)},
                         {"predicted", pointJson(problem, best->config)},
                         {"measured", resultJson(*final)},
                         {"baseline", resultJson(*baseline)},
                         {"uniform", std::move(uniformJson)},
                         {"layer_options_measured", int64_t(evaluations)},
                         {"model_verifications", int64_t(verifications)},
                         {"pareto", std::move(frontJson)}};
  if (llvm::Error e = writeFileAtomically(o.output, [&](llvm::raw_ostream &os) {
        os << llvm::formatv("{0:2}", llvm::json::Value(std::move(result)))
           << "\n";
      }))
    return fail(llvm::toString(std::move(e)));
  if (!o.pareto.empty()) {
    std::vector<std::pair<std::string, Point>> marks = {
        {"baseline", {cost(problem, base), predictedSqnr(problem, base), base}},
        {"chosen (" + best->method + ")",
         {cost(problem, best->config), predictedSqnr(problem, best->config),
          best->config}}};
    if (uniform)
      marks.push_back({"uniform",
                       {cost(problem, *uniform),
                        predictedSqnr(problem, *uniform), *uniform}});
    const char *label = problem.objective == Objective::Cycles   ? "cycles"
                        : problem.objective == Objective::Energy ? "energy (pJ)"
                                                                 : "EDP";
    if (llvm::Error e =
            writeFileAtomically(o.pareto, [&](llvm::raw_ostream &os) {
              os << paretoSvg(front, marks, label);
            }))
      return fail(llvm::toString(std::move(e)));
  }

  bool labelled = !wb->labelled.labels.empty();
  table << llvm::formatv("{0,-10} {1,14} {2,16} {3,10} {4,10}{5}\n", "config",
                         "cycles", "energy (uJ)", "SQNR dB", "agreement",
                         labelled ? "      top-1" : "");
  auto row = [&](StringRef name, const ModelResult &r) {
    table << llvm::formatv(
        "{0,-10} {1,14} {2,16:f3} {3,10:f2} {4,10:f3}{5}\n", name,
        uint64_t(r.cycles), r.energyPj * 1e-6, r.sqnrDb, r.agreement,
        labelled ? llvm::formatv(" {0,9:f2}%", 100 * r.top1).str()
                 : std::string());
  };
  if (labelled)
    table << llvm::formatv("float top-1 {0:f2}% on {1} labelled "
                           "images\n",
                           100 * wb->labelled.floatTop1,
                           wb->labelled.labels.size());
  row("baseline", *baseline);
  row("chosen", *final);
  table << llvm::formatv(
      "chosen by {0} (greedy {1:e3}, annealing {2:e3}); predicted {3} "
      "cycles, simulated {4}\n",
      best->method, cost(problem, best->greedyConfig),
      cost(problem, best->annealConfig),
      uint64_t(totalCycles(problem, best->config)), uint64_t(final->cycles));
  return success();
}

LogicalResult
search::listJobs(MLIRContext &ctx, const SearchOptions &o, Listing what,
                 llvm::raw_ostream &os,
                 llvm::function_ref<void(const llvm::Twine &)> progress) {
  Session s(ctx, o, progress);
  if (failed(s.load()))
    return failure();
  auto line = [&](StringRef kind, llvm::json::Value v) {
    os << llvm::json::Value(llvm::json::Object{{kind, std::move(v)}}) << "\n";
  };
  if (what == Listing::Inputs) {
    line("search", llvm::json::Object(s.header));
    return success();
  }
  if (o.output.empty() && o.log.empty())
    return s.fail("--list-jobs reads the log: give --log FILE or -o");
  if (failed(s.prepareLayers()) ||
      failed(s.openLog(o.log.empty() ? o.output + ".log" : o.log)))
    return failure();
  line("search", llvm::json::Object(s.header));
  size_t logged = 0;
  FailureOr<std::vector<Task>> tasks = s.pendingMeasures(logged);
  if (failed(tasks))
    return failure();
  for (const Task &t : *tasks) {
    const Layer &layer = s.problem.layers[t.layer];
    line("measure", Log::key(layer.name, layer.options[t.option]));
  }
  // A layer's gain probe is chosen from all its measurements.
  if (!tasks->empty())
    return success();
  if (failed(s.reportFailures()))
    return failure();
  for (size_t l = 0; l < s.problem.layers.size(); ++l) {
    const Layer &layer = s.problem.layers[l];
    if (!s.log.gains.count(layer.name))
      line("gain", Log::key(layer.name, layer.options[s.gainProbe(l)]));
  }
  return success();
}

LogicalResult
search::serveJobs(MLIRContext &ctx, const SearchOptions &o, std::istream &in,
                  llvm::raw_ostream &out,
                  llvm::function_ref<void(const llvm::Twine &)> progress) {
  Session s(ctx, o, progress);
  if (failed(s.load()))
    return failure();
  // The header first, before the model is prepared: a worker whose files
  // differ is refused at once.
  s.log.os = &out;
  s.log.write(llvm::json::Object{{"search", llvm::json::Object(s.header)}});
  if (failed(s.prepareLayers()))
    return failure();
  std::string request;
  while (std::getline(in, request)) {
    // Every request is answered in full, repeats included: a coordinator
    // asks again only when it lost the answer (a retry, a rerun).
    llvm::StringSet<> done;
    s.log.failures.clear();
    std::vector<std::string> keys[2];
    std::string error;
    llvm::Expected<llvm::json::Value> v = parseJson(request);
    const llvm::json::Object *o = v ? v->getAsObject() : nullptr;
    if (!v)
      error = "a request is not JSON: " + llvm::toString(v.takeError());
    const char *kinds[] = {"measure", "gain"};
    for (auto [i, kind] : llvm::enumerate(kinds))
      if (const llvm::json::Array *list = o ? o->getArray(kind) : nullptr)
        for (const llvm::json::Value &key : *list)
          if (std::optional<StringRef> text = key.getAsString())
            keys[i].push_back(text->str());
    if (error.empty() && keys[0].empty() && keys[1].empty())
      error = "a request is {\"measure\": [KEY...]} or {\"gain\": [KEY...]}";
    if (error.empty()) {
      auto jobs = selectJobs(s, keys[0], keys[1], done);
      if (!jobs) {
        error = llvm::toString(jobs.takeError());
      } else {
        s.measure(jobs->first);
        if (llvm::Error e = s.measureGains(jobs->second))
          error = llvm::toString(std::move(e));
      }
    }
    if (!error.empty())
      s.log.write(llvm::json::Object{{"error", error}});
    s.log.write(llvm::json::Object{{"done", true}});
  }
  return success();
}
