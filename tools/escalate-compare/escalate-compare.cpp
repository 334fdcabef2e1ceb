//===- escalate-compare.cpp - tensor-by-tensor accuracy comparison --------===//
//
// escalate-compare A B: A and B are tensor files (.npy/.pb) or directories of
// them (escalate-run --dump-dir of a float and a quantized model, or
// escalate-sim outputs). Per tensor present in both it prints cosine
// similarity, SQNR, max abs error and, for N x classes tensors, top-1
// agreement, in A's execution order (A/index.txt) when known, and names the
// first tensor below the thresholds: the first layer that goes wrong.
//
// Exit codes: 0 all tensors meet the thresholds, 1 error, 2 some tensor is
// below a threshold.
//
//===----------------------------------------------------------------------===//
#include "escalate/Support/TensorFiles.h"
#include "escalate/Support/Tool.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include <cmath>

using namespace escalate;
namespace cl = llvm::cl;

static cl::OptionCategory category("escalate-compare options");
static cl::opt<std::string> pathA(cl::Positional, cl::Required,
                                  cl::desc("<reference file or dir>"),
                                  cl::cat(category));
static cl::opt<std::string> pathB(cl::Positional, cl::Required,
                                  cl::desc("<file or dir to check>"),
                                  cl::cat(category));
static cl::opt<double> minCosine("min-cosine",
                                 cl::desc("Flag tensors below this cosine"),
                                 cl::init(0.99), cl::cat(category));
static cl::opt<double> minSqnr("min-sqnr",
                               cl::desc("Flag tensors below this SQNR (dB)"),
                               cl::init(20), cl::cat(category));
static cl::opt<std::string> jsonFile("json",
                                     cl::desc("Also write the rows as JSON"),
                                     cl::value_desc("file"), cl::cat(category));

namespace {
struct Row {
  std::string name, shape;
  double cosine = 0, sqnrDb = 0, maxAbs = 0;
  std::optional<double> top1;
  bool bad = false;
};

int error(const llvm::Twine &msg) {
  llvm::WithColor::error(llvm::errs(), "escalate-compare") << msg << "\n";
  return tool::kExitInvalid;
}

std::vector<double> values(const Tensor &t) {
  if (t.dtype() == DType::F32)
    return {t.f32().begin(), t.f32().end()};
  return {t.i64().begin(), t.i64().end()};
}

std::string shapeOf(const Tensor &t) {
  std::string s;
  for (auto [i, d] : llvm::enumerate(t.shape()))
    s += (i ? "x" : "") + std::to_string(d);
  return s;
}

Row compare(llvm::StringRef name, const Tensor &a, const Tensor &b) {
  Row row;
  row.name = name.str();
  row.shape = shapeOf(a);
  std::vector<double> x = values(a), y = values(b);
  double dot = 0, xx = 0, yy = 0, noise = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    double d = x[i] - y[i];
    dot += x[i] * y[i];
    xx += x[i] * x[i];
    yy += y[i] * y[i];
    noise += d * d;
    row.maxAbs = std::max(row.maxAbs, std::fabs(d));
  }
  // Two all-zero tensors agree perfectly.
  row.cosine = xx > 0 && yy > 0 ? dot / std::sqrt(xx * yy) : xx == yy ? 1 : 0;
  row.sqnrDb = noise == 0 ? INFINITY : 10 * std::log10(xx / noise);
  if (a.rank() == 2 && a.dim(1) > 1) {
    int64_t n = a.dim(0), k = a.dim(1), agree = 0;
    for (int64_t r = 0; r < n; ++r) {
      auto ra = x.begin() + r * k, rb = y.begin() + r * k;
      agree += std::max_element(ra, ra + k) - ra ==
               std::max_element(rb, rb + k) - rb;
    }
    row.top1 = n ? double(agree) / double(n) : 1;
  }
  row.bad = !(row.cosine >= minCosine) || !(row.sqnrDb >= minSqnr);
  return row;
}

