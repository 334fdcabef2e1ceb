//===- OnnxTensor.cpp - ONNX tensors to elements attributes ---------------===//
#include "ImporterImpl.h"
#include "escalate/Support/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <cstring>

using namespace mlir;
using namespace escalate;
using namespace escalate::onnx_import;

Type onnx_import::convertElementType(int32_t onnxType, MLIRContext *ctx) {
  switch (onnxType) {
  case onnx::TensorProto::FLOAT:
    return Float32Type::get(ctx);
  case onnx::TensorProto::INT64:
    return IntegerType::get(ctx, 64);
  default:
    return {};
  }
}

StringRef onnx_import::onnxTypeName(int32_t onnxType) {
  if (onnx::TensorProto::DataType_IsValid(onnxType))
    return onnx::TensorProto::DataType_Name(
        static_cast<onnx::TensorProto::DataType>(onnxType));
  return "invalid";
}

namespace {
/// Reads a tensor's external payload. Locations are confined to the model's
/// folder: absolute paths and ".." components are refused, since a model
/// from elsewhere must not read arbitrary files.
FailureOr<std::unique_ptr<llvm::MemoryBuffer>>
readExternal(const onnx::TensorProto &tensor, StringRef modelDir, Location loc,
             uint64_t expectedBytes) {
  std::string location;
  uint64_t offset = 0, length = expectedBytes;
  bool hasLength = false;
  for (const onnx::StringStringEntryProto &kv : tensor.external_data()) {
    if (kv.key() == "location")
      location = kv.value();
    else if (kv.key() == "offset" || kv.key() == "length") {
      uint64_t v;
      if (StringRef(kv.value()).getAsInteger(10, v)) {
        emitError(loc) << "tensor '" << tensor.name() << "': external data "
                       << kv.key() << " '" << kv.value()
                       << "' is not a non-negative integer";
        return failure();
      }
      (kv.key() == "offset" ? offset : length) = v;
      hasLength |= kv.key() == "length";
    }
  }
  if (location.empty()) {
    emitError(loc) << "tensor '" << tensor.name()
                   << "': external data has no location";
    return failure();
  }
  bool escapes = llvm::sys::path::is_absolute(location);
  for (StringRef part : llvm::make_range(llvm::sys::path::begin(location),
                                         llvm::sys::path::end(location)))
    escapes |= part == "..";
  if (escapes) {
    emitError(loc) << "tensor '" << tensor.name() << "': external data path '"
                   << location
                   << "' leaves the model's folder (absolute paths and '..' "
                      "are refused)";
    return failure();
  }
  if (hasLength && length != expectedBytes) {
    emitError(loc) << "tensor '" << tensor.name() << "': external data length "
                   << length << " does not match its shape (" << expectedBytes
                   << " bytes)";
    return failure();
  }
  SmallString<256> full(modelDir);
  llvm::sys::path::append(full, location);
  // The name may still leave through a symbolic link: the file, resolved,
  // must lie inside the resolved folder, and be a regular file (a device or
  // FIFO could block or never end).
  SmallString<256> realFile, realDir;
  if (std::error_code ec = llvm::sys::fs::real_path(full, realFile)) {
    emitError(loc) << "tensor '" << tensor.name()
                   << "': cannot read external data '" << full
                   << "': " << ec.message();
    return failure();
  }
  if (std::error_code ec = llvm::sys::fs::real_path(
          modelDir.empty() ? StringRef(".") : modelDir, realDir)) {
    emitError(loc) << "tensor '" << tensor.name()
                   << "': cannot resolve the model's folder '" << modelDir
                   << "': " << ec.message();
    return failure();
  }
  if (!StringRef(realFile).starts_with(
          (realDir + llvm::sys::path::get_separator()).str())) {
    emitError(loc) << "tensor '" << tensor.name() << "': external data '"
                   << location << "' resolves to '" << realFile
                   << "', outside the model's folder '" << realDir
                   << "' (through a symbolic link)";
    return failure();
  }
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(realFile, status) &&
      !llvm::sys::fs::is_regular_file(status)) {
    emitError(loc) << "tensor '" << tensor.name() << "': external data '"
                   << location
                   << "' is not a regular file (a device, FIFO or folder)";
    return failure();
  }
  uint64_t fileSize = 0;
  if (std::error_code ec = llvm::sys::fs::file_size(full, fileSize)) {
    emitError(loc) << "tensor '" << tensor.name()
                   << "': cannot read external data '" << full
                   << "': " << ec.message();
    return failure();
  }
  if (offset > fileSize || fileSize - offset < expectedBytes) {
    emitError(loc) << "tensor '" << tensor.name() << "': external data '"
                   << location << "' holds " << fileSize
                   << " bytes, fewer than offset " << offset << " + "
                   << expectedBytes;
    return failure();
  }
  auto slice = llvm::MemoryBuffer::getFileSlice(full, expectedBytes, offset);
  if (!slice) {
    emitError(loc) << "tensor '" << tensor.name()
                   << "': cannot read external data '" << full
                   << "': " << slice.getError().message();
    return failure();
  }
  return std::move(*slice);
}

