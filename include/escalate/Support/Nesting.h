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
#include "llvm/Support/JSON.h"

namespace escalate {

/// Default of --max-nesting: protobuf's own default recursion limit, and far
/// above the ~15 levels of any IR this project writes.
constexpr int kDefaultMaxNesting = 100;

/// Fails, naming the line and column, when brackets ([ ( { <) in MLIR text
/// nest deeper than `limit`. String literals, comments and `->` are skipped.
/// `hint` says how to raise the limit.
llvm::Error
checkTextNesting(llvm::StringRef text, int limit,
                 llvm::StringRef hint = "raise the limit with --max-nesting");

/// llvm::json::parse, whose parser recurses once per level, after checking
/// that the text nests at most `limit` deep: every JSON the tools read
/// (hardware descriptions, also embedded in binaries; per-layer
/// configurations; search logs) goes through here.
llvm::Expected<llvm::json::Value> parseJson(llvm::StringRef text,
                                            int limit = kDefaultMaxNesting);

/// Rejects a --max-nesting value that is not positive.
llvm::Error checkNestingLimit(int limit);

} // namespace escalate

#endif
