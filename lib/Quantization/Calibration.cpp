//===- Calibration.cpp - activation statistics and range selection -------===//
#include "escalate/Quantization/Calibration.h"
#include "escalate/Support/Progress.h"
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Reference/Interpreter.h"
#include "escalate/Support/TensorFiles.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <cmath>
#include <random>

using namespace mlir;
using namespace escalate;
using namespace escalate::calib;

std::optional<Method> calib::parseMethod(StringRef name) {
  if (name == "minmax")
    return Method::MinMax;
  if (name == "percentile")
    return Method::Percentile;
  if (name == "kl")
    return Method::Kl;
  return std::nullopt;
}

StringRef calib::methodName(Method m) {
  switch (m) {
  case Method::MinMax:
    return "minmax";
  case Method::Percentile:
    return "percentile";
  case Method::Kl:
    return "kl";
  }
  return "";
}

llvm::MapVector<Value, std::string> calib::activationNames(func::FuncOp f) {
  llvm::MapVector<Value, std::string> names;
  llvm::StringMap<unsigned> seen;
  auto add = [&](Value v, std::string name) {
    unsigned n = ++seen[name];
    names[v] = n == 1 ? name : name + "#" + std::to_string(n);
  };
  for (auto [i, arg] : llvm::enumerate(f.getArguments()))
    if (cast<RankedTensorType>(arg.getType()).getElementType().isF32())
      add(arg, argumentName(f, i));
  f.walk([&](Operation *op) {
    if (isa<ConstantOp>(op))
      return;
    auto loc = dyn_cast<NameLoc>(op->getLoc());
    std::string base = loc ? loc.getName().str()
                           : op->getName().stripDialect().str();
    for (auto [i, r] : llvm::enumerate(op->getResults())) {
      auto type = dyn_cast<RankedTensorType>(r.getType());
      if (type && type.getElementType().isF32())
        add(r, i ? base + "." + std::to_string(i) : base);
    }
  });
  return names;
}

//===----------------------------------------------------------------------===//
// Samples
//===----------------------------------------------------------------------===//

static llvm::Error checkSample(const Sample &s, func::FuncOp f,
                               StringRef where) {
  if (s.size() != f.getNumArguments())
    return llvm::createStringError(
        where + ": a sample needs " + llvm::Twine(f.getNumArguments()) +
        " input tensors, found " + llvm::Twine(s.size()));
  for (auto [i, t] : llvm::enumerate(s)) {
    auto type = cast<RankedTensorType>(f.getArgumentTypes()[i]);
    if (t.shape() != type.getShape() ||
        (t.dtype() == DType::F32) != type.getElementType().isF32())
      return llvm::createStringError(
          where + ": input '" + argumentName(f, i) + "' is " + t.describe() +
          " but the model expects " +
          describeTensorType(type.getShape(), type.getElementType().isF32()
                                                  ? DType::F32
                                                  : DType::I64));
  }
  return llvm::Error::success();
}

/// Sorted .npy/.pb files and sub-directories of `dir`.
static llvm::Error listDir(StringRef dir, std::vector<std::string> &files,
                           std::vector<std::string> &dirs) {
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    StringRef path = it->path();
    if (it->type() == llvm::sys::fs::file_type::directory_file)
      dirs.push_back(path.str());
    else if (path.ends_with(".npy") || path.ends_with(".pb"))
      files.push_back(path.str());
  }
  if (ec)
    return llvm::createStringError("cannot read calibration directory '" +
                                   dir + "': " + ec.message());
  llvm::sort(files);
  llvm::sort(dirs);
  return llvm::Error::success();
}

