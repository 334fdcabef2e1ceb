//===- escalate-import-bench.cpp - import time and memory vs bare parse ---===//
//
// `--mode=parse` times only the protobuf parse of the model; `--mode=import`
// times the whole import to escalate IR (parse included). Each prints the
// best wall time over --reps and the process's peak RSS, so the two modes
// must run as separate processes (bench/import.sh does that).
//
//===----------------------------------------------------------------------===//
#include "escalate/Import/OnnxImporter.h"
#include "escalate/InitAll.h"
#include "mlir/IR/MLIRContext.h"
#include "onnx.pb.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <sys/resource.h>

namespace cl = llvm::cl;
static cl::opt<std::string> model(cl::Positional, cl::Required,
                                  cl::desc("<model.onnx>"));
static cl::opt<std::string> mode("mode", cl::desc("parse or import"),
                                 cl::init("import"));
static cl::opt<unsigned>
    reps("reps", cl::desc("repetitions (best is reported)"), cl::init(3));

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(argc, argv, "escalate import benchmark\n");
  if (mode != "parse" && mode != "import") {
    llvm::errs() << "escalate-import-bench: --mode must be parse or import\n";
    return 1;
  }
  double best = 1e30;
  for (unsigned r = 0; r < reps; ++r) {
    auto start = std::chrono::steady_clock::now();
    auto file = llvm::MemoryBuffer::getFile(model, false, false);
    if (!file) {
      llvm::errs() << "escalate-import-bench: " << model << ": "
                   << file.getError().message() << "\n";
      return 1;
    }
    llvm::StringRef bytes = (*file)->getBuffer();
    if (mode == "parse") {
      escalate::onnx::ModelProto proto;
      if (!proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        llvm::errs() << "escalate-import-bench: parse failed\n";
        return 1;
      }
    } else {
      mlir::DialectRegistry registry;
      escalate::registerAllDialects(registry);
      mlir::MLIRContext ctx(registry);
      escalate::ImportResult result =
          escalate::importOnnx(bytes, model, escalate::ImportOptions(), &ctx);
      if (!result.module)
        return 1;
    }
    std::chrono::duration<double> took =
        std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count());
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  llvm::outs() << "mode=" << mode << " seconds=" << llvm::format("%.3f", best)
               << " peak_rss_mb="
               << llvm::format("%.1f", usage.ru_maxrss / 1024.0) << "\n";
  return 0;
}
