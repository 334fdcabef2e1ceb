//===- Simulator.cpp - issue, scoreboard and statistics -------------------===//
//
// Instructions issue in order, at most one per cycle, each to its unit(s).
// An instruction waits for (1) its units to be free, (2) every earlier
// instruction still in flight whose byte ranges conflict with its own (read
// after write, write after read, write after write), and (3) in-flight
// instructions of other units using the same SRAM bank. Functional results
// are computed in program order, which the scoreboard makes equivalent to
// the overlapped execution it times.
//
//===----------------------------------------------------------------------===//
#include "Machine.h"
#include "Memory.h"
#include "escalate/Support/Progress.h"
#include "llvm/Support/FormatVariadic.h"
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <set>

using namespace escalate;
using namespace escalate::sim;
using namespace escalate::isa;

llvm::StringRef sim::unitName(Unit u) {
  static const char *names[kNumUnits] = {"dma", "basis", "coef", "ppu", "host"};
  return names[unsigned(u)];
}

llvm::StringRef sim::energyName(EnergyKind k) {
  static const char *names[kNumEnergyKinds] = {"mac", "buffer", "dram", "ppu",
                                               "host"};
  return names[unsigned(k)];
}

void Counters::add(const Counters &o) {
  instructions += o.instructions;
  basisMacs += o.basisMacs;
  coefMacs += o.coefMacs;
  skippedMacs += o.skippedMacs;
  denseMacs += o.denseMacs;
  ppuElements += o.ppuElements;
  usefulCoefMacs += o.usefulCoefMacs;
  basisBound += o.basisBound;
  coefBound += o.coefBound;
  hostElements += o.hostElements;
  dramRead += o.dramRead;
  dramWrite += o.dramWrite;
  dramBurstBytes += o.dramBurstBytes;
  for (unsigned i = 0; i < hw::kNumBuffers; ++i) {
    bufRead[i] += o.bufRead[i];
    bufWrite[i] += o.bufWrite[i];
  }
  for (unsigned i = 0; i < kNumUnits; ++i)
    busy[i] += o.busy[i];
  for (unsigned i = 0; i < kNumEnergyKinds; ++i)
    energyPj[i] += o.energyPj[i];
}

double Counters::energy() const {
  double e = 0;
  for (double v : energyPj)
    e += v;
  return e;
}

Machine::Machine(const Program &p) : program(p), hw(p.hw), dram(p.dramBytes) {
  for (unsigned i = 0; i < hw::kNumBuffers; ++i)
    buffers[i].assign(hw.buffers[i].bytes, 0);
  for (const Segment &s : p.segments)
    std::memcpy(dram.data() + s.dram, s.data.data(), s.data.size());
}

void Machine::parallelFor(uint64_t n, uint64_t work,
                          llvm::function_ref<void(uint64_t, uint64_t)> body) {
  // Waking a thread costs tens of microseconds (more in a VM); below about
  // a millisecond of work per thread it does not pay.
  constexpr uint64_t kWorkPerThread = uint64_t(1) << 23;
  uint64_t parts = pool ? std::min<uint64_t>({pool->getMaxConcurrency(), n,
                                              work / kWorkPerThread})
                        : 1;
  if (parts <= 1) {
    body(0, n);
    return;
  }
  llvm::ThreadPoolTaskGroup group(*pool);
  for (uint64_t i = 0; i < parts; ++i)
    group.async([=] { body(n * i / parts, n * (i + 1) / parts); });
  group.wait();
}

struct Simulator::Impl {
  Machine machine;
  Options options;
  Stats stats;

  struct Live {
    Space space;
    uint64_t lo, hi, end;
    bool write;
    uint8_t units;
  };
  std::vector<Live> live;
  uint64_t unitFree[kNumUnits] = {};
  DmaTimeline dma;
  uint64_t nextIssue = 0;

  std::optional<llvm::DefaultThreadPool> pool;

  Impl(const Program &p, Options o) : machine(p), options(o), dma(p.hw) {
    if (o.threads != 1) {
      pool.emplace(llvm::hardware_concurrency(o.threads));
      machine.pool = &*pool;
    }
  }

  llvm::Error failAt(uint64_t pc, const llvm::Twine &msg) {
    return llvm::createStringError(machine.program.where(pc) + ": " + msg);
  }

