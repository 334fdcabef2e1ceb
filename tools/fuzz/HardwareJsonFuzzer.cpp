//===- HardwareJsonFuzzer.cpp - the hardware description reader ----------===//
//
// Text as a hardware description (escalate-compile --hw, and the copy every
// binary embeds): it either parses, and then its canonical JSON parses to
// the same description, or it is rejected with an error. The nesting bound
// and every key's checks run on the way.
//
//===----------------------------------------------------------------------===//
#include "escalate/Hardware/Hardware.h"
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<escalate::hw::HwDesc> hw = escalate::hw::parseHwDesc(
      llvm::StringRef(reinterpret_cast<const char *>(data), size));
  if (!hw) {
    llvm::consumeError(hw.takeError());
    return 0;
  }
  llvm::Expected<escalate::hw::HwDesc> again =
      escalate::hw::parseHwDesc(hw->canonicalJson);
  if (!again || again->canonicalJson != hw->canonicalJson)
    std::abort();
  return 0;
}
