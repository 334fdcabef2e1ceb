//===- Decomposition.cpp - shared helpers of the decomposition passes -----===//
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Reference/Interpreter.h"
#include "escalate/Reference/TensorIO.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace escalate;

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

/// The dump file of `v`: its producer's layer name, or the graph input's.
static std::optional<std::string> activationFile(StringRef dir, Value v) {
  std::string name;
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
    if (!func)
      return std::nullopt;
    name = argumentName(func, arg.getArgNumber());
  } else if (auto loc = dyn_cast<NameLoc>(v.getDefiningOp()->getLoc())) {
    name = loc.getName().str();
  } else {
    return std::nullopt;
  }
  SmallString<256> path(dir);
  llvm::sys::path::append(path, tensorFileName(name) + ".npy");
  return path.str().str();
}

FailureOr<LayerActivations> escalate::loadActivations(DecomposedConvOp dec,
                                                      StringRef dir,
                                                      std::string &why) {
  std::optional<std::string> inFile = activationFile(dir, dec.getInput());
  std::optional<std::string> outFile = activationFile(dir, dec.getResult());
  if (!inFile || !outFile) {
    why = "the layer or its input has no name";
    return failure();
  }
  llvm::Expected<Tensor> input = readTensorFile(*inFile);
  llvm::Expected<Tensor> output = readTensorFile(*outFile);
  if (!input || !output) {
    why = llvm::toString(input ? output.takeError() : input.takeError());
    if (!input)
      llvm::consumeError(output.takeError());
    return failure();
  }
  if (input->dtype() != DType::F32 || output->dtype() != DType::F32) {
    why = "recorded activations must be float32";
    return failure();
  }
  if (input->shape() != dec.getInput().getType().getShape() ||
      output->shape() != dec.getType().getShape()) {
    why = "recorded activations do not match the layer's shapes";
    return failure();
  }
  return LayerActivations{std::move(*input), std::move(*output)};
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
