//===- Report.cpp - stats JSON, the per-layer table, Chrome traces --------===//
#include "escalate/Sim/Simulator.h"
#include "llvm/Support/Format.h"
#include "escalate/Support/Tool.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

using namespace escalate;
using namespace escalate::sim;
using namespace escalate::isa;
namespace json = llvm::json;

namespace {
json::Object countersJson(const hw::HwDesc &hw, const Counters &c,
                          uint64_t cycles) {
  json::Object buffers;
  for (unsigned b = 0; b < hw::kNumBuffers; ++b)
    buffers[hw::bufferName(hw::Buffer(b))] = json::Object{
        {"read_bytes", c.bufRead[b]}, {"write_bytes", c.bufWrite[b]}};
  json::Object energy;
  for (unsigned k = 0; k < kNumEnergyKinds; ++k)
    energy[energyName(EnergyKind(k))] = c.energyPj[k];
  energy["total"] = c.energy();
  json::Object units;
  for (unsigned u = 0; u < kNumUnits; ++u)
    units[unitName(Unit(u))] = json::Object{
        {"busy_cycles", c.busy[u]},
        {"utilization", cycles ? double(c.busy[u]) / cycles : 0.0}};
  uint64_t peak =
      hw.basisLanesM * hw.basisLanesP + hw.coefLanesO * hw.coefLanesP;
  return json::Object{
      {"instructions", c.instructions},
      {"macs_issued", c.macs()},
      {"basis_macs", c.basisMacs},
      {"coef_macs", c.coefMacs},
      {"useful_coef_macs", c.usefulCoefMacs},
      {"macs_skipped", c.skippedMacs},
      {"dense_equivalent_macs", c.denseMacs},
      {"pe_utilization",
       cycles ? double(c.macs()) / (double(cycles) * peak) : 0.0},
      {"ppu_elements", c.ppuElements},
      {"host_elements", c.hostElements},
      {"dram_read_bytes", c.dramRead},
      {"dram_write_bytes", c.dramWrite},
      {"dram_burst_bytes", c.dramBurstBytes},
      {"buffers", std::move(buffers)},
      {"units", std::move(units)},
      {"energy_pj", std::move(energy)},
  };
}
} // namespace

void sim::writeStatsJson(const Program &p, const Stats &s,
                         llvm::raw_ostream &os) {
  json::Object total = countersJson(p.hw, s.total, s.cycles);
  total["cycles"] = s.cycles;
  total["time_us"] = s.cycles / p.hw.clockMhz;
  total["stall_cycles"] = json::Object{{"unit_busy", s.unitStalls},
                                       {"data_hazard", s.hazardStalls},
                                       {"bank_conflict", s.bankStalls}};
  json::Array layers;
  for (const LayerStats &l : s.layers) {
    uint64_t span = l.end - l.start;
    json::Object o = countersJson(p.hw, l.counts, span);
    o["name"] = l.name;
    o["first_pc"] = l.firstPc;
    o["last_pc"] = l.lastPc;
    o["start_cycle"] = l.start;
    o["end_cycle"] = l.end;
    o["cycles"] = span;
    o["roofline_cycles"] = l.roofline;
    o["roofline_efficiency"] = span ? double(l.roofline) / span : 0.0;
    layers.push_back(std::move(o));
  }
  hw::Area area = hw::area(p.hw);
  json::Object bufferArea;
  for (unsigned b = 0; b < hw::kNumBuffers; ++b)
    bufferArea[hw::bufferName(hw::Buffer(b))] = area.buffers[b] * 1e-6;
  // The peaks the roofline plot draws (python -m escalate.report).
  json::Object roofs{
      {"basis_macs_per_cycle", p.hw.basisLanesM * p.hw.basisLanesP},
      {"coef_macs_per_cycle", p.hw.coefLanesO * p.hw.coefLanesP},
      {"ppu_elements_per_cycle", p.hw.ppuLanes},
      {"dram_bytes_per_cycle", p.hw.dramBytesPerCycle}};
  json::Object root{{"hardware", p.hw.name},
                    {"clock_mhz", p.hw.clockMhz},
                    {"roofs", std::move(roofs)},
                    {"area_mm2", json::Object{
                                     {"basis_engine", area.basisEngine * 1e-6},
                                     {"coef_engine", area.coefEngine * 1e-6},
                                     {"ppu", area.ppu * 1e-6},
                                     {"buffers", std::move(bufferArea)},
                                     {"total", area.total() * 1e-6},
                                 }},
                    {"total", std::move(total)},
                    {"layers", std::move(layers)}};
  os << llvm::formatv("{0:2}", json::Value(std::move(root))) << "\n";
}

