//===- AllocationTest.cpp - the checks before input-sized allocations -----===//
#include "escalate/Support/LayerConfigFile.h"
#include "escalate/Support/Tensor.h"
#include "gtest/gtest.h"

using namespace escalate;

namespace {
TEST(Allocation, ProductIsChecked) {
  EXPECT_EQ(checkedProduct({2, 3, 4}), 24);
  EXPECT_EQ(checkedProduct({2, -1}), std::nullopt);
  EXPECT_EQ(checkedProduct({int64_t(1) << 62, 4}), std::nullopt);
  EXPECT_EQ(checkedProduct({1000, 1000}, 999999), std::nullopt);
  // A zero empties the tensor, but the strides still multiply the rest.
  EXPECT_EQ(checkedProduct({0, 5, 7}), 0);
  EXPECT_EQ(checkedProduct({0, int64_t(1) << 62, int64_t(1) << 62}),
            std::nullopt);
}

TEST(Allocation, BytesAreBounded) {
  llvm::Expected<uint64_t> ok = checkAllocation("maps", {2, 8}, 4, 64);
  ASSERT_TRUE(bool(ok));
  EXPECT_EQ(*ok, 64u);
  llvm::Expected<uint64_t> big = checkAllocation("maps", {2, 8}, 4, 63);
  ASSERT_FALSE(bool(big));
  EXPECT_EQ(llvm::toString(big.takeError()),
            "maps would take more than 63 bytes");
  llvm::Expected<uint64_t> negative = checkAllocation("maps", {-2}, 4);
  EXPECT_FALSE(bool(negative));
  llvm::consumeError(negative.takeError());
}

TEST(Allocation, TensorsGoThroughTheCheck) {
  llvm::Expected<Tensor> t = allocateTensor("x", DType::I64, {3, 5});
  ASSERT_TRUE(bool(t));
  EXPECT_EQ(t->i64().size(), 15u);
  // 2^31 floats: 8 GiB, over the default bound, refused without trying.
  llvm::Expected<Tensor> huge =
      allocateTensor("input 'x'", DType::F32, {int64_t(1) << 31});
  ASSERT_FALSE(bool(huge));
  EXPECT_EQ(llvm::toString(huge.takeError()),
            "input 'x' would take more than 4294967296 bytes");
}

TEST(LayerConfig, ReadsChecksAndPrintsCanonically) {
  llvm::Expected<std::vector<LayerSettings>> layers = parseLayerConfig(
      R"({"layers": {"b": {"sparsity": 0.5, "bases": 2}, "a": {}},
          "estimate": {"cycles": 1}})");
  ASSERT_TRUE(bool(layers)) << llvm::toString(layers.takeError());
  ASSERT_EQ(layers->size(), 2u);
  EXPECT_EQ((*layers)[0].layer, "a");
  ASSERT_EQ((*layers)[1].values.size(), 2u);
  EXPECT_EQ((*layers)[1].values[0].first->key, "bases");
  std::string text = printLayerConfig(*layers);
  EXPECT_EQ(text, R"({"layers":{"a":{},"b":{"bases":2,"sparsity":0.5}}})");
  llvm::Expected<std::vector<LayerSettings>> again = parseLayerConfig(text);
  ASSERT_TRUE(bool(again));
  EXPECT_EQ(printLayerConfig(*again), text);

  for (auto [input, message] : std::initializer_list<
           std::pair<const char *, const char *>>{
           {R"({"layers": {"a": {"bases": 1.5}}})",
            "layer 'a': 'bases' must be an integer >= 1"},
           {R"({"layers": {"a": {"rank": 1}}})",
            "layer 'a': unknown setting 'rank' (bases, energy, sparsity, "
            "weight_bits, basis_bits, coef_bits)"},
           {R"({"layers": {"a": 3}})",
            "layer 'a' must map to an object of settings"},
           {R"([])", "expected an object with a \"layers\" object"}}) {
    llvm::Expected<std::vector<LayerSettings>> bad = parseLayerConfig(input);
    ASSERT_FALSE(bool(bad)) << input;
    EXPECT_EQ(llvm::toString(bad.takeError()), message);
  }
}
} // namespace
