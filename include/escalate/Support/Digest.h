//===- Digest.h - content digests (XXH3-64) ---------------------*- C++ -*-===//
//
// One hash for everything the project checks by content: the sections of an
// .escb binary and the inputs of a search (a distributed worker proves it
// holds the coordinator's model, calibration set and hardware by them).
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_SUPPORT_DIGEST_H
#define ESCALATE_SUPPORT_DIGEST_H

#include "escalate/Support/Tensor.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <memory>
#include <string>

namespace escalate {

/// XXH3-64 of `bytes`.
uint64_t xxh3(llvm::StringRef bytes);

/// XXH3-64 over a sequence of pieces, as if they were concatenated.
class Digest {
public:
  Digest();
  ~Digest();
  Digest &add(llvm::StringRef bytes);
  /// A tensor's element type, shape and elements.
  Digest &add(const Tensor &t);
  uint64_t value() const;

private:
  struct State;
  std::unique_ptr<State> state;
};

/// `value` as 16 lower-case hex digits, the form logs and messages print.
std::string hexDigest(uint64_t value);

} // namespace escalate

#endif
