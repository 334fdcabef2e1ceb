//===- Hardware.cpp - parse and validate the hardware description ---------===//
#include "escalate/Hardware/Hardware.h"
#include "escalate/Support/Nesting.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include <algorithm>
#include <cmath>

using namespace escalate::hw;
using llvm::StringRef;
namespace json = llvm::json;

StringRef escalate::hw::bufferName(Buffer b) {
  static const char *names[kNumBuffers] = {"act", "basis", "coef", "stream",
                                           "accum"};
  return names[static_cast<unsigned>(b)];
}

namespace {
/// Walks one JSON object, remembering the first error with its key path and
/// which keys were consumed, so leftovers can be reported as unknown.
class Reader {
public:
  Reader(const json::Object &obj, std::string path, std::string &error)
      : obj(obj), path(std::move(path)), error(error) {}

  const json::Value *get(StringRef key) {
    seen.push_back(key.str());
    const json::Value *v = obj.get(key);
    if (!v)
      fail(key, "is missing");
    return v;
  }
  uint64_t integer(StringRef key, uint64_t lo, uint64_t hi) {
    const json::Value *v = get(key);
    if (!v)
      return lo;
    std::optional<int64_t> i = v->getAsInteger();
    if (!i || *i < 0 || uint64_t(*i) < lo || uint64_t(*i) > hi) {
      fail(key, llvm::formatv("must be an integer in [{0}, {1}]", lo, hi));
      return lo;
    }
    return uint64_t(*i);
  }
  /// A key added after binaries were written: `dflt` when absent, so
  /// older descriptions (and the ones older binaries embed) still load.
  uint64_t optionalPowerOfTwo(StringRef key, uint64_t hi, uint64_t dflt) {
    return obj.get(key) ? powerOfTwo(key, hi) : dflt;
  }
  uint64_t powerOfTwo(StringRef key, uint64_t hi) {
    uint64_t v = integer(key, 1, hi);
    if (v & (v - 1))
      fail(key, "must be a power of two");
    return v;
  }
  double number(StringRef key, double lo, double hi) {
    const json::Value *v = get(key);
    if (!v)
      return lo;
    std::optional<double> d = v->getAsNumber();
    if (!d || !std::isfinite(*d) || *d < lo || *d > hi) {
      fail(key, llvm::formatv("must be a number in [{0}, {1}]", lo, hi));
      return lo;
    }
    return *d;
  }
  std::optional<Reader> object(StringRef key) {
    const json::Value *v = get(key);
    if (!v)
      return std::nullopt;
    const json::Object *o = v->getAsObject();
    if (!o) {
      fail(key, "must be an object");
      return std::nullopt;
    }
    return Reader(*o, path + "." + key.str(), error);
  }
  /// A list of bit widths, each one of `allowed`.
  llvm::SmallVector<unsigned, 4> widths(StringRef key,
                                        llvm::ArrayRef<unsigned> allowed) {
    llvm::SmallVector<unsigned, 4> out;
    const json::Value *v = get(key);
    if (!v)
      return out;
    const json::Array *a = v->getAsArray();
    if (!a || a->empty()) {
      fail(key, "must be a non-empty array of bit widths");
      return out;
    }
    for (const json::Value &e : *a) {
      std::optional<int64_t> i = e.getAsInteger();
      if (!i || !llvm::is_contained(allowed, unsigned(*i))) {
        std::string list;
        for (unsigned w : allowed)
          list += (list.empty() ? "" : ", ") + std::to_string(w);
        fail(key, "entries must be among " + list);
        return out;
      }
      out.push_back(unsigned(*i));
    }
    return out;
  }
  std::string str(StringRef key) {
    const json::Value *v = get(key);
    if (!v)
      return {};
    std::optional<StringRef> s = v->getAsString();
    if (!s) {
      fail(key, "must be a string");
      return {};
    }
    return s->str();
  }
  /// Reports keys nobody asked for.
  void finish() {
    for (const auto &kv : obj) {
      StringRef key = kv.first;
      if (!key.starts_with("_") && !llvm::is_contained(seen, key.str()))
        fail(key, "is not a known key");
    }
  }
  void fail(StringRef key, const llvm::Twine &msg) {
    if (error.empty())
      error = (path + "." + key + " " + msg).str();
  }

private:
  const json::Object &obj;
  std::string path;
  std::string &error;
  std::vector<std::string> seen;
};
} // namespace