/// Wraps bytes in a dense_resource attribute without copying them.
ElementsAttr blobAttr(ShapedType type, StringRef name, const char *data,
                      size_t size, AsmResourceBlob::DeleterFn deleter) {
  AsmResourceBlob blob(ArrayRef<char>(data, size), alignof(int64_t),
                       std::move(deleter), /*dataIsMutable=*/false);
  return DenseResourceElementsAttr::get(type, name.empty() ? "constant" : name,
                                        std::move(blob));
}
/// The tensor's dims, refused when negative, over 2^31, or when their
/// product passes `maxElements` (--max-tensor-elements): a Constant node's
/// tensor is held to the limit an initializer is.
LogicalResult checkedDims(const onnx::TensorProto &tensor, Location loc,
                          int64_t maxElements,
                          SmallVectorImpl<int64_t> &shape) {
  shape.append(tensor.dims().begin(), tensor.dims().end());
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; })) {
    emitError(loc) << "tensor '" << tensor.name() << "' has invalid dims";
    return failure();
  }
  if (llvm::any_of(shape, [](int64_t d) { return d > INT32_MAX; }) ||
      !checkedProduct(shape, maxElements)) {
    emitError(loc) << "tensor '" << tensor.name()
                   << "' has more elements than the limit of " << maxElements
                   << " (or a dimension over 2^31); raise it with "
                      "--max-tensor-elements";
    return failure();
  }
  return success();
}

uint64_t product(ArrayRef<int64_t> shape) {
  uint64_t n = 1;
  for (int64_t d : shape)
    n *= uint64_t(d);
  return n;
}

/// Quantized models keep weights, zero points and biases as INT8, UINT8 and
/// INT32 initializers. They keep their element type (i8, ui8, i32), which
/// tells the quantization ops' handlers the integer range, and are consumed
/// by DequantizeLinear or the QLinear ops at import.
bool isNarrowInteger(int32_t type) {
  return type == onnx::TensorProto::INT8 || type == onnx::TensorProto::UINT8 ||
         type == onnx::TensorProto::INT32;
}

template <typename T>
ElementsAttr narrowAttr(RankedTensorType type, const onnx::TensorProto &tensor,
                        uint64_t count) {
  std::vector<T> values(count);
  if (tensor.has_raw_data())
    std::memcpy(values.data(), tensor.raw_data().data(), count * sizeof(T));
  else
    for (uint64_t i = 0; i < count; ++i)
      values[i] = T(tensor.int32_data(i));
  return cast<ElementsAttr>(DenseElementsAttr::get(type, ArrayRef<T>(values)));
}

