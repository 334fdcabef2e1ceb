//===- TimingTest.cpp - DRAM bursts and the DMA timeline ------------------===//
#include "escalate/Hardware/Timing.h"
#include "gtest/gtest.h"

using namespace escalate;

namespace {
const hw::HwDesc &defaultHw() { return hw::defaultHwDesc(); } // 64 B bursts

uint64_t bursts(uint64_t dram, uint64_t c, uint64_t h, uint64_t row,
                uint64_t strideC, uint64_t strideH) {
  return isa::dmaBursts(defaultHw(), {dram, c, h, row, strideC, strideH});
}
} // namespace

TEST(DmaBursts, ContiguousRowsShareBursts) {
  // A contiguous 3 x 8 x 8 tensor is 192 bytes: 3 bursts, not 24 rows.
  EXPECT_EQ(bursts(0, 3, 8, 8, 64, 8), 3u);
  // The same bytes starting mid-burst touch one more block.
  EXPECT_EQ(bursts(32, 3, 8, 8, 64, 8), 4u);
}

TEST(DmaBursts, StridedRowsAreRoundedPerRun) {
  // 4 rows of 16 bytes, 256 bytes apart: each its own burst.
  EXPECT_EQ(bursts(0, 1, 4, 16, 0, 256), 4u);
  // Rows 40 bytes apart: row r covers [40r, 40r + 16), in blocks 0 | 0 |
  // 1 | 1 and 2; neighbours share theirs, so 3 bursts (not 5).
  EXPECT_EQ(bursts(0, 1, 4, 16, 0, 40), 3u);
  // Channels of contiguous rows, 1 KiB apart: one run per channel.
  EXPECT_EQ(bursts(0, 2, 2, 48, 1024, 48), 4u);
}

TEST(DmaBursts, OverlappingStridesCountEveryRow) {
  // Rows that overlap (stride 8 < 16 bytes) are counted row by row.
  EXPECT_EQ(bursts(0, 1, 3, 16, 0, 8), 3u);
  EXPECT_EQ(bursts(0, 0, 3, 16, 0, 8), 0u);
}

TEST(DmaTimeline, BackToBackTransfersHideTheLatency) {
  const hw::HwDesc &h = defaultHw(); // latency 100, 32 B/cycle, 2 channels
  isa::DmaTimeline t(h);
  isa::DmaTime big = isa::dmaTime(h, 64); // 4 KiB: 128 bus cycles
  EXPECT_EQ(big.busCycles, 128u);
  EXPECT_EQ(big.dataCycles, 128u); // 64 outstanding cover the latency
  auto a = t.place(0, big);
  EXPECT_EQ(a.end, 228u);
  // The second descriptor starts at once on the other channel; its data
  // follows the first's on the bus.
  auto b = t.place(t.channelFree(), big);
  EXPECT_EQ(b.start, 0u);
  EXPECT_EQ(b.end, 356u);
  // A third waits for a channel: the first's, free 100 cycles before its
  // end, so its latency overlaps the second's data.
  EXPECT_EQ(t.channelFree(), 128u);
  EXPECT_EQ(t.place(128, big).end, 484u);
}

TEST(DmaTimeline, FewOutstandingRequestsLimitAChannel) {
  hw::HwDesc h = defaultHw();
  h.dmaOutstanding = 10; // one burst per 10 cycles per channel
  isa::DmaTime t = isa::dmaTime(h, 64);
  EXPECT_EQ(t.busCycles, 128u);
  EXPECT_EQ(t.dataCycles, 640u);
}
