//===- HardwareSpaceTest.cpp - the co-search's hardware space -------------===//
#include "escalate/Search/HardwareSpace.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"
#include <algorithm>
#include <set>

using namespace escalate;
using namespace escalate::search;

namespace {
/// A space file with `text`, removed when the test ends.
class SpaceFile {
public:
  explicit SpaceFile(llvm::StringRef text) {
    int fd;
    EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("space", "json", fd, path));
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << text;
  }
  ~SpaceFile() { llvm::sys::fs::remove(path); }
  llvm::Expected<HardwareSpace> load() const {
    return HardwareSpace::load(path, hw::defaultHwDesc());
  }

private:
  llvm::SmallString<128> path;
};

// Two scalar dimensions and one that sets two keys together: 3 x 2 x 2.
constexpr const char *kSpace = R"({
  "dimensions": {
    "basis_engine.lanes_p": [16, 32, 64],
    "dram.dma_channels": [2, 4],
    "act": [{"buffers.act.bytes": 131072, "energy_pj.buffer_byte.act": 1.25},
            {"buffers.act.bytes": 524288, "energy_pj.buffer_byte.act": 2.5}]
  }
})";

TEST(HardwareSpace, EnumeratesEveryPointLastDimensionFastest) {
  SpaceFile file(kSpace);
  llvm::Expected<HardwareSpace> space = file.load();
  ASSERT_TRUE(bool(space)) << llvm::toString(space.takeError());
  EXPECT_EQ(space->points(), 12u);
  EXPECT_TRUE(space->enumeratesAll());
  EXPECT_EQ(space->initialPoints().size(), 12u);
  // Dimensions sort by name: act, basis_engine.lanes_p, dram.dma_channels.
  llvm::Expected<HardwarePoint> p = space->point(5);
  ASSERT_TRUE(bool(p)) << llvm::toString(p.takeError());
  EXPECT_EQ(p->id, "p5");
  EXPECT_EQ(p->settings, "buffers.act.bytes=131072, "
                         "energy_pj.buffer_byte.act=1.25, "
                         "basis_engine.lanes_p=64, dram.dma_channels=4");
  EXPECT_EQ(p->desc.basisLanesP, 64u);
  EXPECT_EQ(p->desc.dmaChannels, 4u);
  EXPECT_EQ(p->desc.buffer(hw::Buffer::Act).bytes, 131072u);
  EXPECT_DOUBLE_EQ(p->desc.buffer(hw::Buffer::Act).pjPerByte, 1.25);
  EXPECT_EQ(p->desc.name, "escalate-default-p5");
  // The area follows the description: 384 KB less SRAM, 384 more basis
  // multipliers than the default.
  const hw::HwDesc &base = hw::defaultHwDesc();
  EXPECT_NEAR(p->areaMm2, hw::area(p->desc).total() * 1e-6, 1e-12);
  EXPECT_LT(p->areaMm2, hw::area(base).total() * 1e-6);
  llvm::Expected<HardwarePoint> ref = space->reference();
  ASSERT_TRUE(bool(ref));
  EXPECT_EQ(ref->id, "reference");
  EXPECT_EQ(ref->desc.canonicalJson, base.canonicalJson);
  EXPECT_DOUBLE_EQ(ref->areaMm2, hw::area(base).total() * 1e-6);
}

TEST(HardwareSpace, NeighboursDifferInOneDimension) {
  SpaceFile file(kSpace);
  llvm::Expected<HardwareSpace> space = file.load();
  ASSERT_TRUE(bool(space));
  // (act 0, lanes 1, channels 0) = 2: act 1 -> 8; lanes 0, 2 -> 0, 4;
  // channels 1 -> 3.
  std::vector<uint64_t> n = space->neighbours(2);
  std::sort(n.begin(), n.end());
  EXPECT_EQ(n, (std::vector<uint64_t>{0, 3, 4, 8}));
}

TEST(HardwareSpace, SamplesAreSeededAndDistinct) {
  SpaceFile file(R"({"sample": 5, "seed": 3, "dimensions": {
      "basis_engine.lanes_p": [16, 32, 64], "coef_engine.lanes_o": [8, 16],
      "dram.dma_channels": [1, 2, 4]}})");
  llvm::Expected<HardwareSpace> space = file.load();
  ASSERT_TRUE(bool(space));
  EXPECT_FALSE(space->enumeratesAll());
  std::vector<uint64_t> a = space->initialPoints(), b = space->initialPoints();
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 5u);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(std::set<uint64_t>(a.begin(), a.end()).size(), 5u);
  EXPECT_LT(a.back(), 18u);
}

TEST(HardwareSpace, InvalidPointIsAnErrorOfThatPoint) {
  SpaceFile file(R"({"dimensions": {"coef_engine.channel_groups": [8, 64]}})");
  llvm::Expected<HardwareSpace> space = file.load();
  ASSERT_TRUE(bool(space));
  EXPECT_TRUE(bool(space->point(0)));
  llvm::Expected<HardwarePoint> bad = space->point(1);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError())
                .find("channel_groups must not exceed lanes_p"),
            std::string::npos);
}

TEST(HardwareSpace, RefusesUnknownKeysAndStaleBufferEnergy) {
  for (auto [text, message] :
       std::initializer_list<std::pair<const char *, const char *>>{
           {R"({"dimensions": {"coef_engine.lanes": [8]}})",
            "'coef_engine.lanes' is not a key of the base hardware "
            "description"},
           {R"({"dimensions": {"buffers.coef.bytes": [65536]}})",
            "must also set energy_pj.buffer_byte.coef"},
           {R"({"dimensions": {"ppu.lanes": []}})",
            "dimension 'ppu.lanes' must be a non-empty array of values"},
           {R"({"sample": 0, "dimensions": {"ppu.lanes": [8]}})",
            "\"sample\" must be a positive integer"},
           {R"({})", "no \"dimensions\": nothing to search"}}) {
    SpaceFile file(text);
    llvm::Expected<HardwareSpace> space = file.load();
    ASSERT_FALSE(bool(space)) << text;
    std::string error = llvm::toString(space.takeError());
    EXPECT_NE(error.find(message), std::string::npos) << error;
  }
}
} // namespace
