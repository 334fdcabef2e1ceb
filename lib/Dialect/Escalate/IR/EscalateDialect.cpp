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

FailureOr<ArrayRef<float>> escalate::floatView(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  if (!type.getElementType().isF32())
    return failure();
  size_t bytes = type.getNumElements() * sizeof(float);
  ArrayRef<char> raw;
  if (auto res = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = res.getRawHandle().getBlob();
    if (!blob)
      return failure();
    raw = blob->getData();
  } else if (auto dense = dyn_cast<DenseFPElementsAttr>(attr);
             dense && !dense.isSplat()) {
    raw = dense.getRawData();
  }
  if (raw.size() != bytes ||
      reinterpret_cast<uintptr_t>(raw.data()) % alignof(float))
    return failure();
  return ArrayRef<float>(reinterpret_cast<const float *>(raw.data()),
                         type.getNumElements());
}

/// Whether reading every element of `attr` (a splat in MLIR text expands
/// to its full shape) stays within the bound on input-sized data.
static bool readable(ElementsAttr attr, int64_t elementBytes) {
  llvm::Expected<uint64_t> bytes =
      checkAllocation("constant", cast<ShapedType>(attr.getType()).getShape(),
                      elementBytes);
  if (!bytes) {
    llvm::consumeError(bytes.takeError());
    return false;
  }
  return true;
}

/// fn(values) over the typed values of a signless integer constant whose
/// width has a C++ type (8, 16 or 32 bits); nothing for other constants.
template <typename Fn>
static auto withNarrowInts(ElementsAttr attr, Fn fn)
    -> std::optional<decltype(fn(
        std::declval<DenseIntElementsAttr>().getValues<int8_t>()))> {
  auto dense = dyn_cast<DenseIntElementsAttr>(attr);
  Type elt = cast<ShapedType>(attr.getType()).getElementType();
  if (!dense || !elt.isSignlessInteger())
    return std::nullopt;
  switch (elt.getIntOrFloatBitWidth()) {
  case 8:
    return fn(dense.getValues<int8_t>());
  case 16:
    return fn(dense.getValues<int16_t>());
  case 32:
    return fn(dense.getValues<int32_t>());
  default:
    return std::nullopt;
  }
}

FailureOr<int64_t> escalate::countNonzero(ElementsAttr attr) {
  if (!readable(attr, 1))
    return failure();
  auto count = [](auto values) {
    int64_t n = 0;
    for (auto v : values)
      n += v != 0;
    return n;
  };
  if (FailureOr<ArrayRef<float>> view = floatView(attr); succeeded(view))
    return count(*view);
  if (std::optional<int64_t> counted = withNarrowInts(attr, count))
    return *counted;
  FailureOr<Tensor> t = tensorFromAttr(attr);
  if (failed(t))
    return failure();
  return t->dtype() == DType::F32 ? count(t->f32()) : count(t->i64());
}

FailureOr<std::vector<int32_t>> escalate::int32FromAttr(ElementsAttr attr) {
  if (!readable(attr, sizeof(int32_t)))
    return failure();
  if (std::optional<std::vector<int32_t>> values =
          withNarrowInts(attr, [](auto values) {
            return std::vector<int32_t>(values.begin(), values.end());
          }))
    return std::move(*values);
  FailureOr<Tensor> t = tensorFromAttr(attr);
  if (failed(t) || t->dtype() != DType::I64 ||
      !llvm::all_of(t->i64(), [](int64_t v) {
        return v >= INT32_MIN && v <= INT32_MAX;
      }))
    return failure();
  return std::vector<int32_t>(t->i64().begin(), t->i64().end());
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
    // Widths with a C++ type read their storage directly; the others (i4)
    // go through APInt.
    auto widen = [&](auto values) {
      llvm::copy(values, t.i64().begin());
      return true;
    };
    if (unsignedByte ? widen(dense.getValues<uint8_t>())
                     : withNarrowInts(attr, widen).has_value())
      return std::move(t);
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

namespace {
/// Integers of a narrow signless type: widths with a C++ type are written
/// as their storage, truncated as APInt truncates; the others (i4) go
/// through APInt.
template <typename T>
ElementsAttr narrowInts(ArrayRef<T> values, ShapedType type) {
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  auto narrow = [&](auto zero) {
    using N = decltype(zero);
    std::vector<N> data(values.size());
    llvm::transform(values, data.begin(),
                    [](T v) { return N(uint64_t(int64_t(v))); });
    return DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(reinterpret_cast<const char *>(data.data()),
                             data.size() * sizeof(N)));
  };
  if (width == 8)
    return narrow(int8_t());
  if (width == 16)
    return narrow(int16_t());
  if (width == 32)
    return narrow(int32_t());
  SmallVector<APInt> ints;
  ints.reserve(values.size());
  for (T v : values)
    ints.push_back(APInt(width, int64_t(v), /*isSigned=*/true,
                         /*implicitTrunc=*/true));
  return DenseElementsAttr::get(type, ints);
}
} // namespace

ElementsAttr escalate::attrFromInts(ArrayRef<int32_t> values,
                                    ShapedType type) {
  return narrowInts(values, type);
}

ElementsAttr escalate::attrFromTensor(const Tensor &tensor, ShapedType type,
                                      StringRef blobName) {
  // Below this size an inline `dense` literal is cheaper and readable in IR.
  constexpr int64_t kInlineLimit = 64;
  Type elt = type.getElementType();
  if (elt.isSignlessInteger() && !elt.isInteger(64))
    return narrowInts(tensor.i64(), type);
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
