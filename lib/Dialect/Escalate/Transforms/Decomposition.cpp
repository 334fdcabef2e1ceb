//===- Decomposition.cpp - shared helpers of the decomposition passes -----===//
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Reference/Interpreter.h"
#include "escalate/Support/TensorFiles.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace escalate;

Value escalate::createConstant(OpBuilder &b, Operation *anchor, const Tensor &t,
                               ShapedType type, StringRef suffix) {
  return ConstantOp::create(
             b, anchor->getLoc(),
             attrFromTensor(t, type, layerName(anchor) + suffix.str()))
      .getResult();
}

void escalate::replaceOperand(OpOperand &operand, Value value) {
  Operation *old = operand.get().getDefiningOp();
  operand.set(value);
  if (old && old->use_empty())
    old->erase();
}

Tensor escalate::selectAlong(const Tensor &t, int64_t axis,
                             ArrayRef<int64_t> keep) {
  int64_t outer = product(t.shape().take_front(axis));
  int64_t inner = product(t.shape().drop_front(axis + 1));
  SmallVector<int64_t> shape(t.shape());
  shape[axis] = keep.size();
  Tensor out(t.dtype(), shape);
  int64_t n = keep.size(), d = t.dim(axis);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < n; ++j) {
      int64_t from = (o * d + keep[j]) * inner, to = (o * n + j) * inner;
      if (t.dtype() == DType::F32)
        std::copy_n(t.f32().begin() + from, inner, out.f32().begin() + to);
      else
        std::copy_n(t.i64().begin() + from, inner, out.i64().begin() + to);
    }
  return out;
}

void escalate::setCoefficients(DecomposedConvOp dec, const Tensor &bases,
                               const Tensor &coefs) {
  int64_t m = bases.dim(0),
          rows = coefs.numElements() / std::max<int64_t>(m, 1);
  SmallVector<int64_t> used;
  for (int64_t j = 0; j < m; ++j)
    for (int64_t r = 0; r < rows; ++r)
      if (coefs.f32()[r * m + j] != 0.0f) {
        used.push_back(j);
        break;
      }
  if (used.empty())
    used.push_back(0);
  OpBuilder b(dec);
  Type f32 = b.getF32Type();
  auto typeOf = [&](const Tensor &t) {
    return RankedTensorType::get(t.shape(), f32);
  };
  Tensor newCoefs = selectAlong(coefs, coefs.rank() - 1, used);
  replaceOperand(
      dec.getCoefficientsMutable(),
      createConstant(b, dec, newCoefs, typeOf(newCoefs), ".coefficients"));
  if (int64_t(used.size()) != m) {
    Tensor newBases = selectAlong(bases, 0, used);
    replaceOperand(
        dec.getBasesMutable(),
        createConstant(b, dec, newBases, typeOf(newBases), ".bases"));
  }
  dec->removeAttr(kEncodingAttr);
}

std::optional<std::string> escalate::activationFile(StringRef dir, Value v) {
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

/// One recorded run's input and output of `dec`, shapes checked up to the
/// batch.
static FailureOr<LayerActivations>
loadRun(DecomposedConvOp dec, StringRef dir, std::string &why) {
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

/// `parts` stacked along the batch (axis 0).
static Tensor concatBatch(ArrayRef<Tensor> parts) {
  SmallVector<int64_t, 4> shape(parts.front().shape());
  shape[0] = 0;
  for (const Tensor &t : parts)
    shape[0] += t.dim(0);
  Tensor out(DType::F32, shape);
  float *cursor = out.f32().data();
  for (const Tensor &t : parts)
    cursor = std::copy(t.f32().begin(), t.f32().end(), cursor);
  return out;
}

FailureOr<LayerActivations> escalate::loadActivations(DecomposedConvOp dec,
                                                      StringRef dir,
                                                      std::string &why) {
  // One run recorded in `dir` itself, or one per sub-folder.
  std::optional<std::string> direct = activationFile(dir, dec.getResult());
  if (direct && llvm::sys::fs::exists(*direct))
    return loadRun(dec, dir, why);
  std::vector<std::string> runs;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec))
    if (llvm::sys::fs::is_directory(it->path()))
      runs.push_back(it->path());
  if (ec || runs.empty())
    return loadRun(dec, dir, why); // names the missing file
  llvm::sort(runs);
  SmallVector<Tensor> inputs, outputs;
  for (const std::string &run : runs) {
    FailureOr<LayerActivations> one = loadRun(dec, run, why);
    if (failed(one)) {
      why = run + ": " + why;
      return failure();
    }
    inputs.push_back(std::move(one->input));
    outputs.push_back(std::move(one->output));
  }
  return LayerActivations{concatBatch(inputs), concatBatch(outputs)};
}
