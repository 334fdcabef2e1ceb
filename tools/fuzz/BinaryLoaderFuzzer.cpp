//===- BinaryLoaderFuzzer.cpp - the .escb loader on arbitrary bytes -------===//
//
// A binary either loads (and then serializes back to the same program) or
// is rejected with an error.
//
//===----------------------------------------------------------------------===//
#include "escalate/Hardware/Binary.h"
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<escalate::isa::Program> p = escalate::isa::readBinary(
      llvm::StringRef(reinterpret_cast<const char *>(data), size),
      /*maxDramBytes=*/uint64_t(64) << 20);
  if (!p) {
    llvm::consumeError(p.takeError());
    return 0;
  }
  // What loaded must be writable and load back identically.
  llvm::Expected<std::string> bytes = escalate::isa::writeBinary(*p);
  if (!bytes)
    std::abort();
  llvm::Expected<escalate::isa::Program> again =
      escalate::isa::readBinary(*bytes, uint64_t(64) << 20);
  if (!again || again->code.size() != p->code.size())
    std::abort();
  return 0;
}