  /// Places one instruction on the timeline; returns its start and end.
  std::pair<uint64_t, uint64_t> schedule(uint64_t pc, const Instruction &inst, const Step &step) {
    const hw::HwDesc &hw = machine.hw;
    llvm::SmallVector<Access, 6> acc = accesses(inst, hw, step.coefBytes);
    if (inst.opcode == Opcode::Host) {
      const HostOp &op = machine.program.hostOps[inst[host::Index]];
      for (const TensorDesc &in : op.inputs)
        acc.push_back({Space::Dram, in.dram, in.dram + in.bytes(), false});
      acc.push_back({Space::Dram, op.output.dram,
                     op.output.dram + op.output.bytes(), true});
    }
    bool isDma = inst.opcode == Opcode::Load || inst.opcode == Opcode::Store;
    uint64_t t = nextIssue;
    for (unsigned u = 0; u < kNumUnits; ++u)
      if (step.unitMask & (1u << u))
        t = std::max(t, isDma ? dma.channelFree() : unitFree[u]);
    uint64_t afterUnits = t, afterHazards = t;
    for (const Access &a : acc)
      for (const Live &l : live) {
        if (l.space != a.space)
          continue;
        if ((a.write || l.write) && a.lo < l.hi && l.lo < a.hi)
          afterHazards = std::max(afterHazards, l.end);
      }
    uint64_t afterBanks = afterHazards;
    for (const Access &a : acc) {
      if (a.space == Space::Dram || a.lo == a.hi)
        continue;
      uint64_t bank = hw.buffer(hw::Buffer(a.space)).bankBytes();
      for (const Live &l : live)
        if (l.space == a.space && !(l.units & step.unitMask) &&
            a.lo / bank <= (l.hi - 1) / bank &&
            l.lo / bank <= (a.hi - 1) / bank)
          afterBanks = std::max(afterBanks, l.end);
    }
    stats.unitStalls += afterUnits - nextIssue;
    stats.hazardStalls += afterHazards - afterUnits;
    stats.bankStalls += afterBanks - afterHazards;
    t = afterBanks;
    uint64_t end = isDma ? dma.place(t, step.dma).end : t + step.duration;
    for (unsigned u = 0; u < kNumUnits; ++u)
      if (step.unitMask & (1u << u)) {
        if (!isDma)
          unitFree[u] = end;
        if (options.recordTrace)
          stats.trace.push_back({pc, t, end, Unit(u)});
      }
    // Nothing that ended by this issue cycle can delay a later one.
    llvm::erase_if(live, [&](const Live &l) { return l.end <= t; });
    for (const Access &a : acc)
      if (a.lo < a.hi)
        live.push_back({a.space, a.lo, a.hi, end, a.write, step.unitMask});
    nextIssue = t + 1;
    stats.cycles = std::max(stats.cycles, end);
    return {t, end};
  }

  /// Where each act-buffer write began, by address: which fill of a conv's
  /// input tile the conv reads.
  std::map<uint64_t, uint64_t> actWrittenAt;
  /// Per layer, the (input fill, conv geometry) keys whose stage-1 maps the
  /// basis engine has already produced.
  using MapsKey = std::array<int64_t, 13>;
  std::map<int64_t, std::set<MapsKey>> mapsDone;

  void noteActWrites(uint64_t pc, const Instruction &inst) {
    for (const Access &a : accesses(inst, machine.hw))
      if (a.write && a.space == Space::Act)
        actWrittenAt[a.lo] = pc;
  }

  /// A conv that convolves the same fill of the same input tile with the
  /// same bases as an earlier one of its layer (another output-channel
  /// group) recomputes maps: the roofline does not count them again.
  bool recomputesMaps(const Instruction &inst, int64_t layer) {
    using namespace conv;
    auto fill = actWrittenAt.find(uint64_t(inst[Input]));
    MapsKey key = {fill == actWrittenAt.end() ? -1 : int64_t(fill->second),
                   inst[Input],     inst[InC],       inst[InH],
                   inst[InW],       inst[Basis],     inst[Mode],
                   inst[KernelH],   inst[KernelW],   inst[StrideH],
                   inst[StrideW],   inst[DilationH], inst[DilationW]};
    return !mapsDone[layer].insert(key).second;
  }

