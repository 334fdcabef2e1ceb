//===- ConvTilingTest.cpp - tile search and the conv instruction builder --===//
#include "escalate/Hardware/Instruction.h"
#include "escalate/CodeGen/Tiling.h"
#include "gtest/gtest.h"

using namespace escalate;

namespace {
/// A dense 3x3 convolution, 8 -> 16 channels on 12 x 12, padding 1.
codegen::ConvLayer conv3x3() {
  codegen::ConvLayer l;
  l.in = {1, 8, 12, 12, 8};
  l.out = {1, 16, 12, 12, 8};
  l.kh = l.kw = 3;
  l.padTop = l.padLeft = l.padBottom = l.padRight = 1;
  l.window = true;
  l.bases = 9;
  l.coefBits = 8;
  l.matrix.resize(size_t(l.out.c * l.cols()));
  for (size_t i = 0; i < l.matrix.size(); ++i)
    l.matrix[i] = int32_t(i % 7) - 3;
  l.bias.assign(size_t(l.out.c), 1);
  l.multiplier.assign(size_t(l.out.c), 1 << 30);
  l.shift.assign(size_t(l.out.c), 32);
  l.clampLo = -128;
  l.clampHi = 127;
  return l;
}

/// What the tile search picks builds into a legal program fragment: every
/// instruction within its fields and the hardware's limits, dependencies
/// pointing backwards, buffer use within the buffers.
TEST(ConvTiling, ChosenTileBuildsLegalCode) {
  const hw::HwDesc &hw = hw::defaultHwDesc();
  codegen::ConvLayer l = conv3x3();
  llvm::Expected<codegen::Choice> choice = codegen::chooseConvTile(l, hw);
  ASSERT_TRUE(bool(choice)) << llvm::toString(choice.takeError());
  EXPECT_GT(choice->cycles, 0u);
  // The whole output fits one spatial tile on the default buffers.
  EXPECT_EQ(choice->tile.rows, 12);
  EXPECT_EQ(choice->tile.cols, 12);

  uint64_t outBase = 4096, constBase = 8192;
  llvm::Expected<codegen::LayerCode> code =
      codegen::buildConv(l, choice->tile, hw, {0, l.in.imageBytes()},
                         {outBase, l.out.imageBytes()}, {}, constBase, 0);
  ASSERT_TRUE(bool(code)) << llvm::toString(code.takeError());
  ASSERT_FALSE(code->steps.empty());
  isa::ProgramShape shape{&hw, constBase + code->constants.size(), 0};
  bool sawConv = false, sawStoreToOutput = false;
  for (auto [i, step] : llvm::enumerate(code->steps)) {
    ASSERT_FALSE(bool(isa::checkFields(step.inst))) << "step " << i;
    llvm::Error err = isa::validate(step.inst, shape);
    ASSERT_FALSE(bool(err))
        << "step " << i << ": " << llvm::toString(std::move(err));
    for (uint32_t dep : step.deps)
      EXPECT_LT(dep, i) << "step " << i << " depends on a later one";
    sawConv |= step.inst.opcode == isa::Opcode::Conv;
    sawStoreToOutput |= step.inst.opcode == isa::Opcode::Store &&
                        step.inst[isa::store::Dram] == int64_t(outBase);
  }
  EXPECT_TRUE(sawConv);
  EXPECT_TRUE(sawStoreToOutput);
  for (unsigned b = 0; b < hw::kNumBuffers; ++b)
    EXPECT_LE(code->peakBytes[b], hw.buffer(hw::Buffer(b)).bytes)
        << hw::bufferName(hw::Buffer(b)).str();
}

/// Smaller activation buffers force row bands, and the bands still cover
/// the output.
TEST(ConvTiling, SmallBuffersCutRowBands) {
  hw::HwDesc small = hw::defaultHwDesc();
  small.buffers[unsigned(hw::Buffer::Act)].bytes = 2048;
  codegen::ConvLayer l = conv3x3();
  llvm::Expected<codegen::Choice> choice = codegen::chooseConvTile(l, small);
  ASSERT_TRUE(bool(choice)) << llvm::toString(choice.takeError());
  EXPECT_LT(choice->tile.rows * choice->tile.cols, 12 * 12);
  llvm::Expected<codegen::LayerCode> code =
      codegen::buildConv(l, choice->tile, small, {0, l.in.imageBytes()},
                         {4096, l.out.imageBytes()}, {}, 8192, 0);
  ASSERT_TRUE(bool(code)) << llvm::toString(code.takeError());
  int64_t storedPixels = 0;
  for (const codegen::Step &s : code->steps)
    if (s.inst.opcode == isa::Opcode::Store)
      storedPixels +=
          s.inst[isa::store::H] * s.inst[isa::store::W] * s.inst[isa::store::C];
  EXPECT_EQ(storedPixels, l.out.c * l.out.h * l.out.w);
}

/// A fused residual add, cut into row bands by small buffers: every output
/// tile loads its residual tile once, adds it after the requant that wrote
/// the tile and before the store that sends it, and the residual tiles
/// cover the output exactly.
TEST(ConvTiling, FusedEpilogueAddsEachTileBeforeItsStore) {
  hw::HwDesc small = hw::defaultHwDesc();
  small.buffers[unsigned(hw::Buffer::Act)].bytes = 4096;
  codegen::ConvLayer l = conv3x3();
  codegen::ConvEpilogue add;
  add.other = add.out = l.out;
  add.params = {0, 0, 0, 1 << 30, 1 << 30, 30, -128, 127};
  l.epilogue = add;
  llvm::Expected<codegen::Choice> choice = codegen::chooseConvTile(l, small);
  ASSERT_TRUE(bool(choice)) << llvm::toString(choice.takeError());
  EXPECT_LT(choice->tile.rows * choice->tile.cols, 12 * 12);
  uint64_t otherBase = 1 << 20, outBase = 2 << 20;
  llvm::Expected<codegen::LayerCode> code =
      codegen::buildConv(l, choice->tile, small, {0, l.in.imageBytes()},
                         {outBase, l.out.imageBytes()},
                         {otherBase, l.out.imageBytes()}, 4 << 20, 0);
  ASSERT_TRUE(bool(code)) << llvm::toString(code.takeError());
  int64_t loaded = 0, stored = 0, requants = 0, adds = 0;
  const auto &steps = code->steps;
  for (auto [i, s] : llvm::enumerate(steps)) {
    const isa::Instruction &in = s.inst;
    if (in.opcode == isa::Opcode::Load &&
        in[isa::load::Dram] >= int64_t(otherBase) &&
        in[isa::load::Dram] < int64_t(outBase))
      loaded += in[isa::load::C] * in[isa::load::H] * in[isa::load::W];
    if (in.opcode == isa::Opcode::Requant)
      ++requants;
    if (in.opcode == isa::Opcode::Store) {
      stored += in[isa::store::C] * in[isa::store::H] * in[isa::store::W];
      // The store reads what the tile's eltwise wrote.
      ASSERT_GT(i, 0u);
      bool afterAdd = false;
      for (uint32_t d : s.deps)
        afterAdd |= steps[d].inst.opcode == isa::Opcode::Eltwise &&
                    steps[d].inst[isa::eltwise::Dst] == in[isa::store::Sram];
      EXPECT_TRUE(afterAdd) << "store " << i;
    }
    if (in.opcode != isa::Opcode::Eltwise)
      continue;
    ++adds;
    EXPECT_EQ(in[isa::eltwise::Op], isa::eltwise::Add);
    EXPECT_EQ(in[isa::eltwise::A], in[isa::eltwise::Dst]);
    // It waits for the requant of its tile and the load of its operand.
    bool afterRequant = false, afterLoad = false;
    for (uint32_t d : s.deps) {
      const isa::Instruction &p = steps[d].inst;
      afterRequant |= p.opcode == isa::Opcode::Requant &&
                      p[isa::requant::Dst] == in[isa::eltwise::A];
      afterLoad |= p.opcode == isa::Opcode::Load &&
                   p[isa::load::Sram] == in[isa::eltwise::B];
    }
    EXPECT_TRUE(afterRequant) << "eltwise " << i;
    EXPECT_TRUE(afterLoad) << "eltwise " << i;
  }
  int64_t elements = l.out.c * l.out.h * l.out.w;
  EXPECT_EQ(loaded, elements);
  EXPECT_EQ(stored, elements);
  EXPECT_EQ(adds, requants);
  EXPECT_GT(adds, 1);
}

/// A fused 2 x 2 max pool on row bands: every band has whole windows, each
/// pool reads the tile its requant wrote, and the stores send the pooled
/// bands, which cover the pooled map exactly.
TEST(ConvTiling, FusedPoolStoresWholeWindows) {
  hw::HwDesc small = hw::defaultHwDesc();
  small.buffers[unsigned(hw::Buffer::Act)].bytes = 4096;
  codegen::ConvLayer l = conv3x3();
  codegen::ConvEpilogue pool;
  pool.kind = codegen::ConvEpilogue::Kind::Pool;
  pool.kh = pool.kw = pool.sh = pool.sw = 2;
  pool.out = {1, l.out.c, l.out.h / 2, l.out.w / 2, 8};
  l.epilogue = pool;
  llvm::Expected<codegen::Choice> choice = codegen::chooseConvTile(l, small);
  ASSERT_TRUE(bool(choice)) << llvm::toString(choice.takeError());
  EXPECT_EQ(choice->tile.rows % 2, 0);
  EXPECT_EQ(choice->tile.cols % 2, 0);
  EXPECT_LT(choice->tile.rows * choice->tile.cols, 12 * 12);
  codegen::Tile odd = choice->tile;
  odd.rows = 3;
  // Three rows would cut a window in two: refused, saying so.
  llvm::Expected<codegen::LayerCode> cut =
      codegen::buildConv(l, odd, small, {0, 0}, {0, 0}, {}, 0, 0);
  ASSERT_FALSE(bool(cut));
  EXPECT_NE(llvm::toString(cut.takeError()).find("cuts the fused pool"),
            std::string::npos);
  llvm::Expected<codegen::LayerCode> code =
      codegen::buildConv(l, choice->tile, small, {0, l.in.imageBytes()},
                         {1 << 20, pool.out.imageBytes()}, {}, 2 << 20, 0);
  ASSERT_TRUE(bool(code)) << llvm::toString(code.takeError());
  int64_t stored = 0, pools = 0;
  for (auto [i, s] : llvm::enumerate(code->steps)) {
    const isa::Instruction &in = s.inst;
    if (in.opcode == isa::Opcode::Store)
      stored += in[isa::store::C] * in[isa::store::H] * in[isa::store::W];
    if (in.opcode != isa::Opcode::Pool)
      continue;
    ++pools;
    EXPECT_EQ(in[isa::pool::InH] % 2, 0);
    bool afterRequant = false;
    for (uint32_t d : s.deps)
      afterRequant |=
          code->steps[d].inst.opcode == isa::Opcode::Requant &&
          code->steps[d].inst[isa::requant::Dst] == in[isa::pool::Src];
    EXPECT_TRUE(afterRequant) << "pool " << i;
  }
  EXPECT_GT(pools, 1);
  EXPECT_EQ(stored, pool.out.c * pool.out.h * pool.out.w);
}

/// A tiling the buffers cannot hold is an error that says why, not code.
TEST(ConvTiling, OversizedTileIsRefused) {
  const hw::HwDesc &hw = hw::defaultHwDesc();
  codegen::ConvLayer l = conv3x3();
  l.in = {1, 512, 64, 64, 8};
  l.out = {1, 512, 64, 64, 8};
  l.matrix.assign(size_t(l.out.c * l.cols()), 1);
  l.bias.assign(size_t(l.out.c), 0);
  l.multiplier.assign(size_t(l.out.c), 1 << 30);
  l.shift.assign(size_t(l.out.c), 32);
  codegen::Tile whole{64, 64, 512, 512, false, true};
  llvm::Expected<codegen::LayerCode> code = codegen::buildConv(
      l, whole, hw, {0, l.in.imageBytes()}, {0, l.out.imageBytes()}, {}, 0, 0);
  ASSERT_FALSE(bool(code));
  EXPECT_FALSE(llvm::toString(code.takeError()).empty());
}
} // namespace
