//===- HardwareSpace.h - hardware descriptions for a co-search --*- C++ -*-===//
//
// A co-search (escalate-search --hw-space) tries hardware descriptions
// derived from one base description by a space file: named dimensions, each
// a list of settings of the description's keys (docs/search.md, "Hardware
// co-search"). Every point of the space is a complete description, parsed
// and validated like any other, with its silicon area.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_SEARCH_HARDWARESPACE_H
#define ESCALATE_SEARCH_HARDWARESPACE_H

#include "escalate/Hardware/Hardware.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include <string>
#include <vector>

namespace escalate::search {

/// One description of the space.
struct HardwarePoint {
  /// "reference" for the base description, else "p<k>" with k the point's
  /// index in the space's enumeration.
  std::string id;
  /// What the point sets, "key=value, ..." in dimension order ("" for the
  /// reference).
  std::string settings;
  /// The description, pretty-printed: what `desc` was parsed from.
  std::string json;
  hw::HwDesc desc;
  double areaMm2 = 0;
};

class HardwareSpace {
public:
  /// Reads the space file at `path` around `base`. Errors name the file and
  /// the dimension or key at fault.
  static llvm::Expected<HardwareSpace> load(llvm::StringRef path,
                                            const hw::HwDesc &base);

  /// The base description itself.
  llvm::Expected<HardwarePoint> reference() const;
  /// Point `index` of the enumeration (the last dimension varies fastest);
  /// an error if the description it makes is not valid.
  llvm::Expected<HardwarePoint> point(uint64_t index) const;
  /// The points a co-search starts from: all of them, or the space's
  /// "sample" of them drawn with its "seed", in enumeration order.
  std::vector<uint64_t> initialPoints() const;
  /// Whether initialPoints() is the whole space.
  bool enumeratesAll() const { return !sample || sample >= size; }
  /// The points that differ from `index` in exactly one dimension.
  std::vector<uint64_t> neighbours(uint64_t index) const;
  uint64_t points() const { return size; }

private:
  /// One value of a dimension: the keys it sets.
  using Setting = std::vector<std::pair<std::string, llvm::json::Value>>;
  struct Dimension {
    std::string name;
    std::vector<Setting> values;
  };
  static llvm::Expected<Dimension> readDimension(llvm::StringRef name,
                                                 const llvm::json::Value &list);
  /// The choice of each dimension at `index`.
  std::vector<size_t> digits(uint64_t index) const;
  uint64_t indexOf(const std::vector<size_t> &digits) const;
  llvm::Expected<HardwarePoint> make(std::string id, std::string settings,
                                     llvm::json::Value desc) const;

  std::string path;
  std::string baseName;
  llvm::json::Value baseJson = nullptr;
  std::vector<Dimension> dims;
  uint64_t size = 1, sample = 0, seed = 0;
};

} // namespace escalate::search

#endif
