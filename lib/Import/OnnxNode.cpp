//===- OnnxNode.cpp - per-node import helpers -----------------------------===//
#include "ImporterImpl.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace escalate;
using namespace escalate::onnx_import;

InFlightDiagnostic NodeImporter::error() {
  why = ImportFailure::Invalid;
  InFlightDiagnostic diag = emitError(loc);
  // A nameless node is called what its location calls it (its first
  // output), as every later message about its layer does.
  StringRef name = node.name();
  if (auto named = dyn_cast<NameLoc>(loc); named && name.empty())
    name = named.getName().strref();
  diag << "node '" << name << "' (" << node.op_type() << ", #" << index
       << "): ";
  return diag;
}

InFlightDiagnostic NodeImporter::unsupported() {
  InFlightDiagnostic diag = error();
  why = ImportFailure::Unsupported;
  return diag;
}

LogicalResult NodeImporter::checkArity(size_t lo, size_t hi,
                                       size_t maxOutputs) {
  size_t n = node.input_size();
  if (n < lo || n > hi) {
    error() << "expects " << lo << " to " << hi << " inputs, got " << n;
    return failure();
  }
  for (size_t i = 0; i < lo; ++i)
    if (!inputs[i]) {
      error() << "input #" << i << " is required but its name is empty";
      return failure();
    }
  for (int i = maxOutputs; i < node.output_size(); ++i)
    if (!node.output(i).empty()) {
      unsupported() << "output #" << i << " ('" << node.output(i)
                    << "') is not supported in inference";
      return failure();
    }
  return success();
}

const onnx::AttributeProto *NodeImporter::attr(StringRef name) const {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeImporter::getInt(StringRef name, int64_t dflt) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->i() : dflt;
}

float NodeImporter::getFloat(StringRef name, float dflt) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->f() : dflt;
}

std::string NodeImporter::getString(StringRef name, StringRef dflt) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->s() : dflt.str();
}

std::optional<SmallVector<int64_t>>
NodeImporter::getInts(StringRef name) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return std::nullopt;
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

FailureOr<Tensor> NodeImporter::constInput(size_t i, StringRef what) {
  ElementsAttr attr;
  Value v = input(i);
  if (!v || !matchPattern(v, m_Constant(&attr))) {
    unsupported() << what << " (input #" << i
                  << ") must be a compile-time constant";
    return failure();
  }
  FailureOr<Tensor> t = tensorFromAttr(attr);
  if (failed(t))
    error() << what << " (input #" << i << ") has an unsupported encoding";
  return t;
}

FailureOr<SmallVector<int64_t>> NodeImporter::constInts(size_t i,
                                                        StringRef what) {
  FailureOr<Tensor> t = constInput(i, what);
  if (failed(t))
    return failure();
  if (t->dtype() != DType::I64) {
    error() << what << " (input #" << i << ") must be an INT64 tensor";
    return failure();
  }
  return SmallVector<int64_t>(t->i64().begin(), t->i64().end());
}

FailureOr<float> NodeImporter::constScalar(size_t i, StringRef what) {
  FailureOr<Tensor> t = constInput(i, what);
  if (failed(t))
    return failure();
  if (t->numElements() != 1) {
    error() << what << " (input #" << i << ") must be a scalar";
    return failure();
  }
  return t->dtype() == DType::F32 ? t->f32()[0]
                                  : static_cast<float>(t->i64()[0]);
}

Value NodeImporter::finish(Operation *op) {
  // Fold as we go, so static Shape -> Gather -> Concat chains become
  // constants before the Reshape that consumes them needs its target shape.
  SmallVector<Value, 1> folded;
  if (succeeded(b.tryFold(op, folded)) && !folded.empty()) {
    op->erase();
    return folded.front();
  }
  // Shape arithmetic is small; weight-sized folding is left to canonicalize.
  constexpr int64_t kImportFoldLimit = 4096;
  FailureOr<SmallVector<ElementsAttr>> attrs =
      foldByEvaluation(op, kImportFoldLimit);
  if (succeeded(attrs)) {
    op->erase();
    return ConstantOp::create(b, loc, attrs->front()).getResult();
  }
  return op->getResult(0);
}
