//===- EscalateDialect.cpp - dialect registration and constants
//------------===//
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace escalate;

#include "escalate/Dialect/Escalate/IR/EscalateDialect.cpp.inc"
#include "escalate/Dialect/Escalate/IR/EscalateEnums.cpp.inc"
#include "escalate/Dialect/Escalate/IR/EscalateInterfaces.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "escalate/Dialect/Escalate/IR/EscalateAttrs.cpp.inc"

void EscalateDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "escalate/Dialect/Escalate/IR/EscalateOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "escalate/Dialect/Escalate/IR/EscalateAttrs.cpp.inc"
      >();
}

Operation *EscalateDialect::materializeConstant(OpBuilder &builder,
                                                Attribute value, Type type,
                                                Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}

FailureOr<Tensor> escalate::tensorFromAttr(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  Type elt = type.getElementType();
  DType dtype = elt.isF32() ? DType::F32 : DType::I64;
  bool unsignedByte = elt.isUnsignedInteger(8);
  if (!elt.isF32() && !elt.isSignlessInteger() && !unsignedByte)
    return failure();
  // A splat in MLIR text expands to its full shape: bound it as a model's
  // data is bounded, and check a resource's size before allocating.
  llvm::Expected<Tensor> checked =
      allocateTensor("constant", dtype, type.getShape());
  if (!checked) {
    llvm::consumeError(checked.takeError());
    return failure();
  }
  Tensor &t = *checked;
  // Quantized weights: narrow integers, sign-extended into I64 storage (an
  // ONNX UINT8 initializer zero-extended).
  if (unsignedByte || (elt.isSignlessInteger() && !elt.isInteger(64))) {
    auto dense = dyn_cast<DenseIntElementsAttr>(attr);
    if (!dense)
      return failure();
    llvm::transform(dense.getValues<APInt>(), t.i64().begin(),
                    [&](const APInt &v) {
                      return unsignedByte ? int64_t(v.getZExtValue())
                                          : v.getSExtValue();
                    });
    return std::move(t);
  }
  if (auto res = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = res.getRawHandle().getBlob();
    if (!blob)
      return failure();
    ArrayRef<char> raw = blob->getData();
    size_t bytes = t.numElements() * (dtype == DType::F32 ? 4 : 8);
    if (raw.size() != bytes)
      return failure();
    if (dtype == DType::F32)
      std::memcpy(t.f32().data(), raw.data(), bytes);
    else
      std::memcpy(t.i64().data(), raw.data(), bytes);
    return std::move(t);
  }
  if (dtype == DType::F32)
    llvm::copy(attr.getValues<float>(), t.f32().begin());
  else
    llvm::copy(attr.getValues<int64_t>(), t.i64().begin());
  return std::move(t);
}

ElementsAttr escalate::attrFromTensor(const Tensor &tensor, ShapedType type,
                                      StringRef blobName) {
  // Below this size an inline `dense` literal is cheaper and readable in IR.
  constexpr int64_t kInlineLimit = 64;
  Type elt = type.getElementType();
  if (elt.isSignlessInteger() && !elt.isInteger(64)) {
    unsigned width = elt.getIntOrFloatBitWidth();
    SmallVector<APInt> values;
    values.reserve(tensor.numElements());
    for (int64_t v : tensor.i64())
      values.push_back(APInt(width, v, /*isSigned=*/true, /*implicitTrunc=*/true));
    return DenseElementsAttr::get(type, values);
  }
  if (tensor.numElements() <= kInlineLimit || blobName.empty()) {
    if (tensor.dtype() == DType::F32)
      return DenseElementsAttr::get(type, tensor.f32());
    return DenseElementsAttr::get(type, tensor.i64());
  }
  AsmResourceBlob blob =
      tensor.dtype() == DType::F32
          ? HeapAsmResourceBlob::allocateAndCopyInferAlign(tensor.f32())
          : HeapAsmResourceBlob::allocateAndCopyInferAlign(tensor.i64());
  return DenseResourceElementsAttr::get(type, blobName, std::move(blob));
}
