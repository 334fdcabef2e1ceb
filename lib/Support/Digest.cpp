//===- Digest.cpp - content digests (XXH3-64) -----------------------------===//
#include "escalate/Support/Digest.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#define XXH_INLINE_ALL
#include <xxhash.h>

using namespace escalate;

uint64_t escalate::xxh3(llvm::StringRef bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

struct Digest::State {
  XXH3_state_t xxh;
};

Digest::Digest() : state(std::make_unique<State>()) {
  XXH3_64bits_reset(&state->xxh);
}

Digest::~Digest() = default;

Digest &Digest::add(llvm::StringRef bytes) {
  XXH3_64bits_update(&state->xxh, bytes.data(), bytes.size());
  return *this;
}

Digest &Digest::add(const Tensor &t) {
  auto raw = [](const auto &array) {
    return llvm::StringRef(reinterpret_cast<const char *>(array.data()),
                           array.size() * sizeof(array[0]));
  };
  uint8_t dtype = static_cast<uint8_t>(t.dtype());
  add(llvm::StringRef(reinterpret_cast<const char *>(&dtype), 1));
  add(raw(t.shape()));
  return add(t.dtype() == DType::F32 ? raw(t.f32()) : raw(t.i64()));
}

uint64_t Digest::value() const { return XXH3_64bits_digest(&state->xxh); }

std::string escalate::hexDigest(uint64_t value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format_hex_no_prefix(value, 16);
  return text;
}
