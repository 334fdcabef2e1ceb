//===- SimulatorFuzzer.cpp - the simulator on loader-valid random programs ===//
//
// An input that loads as a .escb binary (the seeds: compiled test models)
// runs as it is. Otherwise its 32-byte words become instructions of a
// program around one 4 KiB input tensor in 64 KiB of DRAM; words that do
// not decode or do not validate are dropped, so every program run is one
// the loader accepts. The run must end (halt, an error, or the cycle
// limit), never crash.
//
//===----------------------------------------------------------------------===//
#include "escalate/Hardware/Binary.h"
#include "escalate/Sim/Simulator.h"

using namespace escalate;

namespace {
void simulate(const isa::Program &p) {
  sim::Options options;
  options.maxCycles = 1 << 24;
  sim::Simulator simulator(p, options);
  if (llvm::Error err = simulator.run())
    llvm::consumeError(std::move(err));
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<isa::Program> loaded = isa::readBinary(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), 64 << 20);
  if (loaded) {
    simulate(*loaded);
    return 0;
  }
  llvm::consumeError(loaded.takeError());
  isa::Program p;
  p.hw = hw::defaultHwDesc();
  p.dramBytes = 64 << 10;
  isa::TensorDesc in;
  in.name = "x";
  in.shape = {4096};
  p.inputs.push_back(in);
  isa::ProgramShape shape{&p.hw, p.dramBytes, 0};
  for (size_t at = 0; at + isa::kWordBytes <= size && p.code.size() < 64;
       at += isa::kWordBytes) {
    llvm::Expected<isa::Instruction> inst = isa::decode(data + at);
    if (!inst) {
      llvm::consumeError(inst.takeError());
      continue;
    }
    if (inst->opcode == isa::Opcode::Halt || inst->opcode == isa::Opcode::Host)
      continue;
    if (llvm::Error err = isa::validate(*inst, shape)) {
      llvm::consumeError(std::move(err));
      continue;
    }
    p.code.push_back(*inst);
  }
  isa::Instruction halt;
  halt.opcode = isa::Opcode::Halt;
  p.code.push_back(halt);
  if (llvm::Error err = isa::validateProgram(p)) {
    llvm::consumeError(std::move(err));
    return 0;
  }
  simulate(p);
  return 0;
}
