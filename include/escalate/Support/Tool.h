//===- Tool.h - what every command-line tool shares -------------*- C++ -*-===//
//
// The exit statuses, the version line and the reading of tensor-file
// arguments, so that the tools behave alike (README.md, "Exit status").
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_SUPPORT_TOOL_H
#define ESCALATE_SUPPORT_TOOL_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace escalate::tool {

/// Exit statuses of every tool.
enum Exit : int {
  kExitOk = 0,
  /// Bad input: a malformed model, binary, tensor file or flag; a failure.
  kExitInvalid = 1,
  /// The run worked but missed a threshold it was given (--expected
  /// tolerances, --min-cosine, --min-sqnr, a search's --target-sqnr).
  kExitThreshold = 2,
  /// A valid model that uses what the project does not support (an op, an
  /// opset, an element type).
  kExitUnsupported = 3,
};

/// "escalate-run 0.1.0 (git 1d32e98a1b2c)": the project version and the
/// revision the tool was built from.
std::string versionLine(llvm::StringRef tool);

/// Makes `--version` print versionLine(tool) and the LLVM/MLIR release the
/// tool was built against; call before parsing the command line.
void installVersionPrinter(llvm::StringRef tool);

/// The arguments with several tensor files after one flag of `flags`
/// (`--input a.npy b.npy`, also `--input=a.npy b.npy`) turned into one
/// flag per file. Files are taken while they end in .npy or .pb (after an
/// optional `name=`), so a positional argument that is itself a .pb file
/// must come before the flag; `storage` owns the rewritten arguments.
std::vector<const char *>
expandFileLists(int argc, char **argv, llvm::ArrayRef<llvm::StringRef> flags,
                std::vector<std::string> &storage);

/// Binds `--input` values to the inputs named `names`: `name=FILE` to that
/// input, plain files (and paths with '=' and '/' before it that name no
/// input) to the remaining inputs in order. The files in input
/// order, or an error naming the input at fault.
llvm::Expected<std::vector<std::string>>
bindInputs(llvm::ArrayRef<std::string> specs,
           llvm::ArrayRef<std::string> names);

/// "12,345": `digits` (a non-negative integer's) with thousands separators,
/// as the tools' summaries and plots print counts.
std::string groupThousands(llvm::StringRef digits);

/// `text` cut in the middle to `width` characters ("/layer4/la...v1/Conv"),
/// so that tables never cut a name silently.
std::string elideMiddle(llvm::StringRef text, size_t width);

} // namespace escalate::tool

#endif
