//===- Progress.cpp - per-layer progress of long passes -------------------===//
#include "escalate/Support/Progress.h"
#include <atomic>

static std::atomic<escalate::ProgressHandler> handler{nullptr};

void escalate::setProgressHandler(ProgressHandler h) { handler = h; }

void escalate::reportProgress(llvm::StringRef pass, size_t done, size_t total,
                              llvm::StringRef layer) {
  if (ProgressHandler h = handler.load())
    h(pass, done, total, layer);
}
