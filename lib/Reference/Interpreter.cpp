//===- Interpreter.cpp - float32 reference execution ----------------------===//
#include "escalate/Reference/Interpreter.h"
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "llvm/ADT/DenseMap.h"

using namespace mlir;
using namespace escalate;

namespace {
std::string nameAttr(DictionaryAttr attrs, StringRef fallback, unsigned i) {
  if (attrs)
    if (auto name = attrs.getAs<StringAttr>("escalate.name"))
      return name.str();
  return (fallback + Twine(i)).str();
}

bool matches(const Tensor &t, RankedTensorType type) {
  bool floatType = type.getElementType().isF32();
  return t.shape() == type.getShape() && (t.dtype() == DType::F32) == floatType;
}

std::string describe(RankedTensorType type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  for (int64_t d : type.getShape())
    os << d << "x";
  os << type.getElementType();
  return s;
}
} // namespace

std::string escalate::argumentName(func::FuncOp func, unsigned i) {
  return nameAttr(func.getArgAttrDict(i), "input", i);
}

std::string escalate::resultName(func::FuncOp func, unsigned i) {
  return nameAttr(func.getResultAttrDict(i), "output", i);
}

/// Bytes of a static tensor type, or nullopt if the count overflows.
static std::optional<uint64_t> tensorBytes(RankedTensorType type) {
  uint64_t bytes = type.getElementType().isF32() ? 4 : 8;
  for (int64_t d : type.getShape()) {
    if (d < 0 || (d && bytes > UINT64_MAX / uint64_t(d)))
      return std::nullopt;
    bytes *= d;
  }
  return bytes;
}

FailureOr<SmallVector<Tensor>>
escalate::interpret(func::FuncOp func, ArrayRef<Tensor> inputs,
                    const InterpretOptions &options) {
  // Errors go to the function's location without attaching the op, which
  // would print the whole model.
  Location loc = func.getLoc();
  if (!func.getBody().hasOneBlock()) {
    emitError(loc, "the reference interpreter needs a single-block function");
    return failure();
  }
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto ranked = dyn_cast<RankedTensorType>(type);
    Type elt = ranked ? ranked.getElementType() : Type();
    if (!ranked || !ranked.hasStaticShape() ||
        !(elt.isF32() || elt.isInteger(64))) {
      emitError(loc) << "argument #" << i << " has type " << type
                     << "; the interpreter takes statically shaped f32 or "
                        "i64 tensors";
      return failure();
    }
  }
  if (inputs.size() != func.getNumArguments()) {
    emitError(loc) << "the model has " << func.getNumArguments()
                   << " inputs but " << inputs.size() << " were given";
    return failure();
  }
  // Values are dropped after their last user runs, bounding peak memory to
  // the live activations rather than every intermediate of the network.
  DenseMap<Value, Tensor> env;
  DenseMap<Value, unsigned> remainingUses;
  auto track = [&](Value v) {
    remainingUses[v] = std::distance(v.use_begin(), v.use_end());
  };
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    auto type = cast<RankedTensorType>(arg.getType());
    if (!matches(inputs[i], type)) {
      emitError(loc) << "input #" << i << " ('" << argumentName(func, i)
                     << "') is " << inputs[i].describe()
                     << " but the model expects " << describe(type);
      return failure();
    }
    env[arg] = inputs[i];
    track(arg);
  }
  auto release = [&](Operation *op) {
    for (Value v : op->getOperands())
      if (--remainingUses[v] == 0)
        env.erase(v);
  };

  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      SmallVector<Tensor> outputs;
      for (Value v : ret.getOperands())
        outputs.push_back(env.lookup(v));
      return outputs;
    }
    auto evaluable = dyn_cast<EvaluateOpInterface>(op);
    if (!evaluable) {
      op.emitError("the reference interpreter cannot execute this op");
      return failure();
    }
    for (Type t : op.getResultTypes()) {
      std::optional<uint64_t> bytes = tensorBytes(cast<RankedTensorType>(t));
      if (!bytes || *bytes > options.maxTensorBytes) {
        op.emitError() << "result " << t << " needs more than the "
                       << options.maxTensorBytes
                       << "-byte tensor limit (raise it with "
                          "--max-tensor-bytes)";
        return failure();
      }
    }
    SmallVector<const Tensor *> operands;
    for (Value v : op.getOperands())
      operands.push_back(&env[v]);
    SmallVector<Tensor> results;
    if (failed(evaluable.evaluate(operands, results)))
      return failure();
    if (options.observe && failed(options.observe(&op, results)))
      return failure();
    release(&op);
    for (auto [value, tensor] : llvm::zip(op.getResults(), results)) {
      env[value] = std::move(tensor);
      track(value);
    }
  }
  emitError(loc, "function has no return");
  return failure();
}