FailureOr<ElementsAttr> convertNarrowInteger(const onnx::TensorProto &tensor,
                                             Location loc,
                                             int64_t maxElements) {
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    emitError(loc) << "tensor '" << tensor.name()
                   << "': external data is supported for FLOAT and INT64 only";
    return failure();
  }
  SmallVector<int64_t> shape;
  if (failed(checkedDims(tensor, loc, maxElements, shape)))
    return failure();
  uint64_t count = product(shape);
  MLIRContext *ctx = loc.getContext();
  int32_t dt = tensor.data_type();
  unsigned width = dt == onnx::TensorProto::INT32 ? 4 : 1;
  if (tensor.has_raw_data() ? tensor.raw_data().size() != count * width
                            : uint64_t(tensor.int32_data_size()) != count) {
    emitError(loc) << "tensor '" << tensor.name()
                   << "' holds a different number of values than its shape "
                      "needs ("
                   << count << ")";
    return failure();
  }
  if (dt == onnx::TensorProto::INT32)
    return narrowAttr<int32_t>(
        RankedTensorType::get(shape, IntegerType::get(ctx, 32)), tensor,
        count);
  if (dt == onnx::TensorProto::INT8)
    return narrowAttr<int8_t>(
        RankedTensorType::get(shape, IntegerType::get(ctx, 8)), tensor, count);
  return narrowAttr<uint8_t>(
      RankedTensorType::get(shape,
                            IntegerType::get(ctx, 8, IntegerType::Unsigned)),
      tensor, count);
}
} // namespace

FailureOr<ElementsAttr> onnx_import::convertTensor(onnx::TensorProto &tensor,
                                                   StringRef modelDir,
                                                   Location loc,
                                                   int64_t maxElements,
                                                   ImportFailure &why) {
  MLIRContext *ctx = loc.getContext();
  why = ImportFailure::Invalid;
  if (isNarrowInteger(tensor.data_type()))
    return convertNarrowInteger(tensor, loc, maxElements);
  Type elt = convertElementType(tensor.data_type(), ctx);
  if (!elt) {
    why = ImportFailure::Unsupported;
    emitError(loc) << "tensor '" << tensor.name() << "' has element type "
                   << onnxTypeName(tensor.data_type())
                   << ", which is not supported (FLOAT and INT64 are)";
    return failure();
  }
  SmallVector<int64_t> shape;
  if (failed(checkedDims(tensor, loc, maxElements, shape)))
    return failure();
  uint64_t count = product(shape);
  auto type = RankedTensorType::get(shape, elt);
  size_t eltBytes = elt.isF32() ? 4 : 8;
  uint64_t bytes = count * eltBytes;

  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    FailureOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
        readExternal(tensor, modelDir, loc, bytes);
    if (failed(buf))
      return failure();
    llvm::MemoryBuffer *raw = buf->release();
    return blobAttr(type, tensor.name(), raw->getBufferStart(), bytes,
                    [raw](void *, size_t, size_t) { delete raw; });
  }
  if (tensor.has_raw_data()) {
    if (tensor.raw_data().size() != bytes) {
      emitError(loc) << "tensor '" << tensor.name() << "' holds "
                     << tensor.raw_data().size()
                     << " bytes of raw data but its "
                     << "shape needs " << bytes;
      return failure();
    }
    // Small tensors (shapes, scalars) stay readable inline literals.
    constexpr uint64_t kInlineLimit = 64;
    if (count <= kInlineLimit)
      return cast<ElementsAttr>(DenseElementsAttr::getFromRawBuffer(
          type, ArrayRef<char>(tensor.raw_data().data(), bytes)));
    // Move the parsed payload into the blob: the weights are copied once,
    // by the protobuf parse, and never again.
    auto *owned = new std::string(std::move(*tensor.mutable_raw_data()));
    return blobAttr(type, tensor.name(), owned->data(), owned->size(),
                    [owned](void *, size_t, size_t) { delete owned; });
  }
  size_t have =
      elt.isF32() ? tensor.float_data_size() : tensor.int64_data_size();
  if (have != count) {
    emitError(loc) << "tensor '" << tensor.name() << "' holds " << have
                   << " values but its shape needs " << count;
    return failure();
  }
  if (elt.isF32())
    return cast<ElementsAttr>(DenseElementsAttr::get(
        type, ArrayRef<float>(tensor.float_data().data(), count)));
  return cast<ElementsAttr>(DenseElementsAttr::get(
      type, ArrayRef<int64_t>(tensor.int64_data().data(), count)));
}
