//===- Decomposition.cpp - shared helpers of the decomposition passes -----===//
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace escalate;

FailureOr<Tensor> escalate::constantValue(Value v) {
  ElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return failure();
  return tensorFromAttr(attr);
}

std::string escalate::layerName(Operation *op) {
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    return name.getName().str();
  return op->getName().stripDialect().str();
}

Value escalate::createConstant(OpBuilder &b, Operation *anchor, const Tensor &t,
                               ShapedType type, StringRef suffix) {
  return ConstantOp::create(
             b, anchor->getLoc(),
             attrFromTensor(t, type, layerName(anchor) + suffix.str()))
      .getResult();
}

LogicalResult escalate::writeJsonFile(Location loc, StringRef path,
                                      llvm::json::Value value) {
  std::string error;
  auto file = openOutputFile(path, &error);
  if (!file) {
    emitError(loc) << "cannot write " << path << ": " << error;
    return failure();
  }
  file->os() << llvm::formatv("{0:2}", value) << "\n";
  file->keep();
  return success();
}