void sim::printStatsTable(const Program &p, const Stats &s,
                          llvm::raw_ostream &os) {
  // The name column fits the longest name up to 48 characters; longer ones
  // are elided in the middle, never cut silently.
  size_t width = 28;
  for (const LayerStats &l : s.layers)
    width = std::max(width, std::min<size_t>(l.name.size(), 48));
  std::string format = llvm::formatv("{{0,-{0}} {{1,12} {{2,12} {{3,7} "
                                     "{{4,14} {{5,14} {{6,12} {{7,12}\n",
                                     width);
  os << llvm::formatv(format.c_str(), "layer", "cycles", "roofline", "eff%",
                      "MACs issued", "MACs skipped", "DRAM bytes",
                      "energy uJ");
  auto row = [&](llvm::StringRef name, uint64_t cycles, uint64_t roof,
                 const Counters &c) {
    os << llvm::formatv(
        format.c_str(), tool::elideMiddle(name, width), cycles, roof,
        llvm::format("%.1f", cycles ? 100.0 * roof / cycles : 0.0), c.macs(),
        c.skippedMacs, c.dramRead + c.dramWrite,
        llvm::format("%.3f", c.energy() * 1e-6));
  };
  uint64_t roofSum = 0;
  for (const LayerStats &l : s.layers) {
    // Instructions outside any layer get a row only if they did anything.
    if (l.name == "(outside any layer)" && l.end == l.start &&
        !l.counts.macs() && !l.counts.dramRead && !l.counts.dramWrite)
      continue;
    row(l.name, l.end - l.start, l.roofline, l.counts);
    roofSum += l.roofline;
  }
  row("total", s.cycles, roofSum, s.total);
  os << llvm::formatv("{0} cycles = {1} us at {2} MHz; stalls: unit {3}, "
                      "hazard {4}, bank {5}; host {6} cycles\n",
                      s.cycles, llvm::format("%.3f", s.cycles / p.hw.clockMhz),
                      p.hw.clockMhz, s.unitStalls, s.hazardStalls, s.bankStalls,
                      s.total.busy[unsigned(Unit::Host)]);
  hw::Area area = hw::area(p.hw);
  os << llvm::formatv("area {0} mm^2: basis engine {1}, coefficient engine "
                      "{2}, PPU {3}, SRAM {4}\n",
                      llvm::format("%.3f", area.total() * 1e-6),
                      llvm::format("%.3f", area.basisEngine * 1e-6),
                      llvm::format("%.3f", area.coefEngine * 1e-6),
                      llvm::format("%.3f", area.ppu * 1e-6),
                      llvm::format("%.3f", area.sram() * 1e-6));
}

void sim::writeTraceJson(const Program &p, const Stats &s,
                         llvm::raw_ostream &os) {
  json::Array events;
  auto metadata = [&](llvm::StringRef what, unsigned tid,
                      llvm::StringRef name) {
    events.push_back(json::Object{{"name", what},
                                  {"ph", "M"},
                                  {"pid", 0},
                                  {"tid", tid},
                                  {"args", json::Object{{"name", name.str()}}}});
  };
  // One process named after the hardware; a track per unit, then one of
  // layer spans under them, so Perfetto shows layers at a glance.
  metadata("process_name", 0, "escalate-sim: " + p.hw.name);
  for (unsigned u = 0; u < kNumUnits; ++u) {
    metadata("thread_name", u, unitName(Unit(u)));
    events.push_back(json::Object{{"name", "thread_sort_index"},
                                  {"ph", "M"},
                                  {"pid", 0},
                                  {"tid", u},
                                  {"args", json::Object{{"sort_index", u + 1}}}});
  }
  const unsigned layerTrack = kNumUnits;
  metadata("thread_name", layerTrack, "layers");
  events.push_back(json::Object{{"name", "thread_sort_index"},
                                {"ph", "M"},
                                {"pid", 0},
                                {"tid", layerTrack},
                                {"args", json::Object{{"sort_index", 0}}}});
  double usPerCycle = 1.0 / p.hw.clockMhz;
  for (const LayerStats &l : s.layers) {
    if (l.end <= l.start)
      continue;
    events.push_back(json::Object{
        {"name", l.name},
        {"ph", "X"},
        {"pid", 0},
        {"tid", layerTrack},
        {"ts", l.start * usPerCycle},
        {"dur", (l.end - l.start) * usPerCycle},
        {"args", json::Object{{"cycles", l.end - l.start},
                              {"roofline_cycles", l.roofline},
                              {"macs", l.counts.macs()},
                              {"dram_bytes",
                               l.counts.dramRead + l.counts.dramWrite}}}});
  }
  for (const TraceEvent &e : s.trace) {
    json::Object args{
        {"pc", e.pc}, {"start_cycle", e.start}, {"cycles", e.end - e.start}};
    if (const DebugRange *r = p.layerOf(e.pc))
      args["layer"] = r->name;
    events.push_back(
        json::Object{{"name", describe(p.code[e.pc].opcode).mnemonic},
                     {"ph", "X"},
                     {"pid", 0},
                     {"tid", unsigned(e.unit)},
                     {"ts", e.start * usPerCycle},
                     {"dur", (e.end - e.start) * usPerCycle},
                     {"args", std::move(args)}});
  }
  os << llvm::formatv(
            "{0}", json::Value(json::Object{{"traceEvents", std::move(events)},
                                            {"displayTimeUnit", "ns"}}))
     << "\n";
}
