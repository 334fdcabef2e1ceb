//===- ImporterImpl.h - state shared by the importer's parts ----*- C++ -*-===//
#ifndef ESCALATE_LIB_IMPORT_IMPORTERIMPL_H
#define ESCALATE_LIB_IMPORT_IMPORTERIMPL_H

#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Import/OnnxImporter.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "onnx.pb.h"
#include <optional>

namespace escalate::onnx_import {

/// Converts an initializer or Constant tensor to an elements attribute.
/// Large raw payloads are moved, not copied, into a resource blob; external
/// data is read relative to `modelDir`. Errors name the tensor; one of more
/// than `maxElements` elements is refused before its data is read.
llvm::FailureOr<mlir::ElementsAttr> convertTensor(onnx::TensorProto &tensor,
                                                  llvm::StringRef modelDir,
                                                  mlir::Location loc,
                                                  int64_t maxElements,
                                                  ImportFailure &why);

/// Maps an ONNX element type to ours, or null when unsupported.
mlir::Type convertElementType(int32_t onnxType, mlir::MLIRContext *ctx);
llvm::StringRef onnxTypeName(int32_t onnxType);

/// The per-node import context handed to op handlers.
class NodeImporter {
public:
  NodeImporter(mlir::OpBuilder &builder, const onnx::NodeProto &node,
               int64_t index, int64_t opset, mlir::Location loc,
               llvm::ArrayRef<mlir::Value> inputs, llvm::StringRef modelDir,
               int64_t maxTensorElements)
      : b(builder), node(node), index(index), opset(opset), loc(loc),
        inputs(inputs), modelDir(modelDir),
        maxTensorElements(maxTensorElements) {}

  mlir::OpBuilder &b;
  const onnx::NodeProto &node;
  int64_t index, opset;
  mlir::Location loc;
  /// One entry per node input; null for omitted optional inputs ("").
  llvm::ArrayRef<mlir::Value> inputs;
  llvm::StringRef modelDir;
  /// --max-tensor-elements, for a Constant node's tensor.
  int64_t maxTensorElements;
  /// The node's results, one per ONNX output in order (null if not made).
  llvm::SmallVector<mlir::Value, 2> results;
  ImportFailure why = ImportFailure::Invalid;

  /// An error prefixed with the node's identity.
  mlir::InFlightDiagnostic error();
  /// An error that marks the model as unsupported rather than malformed.
  mlir::InFlightDiagnostic unsupported();

  mlir::Value input(size_t i) const {
    return i < inputs.size() ? inputs[i] : mlir::Value();
  }
  /// Fails unless the node has between `lo` and `hi` inputs and no used
  /// output past `maxOutputs`.
  mlir::LogicalResult checkArity(size_t lo, size_t hi, size_t maxOutputs = 1);

  // Attribute access with ONNX defaults.
  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  int64_t getInt(llvm::StringRef name, int64_t dflt) const;
  float getFloat(llvm::StringRef name, float dflt) const;
  std::string getString(llvm::StringRef name, llvm::StringRef dflt) const;
  std::optional<llvm::SmallVector<int64_t>> getInts(llvm::StringRef name) const;

  /// The contents of a constant operand, as a tensor, integers or a float
  /// scalar; fails (with a message) when it is not a compile-time constant.
  mlir::FailureOr<Tensor> constInput(size_t i, llvm::StringRef what);
  mlir::FailureOr<llvm::SmallVector<int64_t>> constInts(size_t i,
                                                        llvm::StringRef what);
  mlir::FailureOr<float> constScalar(size_t i, llvm::StringRef what);

  /// Creates `OpTy` after inferring its result types, so a shape error is a
  /// diagnostic on this node and never the builder's fatal error; the op is
  /// folded when its operands are constants (static Shape chains).
  template <typename OpTy>
  mlir::FailureOr<mlir::Value>
  create(mlir::ValueRange operands, llvm::ArrayRef<mlir::NamedAttribute> attrs);
  /// Records `v` as output `i`.
  void setResult(size_t i, mlir::Value v) {
    if (results.size() <= i)
      results.resize(i + 1);
    results[i] = v;
  }

private:
  /// Folds a freshly created, verified op when its operands are constants.
  mlir::Value finish(mlir::Operation *op);
};

template <typename OpTy>
mlir::FailureOr<mlir::Value>
NodeImporter::create(mlir::ValueRange operands,
                     llvm::ArrayRef<mlir::NamedAttribute> attrs) {
  mlir::OperationState state(loc, OpTy::getOperationName());
  state.addOperands(operands);
  state.addAttributes(attrs);
  mlir::DictionaryAttr dict = state.attributes.getDictionary(b.getContext());
  typename OpTy::Adaptor adaptor(state.operands, dict);
  llvm::SmallVector<mlir::Type, 1> types;
  std::string message;
  mlir::Operation *op = nullptr;
  {
    // Inference and the verifier report bare errors; capture the first to
    // re-emit it with the node's name, op type and index.
    mlir::ScopedDiagnosticHandler capture(b.getContext(),
                                          [&](mlir::Diagnostic &diag) {
                                            if (message.empty())
                                              message = diag.str();
                                            return mlir::success();
                                          });
    if (mlir::succeeded(
            OpTy::inferReturnTypes(b.getContext(), loc, adaptor, types))) {
      state.addTypes(types);
      op = b.create(state);
      if (mlir::failed(mlir::verify(op))) {
        op->erase();
        op = nullptr;
      }
    }
  }
  if (!op) {
    // Our ops take f32 (and i64 for data movement); a verifier failure with
    // other element types means an unsupported dtype, not a broken model.
    bool integerOperands = llvm::any_of(operands, [](mlir::Value v) {
      return !mlir::cast<mlir::ShapedType>(v.getType())
                  .getElementType()
                  .isF32();
    });
    (integerOperands ? unsupported() : error()) << message;
    return mlir::failure();
  }
  return finish(op);
}
/// Why a known ONNX operator is deliberately not supported, if it is one.
std::optional<llvm::StringRef> unsupportedReason(llvm::StringRef opType);

/// Conv's attributes (strides, dilations, pads with auto_pad resolved,
/// group) for input `x` and weight `w`; shared by Conv and QLinearConv.
mlir::FailureOr<llvm::SmallVector<mlir::NamedAttribute>>
convAttributes(NodeImporter &n, mlir::RankedTensorType x,
               mlir::RankedTensorType w);

// Handlers of the quantization operators (OnnxQuantOps.cpp).
mlir::LogicalResult importQuantizeLinear(NodeImporter &n);
mlir::LogicalResult importDequantizeLinear(NodeImporter &n);
mlir::LogicalResult importQLinearConv(NodeImporter &n);
mlir::LogicalResult importQLinearMatMul(NodeImporter &n);

/// A handler imports one node; it reports its own errors.
using OpHandler = mlir::LogicalResult (*)(NodeImporter &);
struct OpEntry {
  SupportedOp info;
  OpHandler handler;
};
/// Looks up the handler for `opType`, or null.
const OpEntry *lookupOp(llvm::StringRef opType);

} // namespace escalate::onnx_import

#endif
