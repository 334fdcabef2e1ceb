//===- TensorFileFuzzer.cpp - the .npy and .pb tensor readers -------------===//
//
// The first byte picks the format (even: .npy, odd: an ONNX TensorProto
// .pb), the rest is the file. A tensor either reads, with as many elements
// as its shape says, or is rejected with an error.
//
//===----------------------------------------------------------------------===//
#include "escalate/Support/TensorFiles.h"
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  llvm::StringRef bytes(reinterpret_cast<const char *>(data) + 1, size - 1);
  std::string storedType;
  llvm::Expected<escalate::Tensor> t = escalate::parseTensorFile(
      data[0] % 2 ? "input.pb" : "input.npy", bytes, &storedType);
  if (!t) {
    llvm::consumeError(t.takeError());
    return 0;
  }
  size_t elements = t->dtype() == escalate::DType::F32 ? t->f32().size()
                                                       : t->i64().size();
  if (int64_t(elements) != t->numElements() || storedType.empty())
    std::abort();
  return 0;
}
