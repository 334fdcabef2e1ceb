//===- BinaryTest.cpp - the .escb container's integrity -------------------===//
#include "escalate/Hardware/Binary.h"
#include "gtest/gtest.h"

using namespace escalate;

namespace {
isa::Instruction transfer(isa::Opcode op, int64_t dram) {
  isa::Instruction inst;
  inst.opcode = op;
  using namespace isa::load; // store shares buf .. stride_h
  inst.f[Buf] = int64_t(hw::Buffer::Act);
  inst.f[Dram] = dram;
  inst.f[C] = 1;
  inst.f[H] = 4;
  inst.f[W] = 4;
  inst.f[StrideC] = 16;
  inst.f[StrideH] = 4;
  inst.f[op == isa::Opcode::Load ? unsigned(ElemBytes)
                                 : unsigned(isa::store::ElemBytes)] = 1;
  return inst;
}

/// A small valid program touching every section: tensors, a constant
/// segment, code, a debug range, the embedded hardware description.
isa::Program copyProgram() {
  isa::Program p;
  p.hw = hw::defaultHwDesc();
  p.dramBytes = 1024;
  p.inputs.push_back({"x", 0, {1, 1, 4, 4}, 8, 0.5, -3});
  p.outputs.push_back({"y", 64, {1, 1, 4, 4}, 8, 0.5, -3});
  p.segments.push_back({"c", 512, std::string("\x01\x02\x03\x04", 4)});
  p.code.push_back(transfer(isa::Opcode::Load, 0));
  p.code.push_back(transfer(isa::Opcode::Store, 64));
  p.code.push_back(isa::Instruction{});
  p.debug.push_back({0, 2, "copy"});
  return p;
}
} // namespace

TEST(Binary, RoundTrips) {
  llvm::Expected<std::string> bytes = isa::writeBinary(copyProgram());
  ASSERT_TRUE(bool(bytes)) << llvm::toString(bytes.takeError());
  llvm::Expected<isa::Program> back = isa::readBinary(*bytes, 1 << 20);
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->code.size(), 3u);
  EXPECT_EQ(back->debug[0].name, "copy");
}

/// Every single-byte change of a binary is rejected: flipping all bits, or
/// only the lowest, of any one byte.
TEST(Binary, EveryByteFlipIsRejected) {
  llvm::Expected<std::string> bytes = isa::writeBinary(copyProgram());
  ASSERT_TRUE(bool(bytes)) << llvm::toString(bytes.takeError());
  for (uint8_t mask : {uint8_t(0xff), uint8_t(0x01)})
    for (size_t i = 0; i < bytes->size(); ++i) {
      std::string damaged = *bytes;
      damaged[i] = char(uint8_t(damaged[i]) ^ mask);
      llvm::Expected<isa::Program> p = isa::readBinary(damaged, 1 << 20);
      EXPECT_FALSE(bool(p)) << "byte " << i << " ^ " << int(mask)
                            << " of " << bytes->size() << " was accepted";
      if (!p)
        llvm::consumeError(p.takeError());
    }
}
