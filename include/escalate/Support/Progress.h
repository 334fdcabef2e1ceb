//===- Progress.h - per-layer progress of long passes -----------*- C++ -*-===//
//
// Passes that take long on big models (tiling, emission) report each layer
// they finish; a tool that shows progress (escalate-compile on a terminal)
// installs a handler. Without one, reports cost an atomic load.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_SUPPORT_PROGRESS_H
#define ESCALATE_SUPPORT_PROGRESS_H

#include "llvm/ADT/StringRef.h"
#include <cstddef>
#include <string>

namespace escalate {

/// Called with the pass, the layers done so far, their total and the layer
/// just finished; may be called from several threads at once.
using ProgressHandler = void (*)(llvm::StringRef pass, size_t done,
                                 size_t total, llvm::StringRef layer);
void setProgressHandler(ProgressHandler handler);
void reportProgress(llvm::StringRef pass, size_t done, size_t total,
                    llvm::StringRef layer);

/// "<label> 12/53 (23%) '<item>', 4 s left": the status line of a count
/// under way, the time left extrapolated from `spentSeconds`.
std::string progressText(llvm::StringRef label, size_t done, size_t total,
                         llvm::StringRef item, double spentSeconds);

/// A handler for tools without passes (escalate-sim): one status line on
/// stderr, "escalate-sim 12/53 (23%) '/layer2/conv1', 4 s left", timed from
/// this call; endTerminalProgress clears it and removes the handler.
void startTerminalProgress();
void endTerminalProgress();

} // namespace escalate

#endif
