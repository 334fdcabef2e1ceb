//===- Nesting.h - bound the nesting depth of untrusted inputs --*- C++ -*-===//
//
// Parsers for nested formats (MLIR's, protobuf's) recurse once per level, so
// a small file of brackets can exhaust the stack. Every tool checks inputs
// against a depth limit first and names the flag that raises it.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_SUPPORT_NESTING_H
#define ESCALATE_SUPPORT_NESTING_H

#include "llvm/Support/Error.h"

namespace escalate {

/// Default of --max-nesting: protobuf's own default recursion limit, and far
/// above the ~15 levels of any IR this project writes.
constexpr int kDefaultMaxNesting = 100;

/// Fails, naming the line and column, when brackets ([ ( { <) in MLIR text
/// nest deeper than `limit`. String literals, comments and `->` are skipped.
llvm::Error checkTextNesting(llvm::StringRef text, int limit);

/// Rejects a --max-nesting value that is not positive.
llvm::Error checkNestingLimit(int limit);

} // namespace escalate

#endif
