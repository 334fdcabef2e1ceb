//===- CalibrationTable.cpp - the plain-text calibration table ------------===//
//
//   # escalate calibration table: method=kl bits=8 samples=16
//   # tensor min max
//   input -2.1179 2.64
//   /layer1/conv1/Conv 0 7.93
//
// One line per tensor: its name (which may contain spaces), then the range.
// '#' starts a comment line. Users may edit ranges and reuse the table.
//
//===----------------------------------------------------------------------===//
#include "escalate/Quantization/Calibration.h"
#include "escalate/Support/TensorFiles.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include <cmath>

using namespace escalate;
using namespace escalate::calib;

static constexpr llvm::StringLiteral kHeader = "# escalate calibration table:";

void Table::print(llvm::raw_ostream &os) const {
  os << kHeader << " " << provenance << "\n"
     << "# tensor min max\n";
  for (const auto &[name, r] : ranges)
    os << name << " " << llvm::format("%.9g", r.min) << " "
       << llvm::format("%.9g", r.max) << "\n";
}

llvm::Error Table::save(llvm::StringRef path) const {
  return writeFileAtomically(path, [&](llvm::raw_ostream &os) { print(os); });
}

llvm::Expected<Table> Table::parse(llvm::StringRef text, llvm::StringRef path) {
  Table table;
  unsigned lineNo = 0;
  for (llvm::StringRef line : llvm::split(text, '\n')) {
    ++lineNo;
    line = line.trim();
    if (line.consume_front(kHeader)) {
      table.provenance = line.trim().str();
      continue;
    }
    if (line.empty() || line.starts_with("#"))
      continue;
    auto bad = [&](const llvm::Twine &why) {
      return llvm::createStringError(path + ":" + llvm::Twine(lineNo) + ": " +
                                     why);
    };
    auto [rest, maxText] = line.rsplit(' ');
    auto [name, minText] = rest.rtrim().rsplit(' ');
    name = name.rtrim();
    double lo, hi;
    if (name.empty() || minText.empty() || maxText.empty())
      return bad("expected '<tensor> <min> <max>'");
    if (!llvm::to_float(minText, lo) || !llvm::to_float(maxText, hi) ||
        !std::isfinite(lo) || !std::isfinite(hi))
      return bad("'" + minText + " " + maxText + "' is not a finite range");
    if (lo > hi)
      return bad("min " + minText + " exceeds max " + maxText);
    if (table.ranges.count(name.str()))
      return bad("tensor '" + name + "' is listed twice");
    table.ranges[name.str()] = {lo, hi};
  }
  return table;
}

llvm::Expected<Table> Table::load(llvm::StringRef path) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!file)
    return llvm::createStringError(path + ": " + file.getError().message());
  return parse((*file)->getBuffer(), path);
}
