//===- Machine.h - simulator state shared by the execution units -*- C++
//-*-===//
#ifndef ESCALATE_SIM_MACHINE_H
#define ESCALATE_SIM_MACHINE_H

#include "escalate/Hardware/Timing.h"
#include "escalate/Sim/Simulator.h"
#include "llvm/Support/ThreadPool.h"
#include <memory>
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
  /// What conv instructions keep between them (Conv.cpp).
  std::shared_ptr<struct ConvState> conv;
  /// Threads for the work inside an instruction (Options::threads); none
  /// when it runs on the calling thread alone.
  llvm::ThreadPoolInterface *pool = nullptr;

  /// Calls body(lo, hi) on contiguous ranges covering [0, n): on the pool's
  /// threads when there is one and `work` (multiply-adds, say) repays
  /// waking them, else at once.
  void parallelFor(uint64_t n, uint64_t work,
                   llvm::function_ref<void(uint64_t, uint64_t)> body);

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