llvm::Expected<std::vector<Sample>>
calib::loadSamples(StringRef dir, func::FuncOp f, unsigned limit) {
  std::vector<std::string> files, dirs;
  if (llvm::Error e = listDir(dir, files, dirs))
    return std::move(e);
  std::vector<Sample> samples;
  auto full = [&] { return limit && samples.size() >= limit; };
  // Flat files: one per sample of a single-input model.
  for (const std::string &path : files) {
    if (full())
      break;
    llvm::Expected<Tensor> t = readTensorFile(path);
    if (!t)
      return t.takeError();
    Sample s;
    s.push_back(std::move(*t));
    if (llvm::Error e = checkSample(s, f, path))
      return std::move(e);
    samples.push_back(std::move(s));
  }
  // Sub-directories: one sample each, input_<k> files if present.
  for (const std::string &sub : dirs) {
    if (full())
      break;
    std::vector<std::string> subFiles, ignored;
    if (llvm::Error e = listDir(sub, subFiles, ignored))
      return std::move(e);
    auto isInput = [](const std::string &p) {
      return llvm::sys::path::filename(p).starts_with("input");
    };
    if (llvm::any_of(subFiles, isInput))
      llvm::erase_if(subFiles, [&](const std::string &p) { return !isInput(p); });
    Sample s;
    for (const std::string &path : subFiles) {
      llvm::Expected<Tensor> t = readTensorFile(path);
      if (!t)
        return t.takeError();
      s.push_back(std::move(*t));
    }
    if (llvm::Error e = checkSample(s, f, sub))
      return std::move(e);
    samples.push_back(std::move(s));
  }
  if (samples.empty())
    return llvm::createStringError("calibration directory '" + dir +
                                   "' holds no .npy/.pb samples");
  return samples;
}

llvm::Expected<std::vector<Sample>>
calib::syntheticSamples(func::FuncOp f, unsigned count) {
  std::mt19937 rng(20211018);
  std::normal_distribution<float> normal(0.f, 1.f);
  std::vector<Sample> samples(count);
  for (Sample &s : samples)
    for (auto [i, type] : llvm::enumerate(f.getArgumentTypes())) {
      auto ranked = cast<RankedTensorType>(type);
      bool isFloat = ranked.getElementType().isF32();
      llvm::Expected<Tensor> t = allocateTensor(
          "a synthetic calibration sample of input '" + argumentName(f, i) +
              "'",
          isFloat ? DType::F32 : DType::I64, ranked.getShape());
      if (!t)
        return t.takeError();
      if (isFloat)
        for (float &v : t->f32())
          v = normal(rng);
      s.push_back(std::move(*t));
    }
  return samples;
}

//===----------------------------------------------------------------------===//
// Threshold selection
//===----------------------------------------------------------------------===//

double calib::percentileThreshold(ArrayRef<uint64_t> hist, double binWidth,
                                  double percentile) {
  uint64_t total = 0;
  for (uint64_t h : hist)
    total += h;
  double target = total * percentile / 100.0, sum = 0;
  for (size_t i = 0; i < hist.size(); ++i) {
    sum += hist[i];
    if (sum >= target)
      return (i + 1) * binWidth;
  }
  return hist.size() * binWidth;
}

/// KL(p || q) of two unnormalised histograms over the bins where p > 0
/// (q is smoothed so that it is never zero there).
static double klDivergence(ArrayRef<double> p, ArrayRef<double> q) {
  double sp = 0, sq = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    sp += p[i];
    sq += q[i];
  }
  if (sp == 0 || sq == 0)
    return INFINITY;
  double kl = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == 0)
      continue;
    double pi = p[i] / sp, qi = std::max(q[i] / sq, 1e-12);
    kl += pi * std::log(pi / qi);
  }
  return kl;
}

// TensorRT's entropy calibration: for every candidate threshold (a bin edge
// past the number of quantization levels) clip the distribution there
// (outliers folded into the last bin), quantize it to `levels` bins spread
// back over its nonzero bins, and keep the threshold of least divergence.
double calib::klThreshold(ArrayRef<uint64_t> hist, double binWidth,
                          unsigned bits) {
  size_t levels = (size_t(1) << (bits - 1)) - 1, n = hist.size();
  if (levels >= n)
    return n * binWidth;
  std::vector<double> suffix(n + 1, 0);
  for (size_t i = n; i-- > 0;)
    suffix[i] = suffix[i + 1] + double(hist[i]);
  double bestKl = INFINITY;
  size_t best = n;
  std::vector<double> p, q;
  for (size_t i = levels; i <= n; ++i) {
    p.assign(hist.begin(), hist.begin() + i);
    p[i - 1] += suffix[i];
    q.assign(i, 0);
    for (size_t level = 0; level < levels; ++level) {
      size_t lo = level * i / levels, hi = (level + 1) * i / levels;
      double sum = 0;
      size_t nonzero = 0;
      for (size_t j = lo; j < hi; ++j) {
        sum += double(hist[j]);
        nonzero += hist[j] != 0;
      }
      for (size_t j = lo; j < hi; ++j)
        if (hist[j] != 0)
          q[j] = sum / double(nonzero);
    }
    double kl = klDivergence(p, q);
    if (kl < bestKl) {
      bestKl = kl;
      best = i;
    }
  }
  return best * binWidth;
}

