//===- HardwareSpace.cpp - hardware descriptions for a co-search ----------===//
#include "escalate/Search/HardwareSpace.h"
#include "escalate/Support/Nesting.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include <random>
#include <set>

using namespace escalate;
using namespace escalate::search;
using llvm::StringRef;
namespace json = llvm::json;

namespace {
/// Enumerating more points than this needs "sample": each point is a whole
/// search.
constexpr uint64_t kMaxEnumerated = 4096;

/// Sets the dotted `key` of `root`, which must hold it already: a space
/// changes the base description's values, so a misspelt key is an error
/// and not a space of invalid points (an optional key the base leaves out
/// must be added to the base first).
llvm::Error set(json::Value &root, StringRef key, const json::Value &value) {
  llvm::SmallVector<StringRef, 4> parts;
  key.split(parts, '.');
  json::Object *obj = root.getAsObject();
  for (StringRef part : llvm::ArrayRef(parts).drop_back()) {
    json::Value *next = obj->get(part);
    obj = next ? next->getAsObject() : nullptr;
    if (!obj)
      return llvm::createStringError("'" + key +
                                     "' is not a key of the base hardware "
                                     "description ('" +
                                     part + "' is not one of its objects)");
  }
  json::Value *slot = obj->get(parts.back());
  if (!slot)
    return llvm::createStringError("'" + key +
                                   "' is not a key of the base hardware "
                                   "description");
  *slot = value;
  return llvm::Error::success();
}

/// A setting's value as a reader wants it: 0.884, not 0.88400000000000001.
std::string print(const json::Value &v) {
  if (std::optional<StringRef> s = v.getAsString())
    return s->str();
  if (!v.getAsInteger())
    if (std::optional<double> d = v.getAsNumber())
      return llvm::formatv("{0}", llvm::format("%.6g", *d)).str();
  return llvm::formatv("{0}", v).str();
}
} // namespace

/// A dimension's values: each a scalar (or array) for the key the dimension
/// is named after, or an object of dotted keys set together.
llvm::Expected<HardwareSpace::Dimension>
HardwareSpace::readDimension(StringRef name, const json::Value &list) {
  Dimension d{name.str(), {}};
  const json::Array *values = list.getAsArray();
  if (!values || values->empty())
    return llvm::createStringError("dimension '" + name +
                                   "' must be a non-empty array of values");
  for (const json::Value &v : *values) {
    Setting s;
    if (const json::Object *o = v.getAsObject()) {
      for (const auto &[key, value] : *o)
        s.push_back({key.str(), value});
      llvm::sort(
          s, [](const auto &a, const auto &b) { return a.first < b.first; });
    } else {
      s.push_back({name.str(), v});
    }
    if (s.empty())
      return llvm::createStringError("dimension '" + name +
                                     "' has an empty setting");
    // An SRAM's energy per access follows its bank size (docs/isa.md); a
    // point that resizes a buffer and keeps the old figure would be costed
    // as another SRAM.
    for (const auto &[key, value] : s) {
      StringRef rest = key;
      if (!rest.consume_front("buffers."))
        continue;
      StringRef buffer = rest.split('.').first;
      std::string energy = ("energy_pj.buffer_byte." + buffer).str();
      if (!llvm::any_of(s, [&](const auto &kv) { return kv.first == energy; }))
        return llvm::createStringError(
            "dimension '" + name + "': a setting of " + key +
            " must also set " + energy +
            " (an SRAM's energy per byte depends on its bank size; "
            "docs/search.md, \"Hardware co-search\")");
    }
    d.values.push_back(std::move(s));
  }
  return d;
}

