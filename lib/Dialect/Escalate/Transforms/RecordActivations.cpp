//===- RecordActivations.cpp - convolution inputs/outputs on samples ------===//
//
// The data-aware refit of escalate-prune-coefficients fits each layer's
// surviving coefficients to what the original layer produced. This pass
// records that, on any number of calibration samples, before the model is
// decomposed: one folder per sample, named as escalate-run --dump-dir
// names its files, so loadActivations stacks them along the batch.
//
//===----------------------------------------------------------------------===//
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "escalate/Quantization/Calibration.h"
#include "escalate/Reference/Interpreter.h"
#include "escalate/Support/TensorFiles.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

namespace escalate {
#define GEN_PASS_DEF_RECORDACTIVATIONS
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;

namespace {
struct RecordActivationsPass
    : public escalate::impl::RecordActivationsBase<RecordActivationsPass> {
  using RecordActivationsBase::RecordActivationsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto f = module.lookupSymbol<func::FuncOp>("main");
    if (!f || calibDir.empty() || outDir.empty()) {
      emitError(module.getLoc(),
                "escalate-record-activations needs a func.func @main, "
                "calib=DIR and out=DIR");
      return signalPassFailure();
    }
    llvm::Expected<std::vector<calib::Sample>> samples =
        calib::loadSamples(calibDir, f, sampleLimit);
    if (!samples) {
      emitError(module.getLoc()) << llvm::toString(samples.takeError());
      return signalPassFailure();
    }
    // Recordings of an earlier run must not be stacked with these.
    if (std::error_code ec = llvm::sys::fs::remove_directories(outDir.getValue()))
      if (ec != std::errc::no_such_file_or_directory) {
        emitError(module.getLoc())
            << "cannot clear '" << outDir << "': " << ec.message();
        return signalPassFailure();
      }
    // What the refit reads: every convolution's input and output.
    llvm::DenseSet<Value> wanted;
    f.walk([&](ConvOp conv) {
      wanted.insert(conv.getInput());
      wanted.insert(conv.getResult());
    });
    for (auto [i, sample] : llvm::enumerate(*samples))
      if (failed(record(f, sample, wanted,
                        llvm::formatv("sample{0:d4}", i).str())))
        return signalPassFailure();
  }

  LogicalResult record(func::FuncOp f, ArrayRef<Tensor> sample,
                       const llvm::DenseSet<Value> &wanted,
                       StringRef folder) {
    SmallString<256> dir(outDir.getValue());
    llvm::sys::path::append(dir, folder);
    if (std::error_code ec = llvm::sys::fs::create_directories(dir))
      return emitError(f.getLoc())
             << "cannot create '" << dir << "': " << ec.message();
    auto save = [&](Value v, const Tensor &t) -> LogicalResult {
      std::optional<std::string> path = activationFile(dir, v);
      if (!path)
        return success(); // unnamed: nothing could look it up
      if (llvm::Error e = writeNpy(*path, t))
        return emitError(f.getLoc()) << llvm::toString(std::move(e));
      return success();
    };
    for (auto [arg, t] : llvm::zip(f.getArguments(), sample))
      if (wanted.contains(arg) && failed(save(arg, t)))
        return failure();
    InterpretOptions options;
    options.observe = [&](Operation *op, MutableArrayRef<Tensor> results) {
      for (auto [v, t] : llvm::zip(op->getResults(), results))
        if (wanted.contains(v) && failed(save(v, t)))
          return failure();
      return success();
    };
    return failure(failed(interpret(f, sample, options)));
  }
};
} // namespace
