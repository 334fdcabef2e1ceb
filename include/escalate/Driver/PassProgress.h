//===- PassProgress.h - what a long compile shows while it runs -*- C++ -*-===//
//
// On a terminal: one status line, "[5/11] escalate-tile 12/53 (23%)
// '/layer2/conv1', 4 s left", rewritten as passes and layers finish. Not on
// a terminal (a log, CI): one line per pass as it ends, with its time.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_DRIVER_PASSPROGRESS_H
#define ESCALATE_DRIVER_PASSPROGRESS_H

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>

namespace escalate::driver {

/// Adds the progress display to `pm` (whose pass count it shows) and
/// installs the per-layer handler (escalate/Support/Progress.h); `tool`
/// prefixes the lines. The display ends when the pass manager goes away.
void addPassProgress(mlir::PassManager &pm, llvm::StringRef tool,
                     bool terminal);

/// Clears the status line so that a message starts on a clean line (call
/// from the diagnostic handler; does nothing without a terminal display).
void clearProgressLine();

} // namespace escalate::driver

#endif