llvm::Expected<HardwareSpace> HardwareSpace::load(StringRef path,
                                                  const hw::HwDesc &base) {
  auto fail = [&](const llvm::Twine &msg) {
    return llvm::createStringError(path + ": " + msg);
  };
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return fail("cannot read: " + buffer.getError().message());
  llvm::Expected<json::Value> parsed = parseJson((*buffer)->getBuffer());
  if (!parsed)
    return fail("not valid JSON: " + llvm::toString(parsed.takeError()));
  const json::Object *root = parsed->getAsObject();
  if (!root)
    return fail("a hardware space must be a JSON object");
  HardwareSpace space;
  space.path = path.str();
  space.baseName = base.name;
  for (const auto &[objectKey, value] : *root) {
    StringRef key = objectKey;
    if (key.starts_with("_"))
      continue;
    if (key == "sample" || key == "seed") {
      std::optional<int64_t> n = value.getAsInteger();
      if (!n || *n < (key == "sample" ? 1 : 0))
        return fail("\"" + key + "\" must be a " +
                    (key == "sample" ? "positive" : "non-negative") +
                    " integer");
      (key == "sample" ? space.sample : space.seed) = uint64_t(*n);
      continue;
    }
    if (key != "dimensions")
      return fail("'" + key +
                  "' is not a key of a hardware space (dimensions, sample, "
                  "seed; '_' starts a comment)");
    const json::Object *list = value.getAsObject();
    if (!list)
      return fail("\"dimensions\" must be an object of named value lists");
    for (const auto &[name, values] : *list) {
      llvm::Expected<Dimension> d = readDimension(name, values);
      if (!d)
        return fail(llvm::toString(d.takeError()));
      space.dims.push_back(std::move(*d));
    }
  }
  if (space.dims.empty())
    return fail("no \"dimensions\": nothing to search");
  llvm::sort(space.dims, [](const Dimension &a, const Dimension &b) {
    return a.name < b.name;
  });
  for (const Dimension &d : space.dims) {
    if (space.size > (uint64_t(1) << 40) / d.values.size())
      return fail("the space is too large to enumerate");
    space.size *= d.values.size();
  }
  if (space.enumeratesAll() && space.size > kMaxEnumerated)
    return fail(llvm::formatv("the space has {0} points, more than the {1} a "
                              "co-search enumerates; give \"sample\": N to "
                              "start from a seeded random N of them",
                              space.size, kMaxEnumerated));
  llvm::Expected<json::Value> baseJson = parseJson(base.canonicalJson);
  if (!baseJson)
    return fail("the base description: " +
                llvm::toString(baseJson.takeError()));
  space.baseJson = std::move(*baseJson);
  // Every key a dimension sets must exist in the base: checked once here.
  for (const Dimension &d : space.dims)
    for (const Setting &s : d.values)
      for (const auto &[key, value] : s) {
        json::Value probe = space.baseJson;
        if (llvm::Error e = set(probe, key, value))
          return fail("dimension '" + d.name +
                      "': " + llvm::toString(std::move(e)));
      }
  return space;
}

std::vector<size_t> HardwareSpace::digits(uint64_t index) const {
  std::vector<size_t> out(dims.size());
  for (size_t d = dims.size(); d-- > 0;) {
    out[d] = index % dims[d].values.size();
    index /= dims[d].values.size();
  }
  return out;
}

uint64_t HardwareSpace::indexOf(const std::vector<size_t> &digits) const {
  uint64_t index = 0;
  for (size_t d = 0; d < dims.size(); ++d)
    index = index * dims[d].values.size() + digits[d];
  return index;
}

llvm::Expected<HardwarePoint> HardwareSpace::make(std::string id,
                                                  std::string settings,
                                                  json::Value desc) const {
  std::string text = llvm::formatv("{0:2}", desc).str() + "\n";
  llvm::Expected<hw::HwDesc> parsed = hw::parseHwDesc(text);
  if (!parsed)
    return llvm::createStringError(id + " (" + settings +
                                   "): " + llvm::toString(parsed.takeError()));
  HardwarePoint p{std::move(id), std::move(settings), std::move(text),
                  std::move(*parsed), 0};
  p.areaMm2 = hw::area(p.desc).total() * 1e-6;
  return p;
}

llvm::Expected<HardwarePoint> HardwareSpace::reference() const {
  return make("reference", "", baseJson);
}

llvm::Expected<HardwarePoint> HardwareSpace::point(uint64_t index) const {
  json::Value desc = baseJson;
  std::string settings;
  std::vector<size_t> choice = digits(index);
  for (size_t d = 0; d < dims.size(); ++d)
    for (const auto &[key, value] : dims[d].values[choice[d]]) {
      // load() tried every key on the base.
      llvm::consumeError(set(desc, key, value));
      settings += (settings.empty() ? "" : ", ") + key + "=" + print(value);
    }
  std::string id = "p" + std::to_string(index);
  json::Object &obj = *desc.getAsObject();
  obj["name"] = baseName + "-" + id;
  obj["_cosearch"] = "point " + id + " of a hardware co-search: '" + baseName +
                     "' with " + settings +
                     " (the other comments describe the base)";
  return make(std::move(id), std::move(settings), std::move(desc));
}

std::vector<uint64_t> HardwareSpace::initialPoints() const {
  std::vector<uint64_t> out;
  if (enumeratesAll()) {
    for (uint64_t i = 0; i < size; ++i)
      out.push_back(i);
    return out;
  }
  // A fixed seed: the same space gives the same points.
  std::mt19937_64 rng(seed);
  std::set<uint64_t> chosen;
  while (chosen.size() < sample)
    chosen.insert(rng() % size);
  return std::vector<uint64_t>(chosen.begin(), chosen.end());
}

std::vector<uint64_t> HardwareSpace::neighbours(uint64_t index) const {
  std::vector<uint64_t> out;
  std::vector<size_t> choice = digits(index);
  for (size_t d = 0; d < dims.size(); ++d)
    for (size_t v = 0; v < dims[d].values.size(); ++v)
      if (v != choice[d]) {
        std::vector<size_t> other = choice;
        other[d] = v;
        out.push_back(indexOf(other));
      }
  return out;
}
