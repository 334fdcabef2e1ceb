//===- Host.cpp - ops the accelerator lacks, run on the host model -------===//
//
// The host is a CPU: it dequantizes, computes in double precision and
// requantizes (round half to even). It is reported apart from the
// accelerator, whose path stays integer.
//
//===----------------------------------------------------------------------===//
#include "Machine.h"
#include "Memory.h"

using namespace escalate;
using namespace escalate::sim;
using namespace escalate::isa;

llvm::Error sim::executeHost(Machine &m, const Instruction &inst, Step &step) {
  const HostOp &op = m.program.hostOps[inst[host::Index]];
  const TensorDesc &in = op.input, &out = op.output;
  int64_t rank = in.shape.size();
  int64_t axis = op.axis < 0 ? op.axis + rank : op.axis;
  uint64_t outer = 1, len = in.shape[axis], inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= in.shape[d];
  for (int64_t d = axis + 1; d < rank; ++d)
    inner *= in.shape[d];
  const uint8_t *src = m.dram.data() + in.dram;
  uint8_t *dst = m.dram.data() + out.dram;
  std::vector<int64_t> row(len), result(len);
  std::vector<double> scratch(len);
  for (uint64_t o = 0; o < outer; ++o)
    for (uint64_t i = 0; i < inner; ++i) {
      for (uint64_t k = 0; k < len; ++k)
        row[k] = loadElem(src, (o * len + k) * inner + i, in.bits);
      fixed::softmaxRow(row, in.scale, in.zeroPoint, out.scale, out.zeroPoint,
                        out.bits, result, scratch);
      for (uint64_t k = 0; k < len; ++k)
        storeElem(dst, (o * len + k) * inner + i, out.bits, result[k]);
    }
  uint64_t n = in.numElements();
  step.counts.hostElements = n;
  step.counts.dramRead = in.bytes();
  step.counts.dramWrite = out.bytes();
  uint64_t instructions = hostCycles(m.hw, n);
  step.counts.energyPj[unsigned(EnergyKind::Host)] =
      instructions * m.hw.hostInstructionPj;
  step.unitMask = 1u << unsigned(Unit::Host);
  step.duration = instructions;
  step.counts.busy[unsigned(Unit::Host)] = instructions;
  return llvm::Error::success();
}
