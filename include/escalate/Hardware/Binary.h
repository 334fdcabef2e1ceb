//===- Binary.h - the .escb program container -------------------*- C++ -*-===//
//
// A program as the simulator loads it: hardware description, tensor
// descriptors, constant segments, code, host ops and debug ranges. The
// on-disk form is the protobuf schema lib/Hardware/escb.proto
// (docs/binary-format.md).
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_HARDWARE_BINARY_H
#define ESCALATE_HARDWARE_BINARY_H

#include "escalate/Hardware/Hardware.h"
#include "escalate/Hardware/Instruction.h"
#include <string>
#include <vector>

namespace escalate::isa {

constexpr uint32_t kBinaryMagic = 0x42435345; // "ESCB"
constexpr uint32_t kBinaryVersion = 3;

struct TensorDesc {
  std::string name;
  uint64_t dram = 0;
  llvm::SmallVector<int64_t, 4> shape;
  unsigned bits = 8;
  double scale = 0;
  int64_t zeroPoint = 0;
  uint64_t numElements() const;
  uint64_t bytes() const { return numElements() * (bits / 8); }
};

struct Segment {
  std::string name;
  uint64_t dram = 0;
  std::string data;
};

struct DebugRange {
  uint64_t begin = 0, end = 0;
  std::string name;
};

/// An op the host core runs (docs/isa.md, "Host ops"): it dequantizes its
/// inputs, computes `kind` in single precision as the float reference does,
/// and requantizes the output. An input with scale 0 holds IEEE-754 binary32
/// values (a float constant). `ints` and `reals` are the kind's parameters.
struct HostOp {
  std::string kind;
  std::vector<TensorDesc> inputs;
  TensorDesc output;
  int64_t axis = -1;
  std::vector<int64_t> ints;
  std::vector<double> reals;
};

struct Program {
  hw::HwDesc hw;
  uint64_t dramBytes = 0;
  std::vector<TensorDesc> inputs, outputs;
  std::vector<Segment> segments;
  std::vector<Instruction> code;
  std::vector<DebugRange> debug;
  std::vector<HostOp> hostOps;

  /// The debug range holding instruction `pc`, if any.
  const DebugRange *layerOf(uint64_t pc) const;
  /// "instruction PC ('mnemonic') of layer 'name'", for messages.
  std::string where(uint64_t pc) const;
};

/// Every static rule: tensors, segments and host-op operands inside DRAM,
/// segments disjoint, every instruction valid for the hardware, debug ranges
/// sorted and disjoint, the last instruction a halt.
llvm::Error validateProgram(const Program &program);

/// Validates, then serializes deterministically.
llvm::Expected<std::string> writeBinary(const Program &program);

/// Parses and validates; `maxDramBytes` bounds the DRAM a binary may ask
/// the simulator to allocate.
llvm::Expected<Program> readBinary(llvm::StringRef bytes,
                                   uint64_t maxDramBytes);

} // namespace escalate::isa

#endif