/// Tensor names of a dump directory: index.txt's order, else sorted files.
std::vector<std::string> namesIn(llvm::StringRef dir) {
  std::vector<std::string> names;
  llvm::SmallString<256> index(dir);
  llvm::sys::path::append(index, "index.txt");
  if (auto file = llvm::MemoryBuffer::getFile(index)) {
    for (llvm::StringRef line : llvm::split((*file)->getBuffer(), '\n'))
      if (!line.trim().empty() && !llvm::is_contained(names, line.trim()))
        names.push_back(line.trim().str());
    return names;
  }
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    if (llvm::StringRef(it->path()).ends_with(".npy"))
      names.push_back(llvm::sys::path::stem(it->path()).str());
  llvm::sort(names);
  return names;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  tool::installVersionPrinter("escalate-compare");
  cl::ParseCommandLineOptions(argc, argv,
                              "Compare tensors of float, quantized and "
                              "simulated runs\n");
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>>
      pairs;
  if (llvm::sys::fs::is_directory(pathA)) {
    if (!llvm::sys::fs::is_directory(pathB))
      return error("'" + pathA + "' is a directory but '" + pathB +
                   "' is not");
    for (const std::string &name : namesIn(pathA)) {
      llvm::SmallString<256> a(pathA), b(pathB);
      llvm::sys::path::append(a, name + ".npy");
      llvm::sys::path::append(b, name + ".npy");
      if (llvm::sys::fs::exists(a) && llvm::sys::fs::exists(b))
        pairs.push_back({name, {a.str().str(), b.str().str()}});
    }
    if (pairs.empty())
      return error("no tensor of '" + pathA + "' is also in '" + pathB + "'");
  } else {
    pairs.push_back({llvm::sys::path::stem(pathA).str(), {pathA, pathB}});
  }

  std::vector<Row> rows;
  for (auto &[name, files] : pairs) {
    llvm::Expected<Tensor> a = readTensorFile(files.first);
    if (!a)
      return error(llvm::toString(a.takeError()));
    llvm::Expected<Tensor> b = readTensorFile(files.second);
    if (!b)
      return error(llvm::toString(b.takeError()));
    if (a->shape() != b->shape())
      return error("tensor '" + name + "' is " + a->describe() + " in '" +
                   files.first + "' but " + b->describe() + " in '" +
                   files.second + "'");
    rows.push_back(compare(name, *a, *b));
  }

  llvm::raw_ostream &os = llvm::outs();
  os << llvm::format("%-40s %-16s %9s %9s %11s %6s\n", "tensor", "shape",
                     "cosine", "sqnr_db", "max_abs", "top1");
  const Row *first = nullptr;
  for (const Row &r : rows) {
    std::string top1 = r.top1 ? llvm::formatv("{0:f3}", *r.top1).str() : "-";
    os << llvm::format("%-40s %-16s %9.6f %9.2f %11.4g %6s%s\n",
                       r.name.c_str(), r.shape.c_str(), r.cosine, r.sqnrDb,
                       r.maxAbs, top1.c_str(), r.bad ? "  <-" : "");
    if (r.bad && !first)
      first = &r;
  }
  std::string limits = llvm::formatv("cosine {0} / SQNR {1} dB",
                                     llvm::format("%g", minCosine.getValue()),
                                     llvm::format("%g", minSqnr.getValue()));
  if (first)
    os << "first tensor below " << limits << ": '" << first->name << "'\n";
  else
    os << "all " << rows.size() << " tensors meet " << limits << "\n";

  if (!jsonFile.empty()) {
    llvm::json::Array array;
    for (const Row &r : rows) {
      llvm::json::Object o{{"tensor", r.name},
                           {"shape", r.shape},
                           {"cosine", r.cosine},
                           {"max_abs_error", r.maxAbs},
                           {"below_threshold", r.bad}};
      // JSON has no infinity: identical tensors have a null SQNR.
      o["sqnr_db"] = std::isfinite(r.sqnrDb) ? llvm::json::Value(r.sqnrDb)
                                             : llvm::json::Value(nullptr);
      if (r.top1)
        o["top1_agreement"] = *r.top1;
      array.push_back(std::move(o));
    }
    if (llvm::Error e = writeFileAtomically(jsonFile, [&](llvm::raw_ostream &f) {
          f << llvm::formatv("{0:2}", llvm::json::Value(std::move(array)))
            << "\n";
        }))
      return error(llvm::toString(std::move(e)));
  }
  return first ? tool::kExitThreshold : tool::kExitOk;
}
