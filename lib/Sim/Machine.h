//===- Machine.h - simulator state shared by the execution units -*- C++
//-*-===//
#ifndef ESCALATE_SIM_MACHINE_H
#define ESCALATE_SIM_MACHINE_H

#include "escalate/Hardware/Timing.h"
#include "escalate/Sim/Simulator.h"
#include <vector>

namespace escalate::sim {

/// What one instruction did, measured while executing it.
struct Step {
  Counters counts;
  /// Units held from issue to completion, and the cycles that takes.
  uint8_t unitMask = 0;
  uint64_t duration = 0;
  /// Encoded coefficient bytes read (conv with a sparse format).
  uint64_t coefBytes = 0;
  /// Load and store: the transfer's DRAM timing (the DMA timeline places
  /// it; `duration` is then only its length when nothing waits).
  isa::DmaTime dma;
};

struct Machine {
  const isa::Program &program;
  const hw::HwDesc &hw;
  std::vector<uint8_t> dram;
  std::vector<uint8_t> buffers[hw::kNumBuffers];

  explicit Machine(const isa::Program &p);
  uint8_t *buffer(hw::Buffer b, uint64_t addr) {
    return buffers[unsigned(b)].data() + addr;
  }
  uint64_t bufferBytes(hw::Buffer b) const { return hw.buffer(b).bytes; }
};

/// Functional execution plus the instruction's work and duration. Runtime
/// errors (bad encoded data, bad parameters) come back without the PC;
/// the caller adds it.
llvm::Error executeDma(Machine &m, const isa::Instruction &inst, Step &step);
llvm::Error executeConv(Machine &m, const isa::Instruction &inst, Step &step);
llvm::Error executePpu(Machine &m, const isa::Instruction &inst, Step &step);
llvm::Error executeHost(Machine &m, const isa::Instruction &inst, Step &step);

inline llvm::Error fail(const llvm::Twine &msg) {
  return llvm::createStringError(msg);
}

using isa::ceilDiv;

} // namespace escalate::sim

#endif