  llvm::Error run() {
    const Program &p = machine.program;
    const hw::HwDesc &hw = machine.hw;
    // Layers: the debug ranges, plus one for instructions outside them.
    std::vector<int64_t> layerOf(p.code.size(), -1);
    for (const DebugRange &r : p.debug) {
      LayerStats l;
      l.name = r.name;
      l.firstPc = r.begin;
      l.lastPc = r.end - 1;
      l.start = UINT64_MAX;
      for (uint64_t pc = r.begin; pc < r.end; ++pc)
        layerOf[pc] = stats.layers.size();
      stats.layers.push_back(l);
    }
    int64_t rest = -1;
    size_t debugLayers = p.debug.size();
    for (uint64_t pc = 0; pc < p.code.size(); ++pc) {
      const Instruction &inst = p.code[pc];
      // A tool showing progress learns of each layer as it starts.
      if (layerOf[pc] >= 0 && p.debug[layerOf[pc]].begin == pc)
        reportProgress("escalate-sim", size_t(layerOf[pc]), debugLayers,
                       p.debug[layerOf[pc]].name);
      Step step;
      llvm::Error err = llvm::Error::success();
      switch (inst.opcode) {
      case Opcode::Load:
      case Opcode::Store:
        err = executeDma(machine, inst, step);
        break;
      case Opcode::Conv:
        err = executeConv(machine, inst, step);
        break;
      case Opcode::Requant:
      case Opcode::Lut:
      case Opcode::Pool:
      case Opcode::Eltwise:
        err = executePpu(machine, inst, step);
        break;
      case Opcode::Host:
        err = executeHost(machine, inst, step);
        break;
      case Opcode::Halt:
        break;
      }
      if (err)
        return failAt(pc, llvm::toString(std::move(err)));
      Counters &c = step.counts;
      c.instructions = 1;
      if (inst.opcode == Opcode::Conv && recomputesMaps(inst, layerOf[pc]))
        c.basisBound = 0;
      noteActWrites(pc, inst);
      for (unsigned b = 0; b < hw::kNumBuffers; ++b)
        c.energyPj[unsigned(EnergyKind::Buffer)] +=
            (c.bufRead[b] + c.bufWrite[b]) * hw.buffers[b].pjPerByte;
      int64_t li = layerOf[pc];
      if (li < 0) {
        if (rest < 0) {
          rest = stats.layers.size();
          LayerStats l;
          l.name = "(outside any layer)";
          l.firstPc = pc;
          l.start = UINT64_MAX;
          stats.layers.push_back(l);
        }
        li = rest;
        stats.layers[li].lastPc = pc;
      }
      LayerStats &layer = stats.layers[li];
      layer.counts.add(c);
      stats.total.add(c);
      if (options.functionalOnly || inst.opcode == Opcode::Halt)
        continue;
      auto [start, end] = schedule(pc, inst, step);
      layer.start = std::min(layer.start, start);
      layer.end = std::max(layer.end, end);
      if (stats.cycles > options.maxCycles)
        return failAt(pc, llvm::formatv("the run passes --max-cycles={0} "
                                        "(cycle {1})",
                                        options.maxCycles, stats.cycles));
    }
    for (LayerStats &l : stats.layers) {
      if (l.start == UINT64_MAX)
        l.start = l.end = 0;
      const Counters &c = l.counts;
      uint64_t dram = c.dramBurstBytes
                          ? hw.dramLatency +
                                ceilDiv(c.dramBurstBytes, hw.dramBytesPerCycle)
                          : 0;
      l.roofline = std::max({uint64_t(std::ceil(c.basisBound)),
                             uint64_t(std::ceil(c.coefBound)),
                             ceilDiv(c.ppuElements, hw.ppuLanes), dram});
    }
    return llvm::Error::success();
  }
};

Simulator::Simulator(const Program &program, Options options)
    : impl(std::make_unique<Impl>(program, options)) {}
Simulator::~Simulator() = default;

llvm::Error Simulator::setInput(size_t index, llvm::ArrayRef<int64_t> values) {
  const TensorDesc &t = impl->machine.program.inputs[index];
  if (values.size() != t.numElements())
    return llvm::createStringError(
        llvm::formatv("input '{0}' needs {1} elements, got {2}", t.name,
                      t.numElements(), values.size()));
  int64_t lo = -(int64_t(1) << (t.bits - 1)), hi = -lo - 1;
  uint8_t *base = impl->machine.dram.data() + t.dram;
  for (auto [i, v] : llvm::enumerate(values)) {
    if (v < lo || v > hi)
      return llvm::createStringError(
          llvm::formatv("input '{0}' element {1} = {2} does not fit {3} bits",
                        t.name, i, v, t.bits));
    storeElem(base, i, t.bits, v);
  }
  return llvm::Error::success();
}

llvm::Error Simulator::run() { return impl->run(); }

std::vector<int64_t> Simulator::output(size_t index) const {
  const TensorDesc &t = impl->machine.program.outputs[index];
  std::vector<int64_t> out(t.numElements());
  const uint8_t *base = impl->machine.dram.data() + t.dram;
  for (uint64_t i = 0; i < out.size(); ++i)
    out[i] = loadElem(base, i, t.bits);
  return out;
}

const Stats &Simulator::stats() const { return impl->stats; }
