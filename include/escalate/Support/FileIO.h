//===- FileIO.h - writing output files safely -------------------*- C++ -*-===//
#ifndef ESCALATE_SUPPORT_FILEIO_H
#define ESCALATE_SUPPORT_FILEIO_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace escalate {

/// Writes a file through `fn` to a temporary name and renames it into place,
/// so a failure never leaves a partial file or clobbers an existing one.
llvm::Error
writeFileAtomically(llvm::StringRef path,
                    llvm::function_ref<void(llvm::raw_ostream &)> fn);

} // namespace escalate

#endif
