//===- PassProgress.cpp - what a long compile shows while it runs ---------===//
#include "escalate/Driver/PassProgress.h"
#include "escalate/Support/Progress.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FormatVariadic.h"
#include <chrono>
#include <mutex>

using namespace mlir;
using namespace escalate;
using Clock = std::chrono::steady_clock;

namespace {
/// The display's state, shared with the per-layer handler (a plain
/// function pointer) and the diagnostic handler; passes may report layers
/// from several threads.
struct State {
  std::mutex mutex;
  bool terminal = false, lineShown = false;
  std::string tool, pass; // "[5/11] escalate-tile"
  Clock::time_point passStart;
};
State state;

void showLine(const std::string &text) {
  llvm::errs() << "\r\033[K" << text;
  state.lineShown = true;
}

void showLayer(StringRef, size_t done, size_t total, StringRef layer) {
  std::lock_guard<std::mutex> lock(state.mutex);
  if (!state.terminal || !total)
    return;
  std::chrono::duration<double> spent = Clock::now() - state.passStart;
  showLine(progressText(state.pass, done, total, layer, spent.count()));
}

/// Counts the pipeline's top-level passes; a nested pipeline (an adaptor,
/// which has no argument) shows the names of the passes it runs under its
/// own number.
struct Instrumentation : public PassInstrumentation {
  unsigned done = 0, total, depth = 0;
  explicit Instrumentation(unsigned total) : total(total) {}
  void runBeforePass(Pass *pass, Operation *) override {
    std::lock_guard<std::mutex> lock(state.mutex);
    if (depth++ == 0) {
      ++done;
      state.passStart = Clock::now();
    }
    if (pass->getArgument().empty())
      return;
    state.pass = llvm::formatv("[{0}/{1}] {2}", done, total,
                               pass->getArgument());
    if (state.terminal)
      showLine(state.pass);
  }
  void runAfterPass(Pass *, Operation *) override { finish(); }
  void runAfterPassFailed(Pass *, Operation *) override { finish(); }
  void finish() {
    std::lock_guard<std::mutex> lock(state.mutex);
    if (--depth != 0 || state.terminal)
      return;
    std::chrono::duration<double> spent = Clock::now() - state.passStart;
    llvm::errs() << llvm::formatv("{0}: {1} {2:f2} s\n", state.tool,
                                  state.pass, spent.count());
  }
  ~Instrumentation() override {
    setProgressHandler(nullptr);
    std::lock_guard<std::mutex> lock(state.mutex);
    if (state.lineShown)
      llvm::errs() << "\r\033[K";
    state.lineShown = false;
  }
};
} // namespace

void driver::addPassProgress(PassManager &pm, StringRef tool, bool terminal) {
  {
    std::lock_guard<std::mutex> lock(state.mutex);
    state.terminal = terminal;
    state.tool = tool.str();
  }
  pm.addInstrumentation(std::make_unique<Instrumentation>(pm.size()));
  setProgressHandler(showLayer);
}

void driver::clearProgressLine() {
  std::lock_guard<std::mutex> lock(state.mutex);
  if (state.lineShown)
    llvm::errs() << "\r\033[K";
  state.lineShown = false;
}
