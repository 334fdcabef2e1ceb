//===- Simulator.h - instruction-level ESCALATE simulator -------*- C++ -*-===//
//
// Executes a validated program instruction by instruction: integer-exact
// functional semantics (docs/isa.md) plus a timing model of in-order issue
// to decoupled units with an address-range scoreboard, and event counts for
// energy. The timing model is documented in docs/isa.md, "Timing".
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_SIM_SIMULATOR_H
#define ESCALATE_SIM_SIMULATOR_H

#include "escalate/Hardware/Binary.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>

namespace escalate::sim {

/// Execution units, each with its own issue slot.
enum class Unit : uint8_t { Dma, Basis, Coef, Ppu, Host };
constexpr unsigned kNumUnits = 5;
llvm::StringRef unitName(Unit u);

enum class EnergyKind : uint8_t { Mac, Buffer, Dram, Ppu, Host };
constexpr unsigned kNumEnergyKinds = 5;
llvm::StringRef energyName(EnergyKind k);

/// Event counts, for one instruction, one layer or the program.
struct Counters {
  uint64_t instructions = 0;
  uint64_t basisMacs = 0, coefMacs = 0, skippedMacs = 0, denseMacs = 0;
  uint64_t ppuElements = 0, hostElements = 0;
  /// Coefficient MACs with a nonzero coefficient (stored zeros and delta
  /// padding excluded).
  uint64_t usefulCoefMacs = 0;
  /// Lower bounds on the engines' cycles (the roofline's terms): the basis
  /// engine's work without recomputed maps, at its lane granularity in the
  /// bases (or window taps); the coefficient engine's nonzero work, at its
  /// lane granularity per column; both at the pixel rate.
  double basisBound = 0, coefBound = 0;
  /// Payload bytes, and the bytes of the bursts that carried them.
  uint64_t dramRead = 0, dramWrite = 0, dramBurstBytes = 0;
  uint64_t bufRead[hw::kNumBuffers] = {}, bufWrite[hw::kNumBuffers] = {};
  uint64_t busy[kNumUnits] = {};
  double energyPj[kNumEnergyKinds] = {};
  void add(const Counters &o);
  uint64_t macs() const { return basisMacs + coefMacs; }
  double energy() const;
};

struct LayerStats {
  std::string name;
  uint64_t firstPc = 0, lastPc = 0;
  uint64_t start = 0, end = 0;
  Counters counts;
  /// The roofline: max over units of their bound (Counters::basisBound,
  /// coefBound, PPU elements / lanes, DRAM bursts / bandwidth after one
  /// latency).
  uint64_t roofline = 0;
};

struct TraceEvent {
  uint64_t pc, start, end;
  Unit unit;
};

struct Stats {
  uint64_t cycles = 0;
  uint64_t hazardStalls = 0, bankStalls = 0, unitStalls = 0;
  Counters total;
  std::vector<LayerStats> layers;
  std::vector<TraceEvent> trace;
};

struct Options {
  bool functionalOnly = false;
  bool recordTrace = false;
  uint64_t maxCycles = uint64_t(1) << 40;
  /// Host threads for the arithmetic inside an instruction (0: all cores).
  /// Outputs, cycles and every counter are the same for any count.
  unsigned threads = 1;
};

class Simulator {
public:
  Simulator(const isa::Program &program, Options options);
  ~Simulator();

  /// Writes input `index` (row-major integers already in the tensor's
  /// storage range) into DRAM.
  llvm::Error setInput(size_t index, llvm::ArrayRef<int64_t> values);
  /// Runs to the halt. Errors name the PC, the instruction and the layer.
  llvm::Error run();
  /// Output `index`, as integers.
  std::vector<int64_t> output(size_t index) const;
  const Stats &stats() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

/// Stats as JSON (`--stats`), the per-layer table, and Chrome trace events.
void writeStatsJson(const isa::Program &program, const Stats &stats,
                    llvm::raw_ostream &os);
void printStatsTable(const isa::Program &program, const Stats &stats,
                     llvm::raw_ostream &os);
void writeTraceJson(const isa::Program &program, const Stats &stats,
                    llvm::raw_ostream &os);

} // namespace escalate::sim

#endif
