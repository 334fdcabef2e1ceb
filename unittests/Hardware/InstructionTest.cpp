//===- InstructionTest.cpp - the ISA field table, encoder and decoder -----===//
#include "escalate/Hardware/Instruction.h"
#include "escalate/Hardware/Hardware.h"
#include "gtest/gtest.h"
#include <random>

using namespace escalate;

namespace {
/// Every opcode, with every field at random values inside its range,
/// encodes and decodes to itself.
TEST(Instruction, EncodeDecodeRoundTrip) {
  std::mt19937_64 rng(7);
  for (const isa::OpcodeDesc &d : isa::opcodeTable()) {
    for (int trial = 0; trial < 200; ++trial) {
      isa::Instruction inst;
      inst.opcode = d.opcode;
      for (auto [i, field] : llvm::enumerate(d.fields)) {
        int64_t hi =
            field.enumeration ? int64_t(field.numEnumerants()) - 1 : field.max();
        std::uniform_int_distribution<int64_t> pick(field.min(), hi);
        inst.f[i] = pick(rng);
      }
      ASSERT_FALSE(bool(isa::checkFields(inst))) << d.mnemonic;
      uint8_t word[isa::kWordBytes];
      isa::encode(inst, word);
      llvm::Expected<isa::Instruction> back = isa::decode(word);
      ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
      EXPECT_EQ(back->opcode, inst.opcode);
      EXPECT_EQ(back->f, inst.f) << d.mnemonic;
    }
  }
}

/// A field one past its width, and an enumeration one past its last name,
/// are refused by name.
TEST(Instruction, FieldRangesAreChecked) {
  const isa::OpcodeDesc &load = isa::describe(isa::Opcode::Load);
  isa::Instruction inst;
  inst.opcode = isa::Opcode::Load;
  inst.f[isa::load::W] = load.fields[isa::load::W].max() + 1;
  llvm::Error err = isa::checkFields(inst);
  ASSERT_TRUE(bool(err));
  EXPECT_NE(llvm::toString(std::move(err)).find("'w'"), std::string::npos);

  isa::Instruction conv;
  conv.opcode = isa::Opcode::Conv;
  conv.f[isa::conv::Format] = isa::describe(isa::Opcode::Conv)
                                  .fields[isa::conv::Format]
                                  .numEnumerants();
  EXPECT_TRUE(bool(isa::checkFields(conv))) << "format past its enumerants";
  llvm::consumeError(isa::checkFields(conv));
}

/// Unknown opcodes and nonzero bits past the last field do not decode.
TEST(Instruction, DecoderRejectsWhatTheEncoderNeverWrites) {
  uint8_t word[isa::kWordBytes] = {};
  word[0] = 14; // between Host (8) and Halt (15): unassigned
  llvm::Expected<isa::Instruction> bad = isa::decode(word);
  EXPECT_FALSE(bool(bad));
  llvm::consumeError(bad.takeError());

  isa::Instruction halt;
  halt.opcode = isa::Opcode::Halt;
  isa::encode(halt, word);
  word[isa::kWordBytes - 1] = 0x80;
  llvm::Expected<isa::Instruction> padded = isa::decode(word);
  EXPECT_FALSE(bool(padded));
  llvm::consumeError(padded.takeError());
}

/// The built-in description parses back from its canonical JSON to the same
/// description; unknown keys are errors.
TEST(Hardware, CanonicalJsonRoundTrips) {
  const hw::HwDesc &def = hw::defaultHwDesc();
  llvm::Expected<hw::HwDesc> again = hw::parseHwDesc(def.canonicalJson);
  ASSERT_TRUE(bool(again)) << llvm::toString(again.takeError());
  EXPECT_EQ(again->canonicalJson, def.canonicalJson);
  EXPECT_EQ(again->name, def.name);
  EXPECT_EQ(again->dramBurst, def.dramBurst);

  std::string typo = def.canonicalJson;
  typo.insert(1, "\"clock_mhzz\":1,");
  llvm::Expected<hw::HwDesc> bad = hw::parseHwDesc(typo);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("clock_mhzz"),
            std::string::npos);
}

/// coef_engine.channel_groups came after binaries were written: a
/// description without it (as older binaries embed) loads with one group,
/// and a value that is not a power of two is refused.
TEST(Hardware, ChannelGroupsAreOptional) {
  const hw::HwDesc &def = hw::defaultHwDesc();
  EXPECT_EQ(def.coefChannelGroups, 8u);
  std::string without = def.canonicalJson;
  size_t at = without.find("\"channel_groups\":8,");
  ASSERT_NE(at, std::string::npos) << def.canonicalJson;
  without.erase(at, std::string("\"channel_groups\":8,").size());
  llvm::Expected<hw::HwDesc> old = hw::parseHwDesc(without);
  ASSERT_TRUE(bool(old)) << llvm::toString(old.takeError());
  EXPECT_EQ(old->coefChannelGroups, 1u);
  std::string three = def.canonicalJson;
  three.replace(at, std::string("\"channel_groups\":8").size(),
                "\"channel_groups\":3");
  llvm::Expected<hw::HwDesc> bad = hw::parseHwDesc(three);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("power of two"),
            std::string::npos);
}
} // namespace
