//===- Progress.cpp - per-layer progress of long passes -------------------===//
#include "escalate/Support/Progress.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"
#include <atomic>
#include <chrono>
#include <mutex>

static std::atomic<escalate::ProgressHandler> handler{nullptr};

void escalate::setProgressHandler(ProgressHandler h) { handler = h; }

namespace {
using Clock = std::chrono::steady_clock;
std::mutex lineMutex;
Clock::time_point lineStart;
bool lineShown = false;

void showLine(llvm::StringRef pass, size_t done, size_t total,
              llvm::StringRef layer) {
  std::lock_guard<std::mutex> lock(lineMutex);
  if (!total)
    return;
  std::chrono::duration<double> spent = Clock::now() - lineStart;
  llvm::errs() << "\r\033[K"
               << escalate::progressText(pass, done, total, layer,
                                         spent.count());
  lineShown = true;
}
} // namespace

std::string escalate::progressText(llvm::StringRef label, size_t done,
                                   size_t total, llvm::StringRef item,
                                   double spentSeconds) {
  std::string left;
  if (done && done < total)
    left = llvm::formatv(", {0:f0} s left",
                         spentSeconds * double(total - done) / double(done));
  return llvm::formatv("{0} {1}/{2} ({3:P0}) '{4}'{5}", label, done, total,
                       double(done) / double(total), item, left);
}

void escalate::startTerminalProgress() {
  lineStart = Clock::now();
  setProgressHandler(showLine);
}

void escalate::endTerminalProgress() {
  setProgressHandler(nullptr);
  std::lock_guard<std::mutex> lock(lineMutex);
  if (lineShown)
    llvm::errs() << "\r\033[K";
  lineShown = false;
}

void escalate::reportProgress(llvm::StringRef pass, size_t done, size_t total,
                              llvm::StringRef layer) {
  if (ProgressHandler h = handler.load())
    h(pass, done, total, layer);
}
