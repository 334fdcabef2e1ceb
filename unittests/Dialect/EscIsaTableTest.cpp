//===- EscIsaTableTest.cpp - escisa ops match the ISA field table ---------===//
//
// The instruction ops are generated from Instructions.def; these tests pin
// what the generator and the hand-written syntax must keep true: one op per
// opcode with the fields as attributes, enumerated fields typed, and text
// that parses back to the same instruction.
//
//===----------------------------------------------------------------------===//
#include "escalate/Dialect/EscIsa/IR/EscIsaOps.h"
#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

using namespace escalate;

TEST(EscIsaTable, OneOpPerOpcodeWithEveryField) {
  mlir::MLIRContext ctx;
  ctx.loadDialect<escisa::EscIsaDialect>();
  for (const isa::OpcodeDesc &d : isa::opcodeTable()) {
    std::string name = "escisa." + std::string(d.mnemonic);
    std::optional<mlir::RegisteredOperationName> op =
        mlir::RegisteredOperationName::lookup(name, &ctx);
    ASSERT_TRUE(op.has_value()) << name;
    llvm::ArrayRef<mlir::StringAttr> attrs = op->getAttributeNames();
    for (const isa::FieldDesc &f : d.fields)
      EXPECT_TRUE(llvm::any_of(attrs, [&](mlir::StringAttr a) {
        return a.getValue() == f.name;
      })) << name << " lacks field " << f.name;
  }
}

TEST(EscIsaTable, BufferKeywordsAreTheHardwareBuffers) {
  const isa::FieldDesc &buf = isa::describe(isa::Opcode::Load).fields[0];
  ASSERT_NE(buf.enumeration, nullptr);
  for (unsigned i = 0; i < hw::kNumBuffers; ++i)
    EXPECT_EQ(llvm::StringRef(buf.enumeration->keywords[i]),
              hw::bufferName(hw::Buffer(i)));
}

TEST(EscIsaTable, TypedEnumsMatchTheTable) {
  // The ODS enumerations are the table's, value for value.
  EXPECT_EQ(escisa::stringifyConvMode(escisa::ConvMode::ModeWindow), "window");
  EXPECT_EQ(int64_t(escisa::CoefFormat::FormatDelta), isa::conv::FormatDelta);
  EXPECT_EQ(int64_t(escisa::Broadcast::Scalar), isa::eltwise::Scalar);
  EXPECT_EQ(escisa::symbolizeHostKind("softmax"), escisa::HostKind::Softmax);
  EXPECT_EQ(escisa::symbolizeHostKind("matmul"), escisa::HostKind::MatMul);
  EXPECT_EQ(escisa::symbolizeHostKind("gemm"), escisa::HostKind::Gemm);
  EXPECT_EQ(isa::hostKinds().keywords.size(), size_t(isa::host::ReduceMin) + 1);
}