llvm::Expected<HwDesc> escalate::hw::parseHwDesc(StringRef text) {
  llvm::Expected<json::Value> parsed = parseJson(text);
  if (!parsed)
    return llvm::createStringError("hardware description is not valid JSON: " +
                                   llvm::toString(parsed.takeError()));
  const json::Object *root = parsed->getAsObject();
  if (!root)
    return llvm::createStringError(
        "hardware description must be a JSON object");
  std::string error;
  HwDesc hw;
  Reader r(*root, "hw", error);
  hw.name = r.str("name");
  hw.clockMhz = r.number("clock_mhz", 1, 100000);
  if (auto d = r.object("dram")) {
    hw.dramCapacity = d->integer("capacity_bytes", 1, uint64_t(1) << 40);
    hw.dramBytesPerCycle = d->powerOfTwo("bytes_per_cycle", 4096);
    hw.dramLatency = d->integer("latency_cycles", 0, 1000000);
    hw.dramBurst = d->powerOfTwo("burst_bytes", 4096);
    hw.dmaChannels = d->integer("dma_channels", 1, 64);
    hw.dmaOutstanding = d->integer("outstanding_requests", 1, 4096);
    d->finish();
  }
  if (auto b = r.object("basis_engine")) {
    hw.basisLanesM = b->integer("lanes_m", 1, 1024);
    hw.basisLanesP = b->integer("lanes_p", 1, 4096);
    hw.basisPipeline = b->integer("pipeline_cycles", 0, 1000);
    b->finish();
  }
  if (auto c = r.object("coef_engine")) {
    hw.coefLanesO = c->integer("lanes_o", 1, 1024);
    hw.coefLanesP = c->integer("lanes_p", 1, 4096);
    hw.coefPipeline = c->integer("pipeline_cycles", 0, 1000);
    hw.coefChannelGroups = c->optionalPowerOfTwo("channel_groups", 4096, 1);
    if (hw.coefChannelGroups > hw.coefLanesP)
      c->fail("channel_groups", "must not exceed lanes_p");
    c->finish();
  }
  if (auto p = r.object("ppu")) {
    hw.ppuLanes = p->integer("lanes", 1, 4096);
    hw.ppuPipeline = p->integer("pipeline_cycles", 0, 1000);
    p->finish();
  }
  if (auto h = r.object("host")) {
    hw.hostInstructionsPerElement =
        h->integer("instructions_per_element", 1, 1000000);
    h->finish();
  }
  if (auto bufs = r.object("buffers")) {
    for (unsigned i = 0; i < kNumBuffers; ++i) {
      StringRef name = bufferName(Buffer(i));
      if (auto b = bufs->object(name)) {
        // SRAM addresses are 24-bit instruction fields.
        hw.buffers[i].bytes = b->integer("bytes", 1, uint64_t(1) << 24);
        hw.buffers[i].banks = b->powerOfTwo("banks", 1024);
        if (hw.buffers[i].bytes % hw.buffers[i].banks)
          b->fail("banks", "must divide bytes");
        b->finish();
      }
    }
    bufs->finish();
  }
  if (auto w = r.object("bit_widths")) {
    hw.actBits = w->widths("act", {8, 16});
    hw.basisBits = w->widths("basis", {4, 8, 16});
    hw.coefBits = w->widths("coef", {4, 8, 16});
    hw.accumBits = w->integer("accumulator", 16, 32);
    hw.streamBits = w->integer("stream", 16, 32);
    w->finish();
  }
  if (auto e = r.object("energy_pj")) {
    hw.multPjPerBit2 = e->number("mult_per_bit2", 0, 1e6);
    hw.add32Pj = e->number("add32", 0, 1e6);
    hw.ppuElementPj = e->number("ppu_element", 0, 1e6);
    hw.dramBytePj = e->number("dram_byte", 0, 1e6);
    hw.hostInstructionPj = e->number("host_instruction", 0, 1e6);
    if (auto bb = e->object("buffer_byte")) {
      for (unsigned i = 0; i < kNumBuffers; ++i)
        hw.buffers[i].pjPerByte = bb->number(bufferName(Buffer(i)), 0, 1e6);
      bb->finish();
    }
    e->finish();
  }
  if (auto a = r.object("area_um2")) {
    hw.multUm2PerBit2 = a->number("mult_per_bit2", 0, 1e6);
    hw.add32Um2 = a->number("add32", 0, 1e9);
    hw.ppuLaneUm2 = a->number("ppu_lane", 0, 1e9);
    hw.sramByteUm2 = a->number("sram_byte", 0, 1e6);
    a->finish();
  }
  r.finish();
  if (!error.empty())
    return llvm::createStringError("hardware description: " + error);
  hw.canonicalJson = llvm::formatv("{0}", json::Value(std::move(*parsed)));
  return hw;
}

double Area::sram() const {
  double s = 0;
  for (double b : buffers)
    s += b;
  return s;
}

Area escalate::hw::area(const HwDesc &hw) {
  auto widest = [](llvm::ArrayRef<unsigned> widths) {
    return widths.empty() ? 0u : *std::max_element(widths.begin(), widths.end());
  };
  auto mac = [&](unsigned a, unsigned b) {
    return hw.multUm2PerBit2 * a * b + hw.add32Um2;
  };
  Area out;
  out.basisEngine = double(hw.basisLanesM * hw.basisLanesP) *
                    mac(widest(hw.actBits), widest(hw.basisBits));
  out.coefEngine =
      double(hw.coefLanesO * hw.coefLanesP) * mac(widest(hw.coefBits), hw.streamBits);
  out.ppu = double(hw.ppuLanes) * hw.ppuLaneUm2;
  for (unsigned i = 0; i < kNumBuffers; ++i)
    out.buffers[i] = double(hw.buffers[i].bytes) * hw.sramByteUm2;
  return out;
}

llvm::Expected<HwDesc> escalate::hw::loadHwDesc(StringRef path) {
  auto buf = llvm::MemoryBuffer::getFile(path);
  if (!buf)
    return llvm::createStringError("cannot read hardware description '" + path +
                                   "': " + buf.getError().message());
  llvm::Expected<HwDesc> hw = parseHwDesc((*buf)->getBuffer());
  if (!hw)
    return llvm::createStringError(path + ": " +
                                   llvm::toString(hw.takeError()));
  return hw;
}

const HwDesc &escalate::hw::defaultHwDesc() {
  static const HwDesc hw = [] {
    static const char text[] =
#include "HwDefault.inc"
        ;
    llvm::Expected<HwDesc> parsed = parseHwDesc(text);
    // The build embeds a file our tests parse; failure here is a build bug.
    if (!parsed)
      llvm::report_fatal_error(llvm::Twine("built-in ") +
                               llvm::toString(parsed.takeError()));
    return std::move(*parsed);
  }();
  return hw;
}
