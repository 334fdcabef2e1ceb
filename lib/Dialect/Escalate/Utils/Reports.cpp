//===- Reports.cpp - what passes write about layers -----------------------===//
#include "escalate/Dialect/Escalate/Utils/Reports.h"
#include "escalate/Support/FileIO.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace escalate;

std::string escalate::layerName(Operation *op) {
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    return name.getName().str();
  return op->getName().stripDialect().str();
}

LogicalResult escalate::writeJsonFile(Location loc, StringRef path,
                                      llvm::json::Value value) {
  if (llvm::Error err = writeFileAtomically(path, [&](llvm::raw_ostream &os) {
        os << llvm::formatv("{0:2}", value) << "\n";
      })) {
    emitError(loc) << llvm::toString(std::move(err));
    return failure();
  }
  return success();
}