//===----------------------------------------------------------------------===//
// Calibration runs
//===----------------------------------------------------------------------===//

namespace {
constexpr size_t kHistogramBins = 2048;

struct Stats {
  Range range{INFINITY, -INFINITY};
  double maxAbs = 0;
  std::vector<uint64_t> hist;
};

/// Runs every sample through `f`, handing each named float tensor to `fn`.
template <typename Fn>
LogicalResult observeAll(func::FuncOp f, ArrayRef<Sample> samples,
                         const llvm::MapVector<Value, std::string> &names,
                         Fn fn) {
  InterpretOptions options;
  options.observe = [&](Operation *op, ArrayRef<Tensor> results) {
    for (auto [r, t] : llvm::zip(op->getResults(), results))
      if (auto it = names.find(r); it != names.end())
        fn(it->second, t.f32());
    return success();
  };
  for (auto [i, s] : llvm::enumerate(samples)) {
    for (auto [arg, t] : llvm::zip(f.getArguments(), s))
      if (auto it = names.find(arg); it != names.end())
        fn(it->second, t.f32());
    if (failed(interpret(f, s, options)))
      return failure();
    // Calibration is the long part of quantizing a big model.
    reportProgress("escalate-quantize", i + 1, samples.size(),
                   "calibration sample " + std::to_string(i + 1));
  }
  return success();
}
} // namespace

FailureOr<Table> calib::calibrate(func::FuncOp f, ArrayRef<Sample> samples,
                                  const Options &options) {
  llvm::MapVector<Value, std::string> names = activationNames(f);
  llvm::StringMap<Stats> stats;
  if (failed(observeAll(f, samples, names,
                        [&](StringRef name, ArrayRef<float> values) {
                          Stats &s = stats[name];
                          for (float v : values) {
                            if (std::isnan(v))
                              continue;
                            s.range.min = std::min<double>(s.range.min, v);
                            s.range.max = std::max<double>(s.range.max, v);
                          }
                          s.maxAbs = std::max(std::fabs(s.range.min),
                                              std::fabs(s.range.max));
                        })))
    return failure();
  bool histograms = options.method != Method::MinMax;
  if (histograms &&
      failed(observeAll(f, samples, names,
                        [&](StringRef name, ArrayRef<float> values) {
                          Stats &s = stats[name];
                          if (s.hist.empty())
                            s.hist.assign(kHistogramBins, 0);
                          if (!(s.maxAbs > 0) || !std::isfinite(s.maxAbs))
                            return;
                          double scale = kHistogramBins / s.maxAbs;
                          for (float v : values) {
                            if (std::isnan(v))
                              continue;
                            size_t bin = size_t(std::fabs(v) * scale);
                            ++s.hist[std::min(bin, kHistogramBins - 1)];
                          }
                        })))
    return failure();

  Table table;
  llvm::raw_string_ostream prov(table.provenance);
  prov << "method=" << methodName(options.method);
  if (options.method == Method::Percentile)
    prov << " percentile=" << options.percentile;
  if (options.method == Method::Kl)
    prov << " bits=" << options.bits;
  prov << " samples=" << samples.size();
  for (auto &[value, name] : names) {
    auto it = stats.find(name);
    if (it == stats.end())
      continue; // not reached by the run (dead code)
    Stats &s = it->second;
    Range r = s.range;
    if (!std::isfinite(r.min) || !std::isfinite(r.max))
      r = {0, 0};
    if (histograms && s.maxAbs > 0 && std::isfinite(s.maxAbs)) {
      double width = s.maxAbs / kHistogramBins;
      double t = options.method == Method::Percentile
                     ? percentileThreshold(s.hist, width, options.percentile)
                     : klThreshold(s.hist, width, options.bits);
      r = {std::max(r.min, -t), std::min(r.max, t)};
    }
    table.ranges[name] = r;
  }
  return table;
}
