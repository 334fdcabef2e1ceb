//===- TensorFiles.cpp - .npy and ONNX TensorProto files ------------------===//
#include "escalate/Support/TensorFiles.h"
#include "onnx.pb.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <cstring>

using namespace escalate;

/// Elements a tensor file may declare, checked before anything else (the
/// file must then hold them, and allocateTensor bounds their bytes).
static constexpr int64_t kMaxDimsProduct = int64_t(1) << 40;
using llvm::StringRef;

namespace {
llvm::Error bad(StringRef path, const llvm::Twine &msg) {
  return llvm::createStringError(path + ": " + msg);
}

/// Copies `count` little-endian values of type From into the tensor.
template <typename From> void fill(Tensor &t, const char *data, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    From v;
    std::memcpy(&v, data + i * sizeof(From), sizeof(From));
    if (t.dtype() == DType::F32)
      t.f32()[i] = static_cast<float>(v);
    else
      t.i64()[i] = static_cast<int64_t>(v);
  }
}

llvm::Expected<Tensor> readNpy(StringRef path, StringRef bytes,
                               std::string *storedType) {
  if (!bytes.starts_with("\x93NUMPY") || bytes.size() < 10)
    return bad(path, "not a .npy file (bad magic)");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) |
                (static_cast<unsigned char>(bytes[9]) << 8);
    offset = 10;
  } else if ((major == 2 || major == 3) && bytes.size() >= 12) {
    headerLen = 0;
    for (int i = 0; i < 4; ++i)
      headerLen |= size_t(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    offset = 12;
  } else {
    return bad(path, "unsupported .npy version " + llvm::Twine(major));
  }
  if (bytes.size() < offset + headerLen)
    return bad(path, "truncated .npy header");
  StringRef header = bytes.substr(offset, headerLen);
  auto field = [&](StringRef key) -> StringRef {
    size_t k = header.find("'" + key.str() + "'");
    if (k == StringRef::npos)
      return {};
    StringRef rest = header.drop_front(k + key.size() + 2).ltrim(" :");
    return rest;
  };
  StringRef descr = field("descr");
  StringRef order = field("fortran_order");
  StringRef shapeText = field("shape");
  if (descr.empty() || order.empty() || shapeText.empty())
    return bad(path, "malformed .npy header");
  if (order.starts_with("True"))
    return bad(path, "Fortran-ordered arrays are not supported");
  descr = descr.drop_front(1).take_until([](char c) { return c == '\''; });
  if (!shapeText.starts_with("("))
    return bad(path, "malformed shape in .npy header");
  shapeText =
      shapeText.drop_front(1).take_until([](char c) { return c == ')'; });
  llvm::SmallVector<int64_t, 4> shape;
  llvm::SmallVector<StringRef> parts;
  shapeText.split(parts, ',');
  for (StringRef p : parts) {
    p = p.trim();
    if (p.empty())
      continue;
    int64_t d;
    if (p.getAsInteger(10, d) || d < 0)
      return bad(path, "invalid dimension '" + p + "' in .npy header");
    shape.push_back(d);
  }
  std::optional<int64_t> elements = checkedProduct(shape, kMaxDimsProduct);
  if (!elements)
    return bad(path, "dimensions (" + shapeText + ") in .npy header are too "
                     "large");
  uint64_t count = *elements;
  size_t width;
  DType dtype;
  if (descr == "<f4" || descr == "<f8") {
    dtype = DType::F32;
    width = descr == "<f4" ? 4 : 8;
  } else if (descr == "<i8" || descr == "<i4" || descr == "|u1") {
    dtype = DType::I64;
    width = descr == "<i8" ? 8 : descr == "<i4" ? 4 : 1;
  } else {
    return bad(path,
               "unsupported dtype '" + descr + "' (f4, f8, i4, i8, u1)");
  }
  StringRef data = bytes.drop_front(offset + headerLen);
  if (data.size() != count * width)
    return bad(path, "holds " + llvm::Twine(data.size()) +
                         " data bytes, its header needs " +
                         llvm::Twine(count * width));
  if (storedType)
    *storedType = descr == "<f4"   ? "float32"
                  : descr == "<f8" ? "float64"
                  : descr == "<i8" ? "int64"
                  : descr == "<i4" ? "int32"
                                   : "uint8";
  llvm::Expected<Tensor> t = allocateTensor(path, dtype, shape);
  if (!t)
    return t.takeError();
  if (descr == "<f4")
    fill<float>(*t, data.data(), count);
  else if (descr == "<f8")
    fill<double>(*t, data.data(), count);
  else if (descr == "<i8")
    fill<int64_t>(*t, data.data(), count);
  else if (descr == "<i4")
    fill<int32_t>(*t, data.data(), count);
  else
    fill<uint8_t>(*t, data.data(), count);
  return t;
}

llvm::Expected<Tensor> readPb(StringRef path, StringRef bytes) {
  onnx::TensorProto proto;
  if (!proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return bad(path, "not a serialized ONNX TensorProto");
  DType dtype;
  size_t width;
  if (proto.data_type() == onnx::TensorProto::FLOAT) {
    dtype = DType::F32;
    width = 4;
  } else if (proto.data_type() == onnx::TensorProto::INT64) {
    dtype = DType::I64;
    width = 8;
  } else {
    return bad(path, "TensorProto element type " +
                         llvm::Twine(proto.data_type()) +
                         " is not supported (FLOAT, INT64)");
  }
  llvm::SmallVector<int64_t, 4> shape;
  shape.append(proto.dims().begin(), proto.dims().end());
  std::optional<int64_t> elements = checkedProduct(shape, kMaxDimsProduct);
  if (!elements)
    return bad(path, "invalid dims");
  uint64_t count = *elements;
  // The data must be there before the tensor is allocated: the dims alone
  // may ask for terabytes.
  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != count * width)
      return bad(path, "raw data size does not match dims");
    llvm::Expected<Tensor> t = allocateTensor(path, dtype, shape);
    if (!t)
      return t.takeError();
    if (dtype == DType::F32)
      fill<float>(*t, proto.raw_data().data(), count);
    else
      fill<int64_t>(*t, proto.raw_data().data(), count);
    return t;
  }
  size_t have =
      dtype == DType::F32 ? proto.float_data_size() : proto.int64_data_size();
  if (have != count)
    return bad(path, "holds " + llvm::Twine(have) + " values, dims need " +
                         llvm::Twine(count));
  llvm::Expected<Tensor> t = allocateTensor(path, dtype, shape);
  if (!t)
    return t.takeError();
  if (dtype == DType::F32)
    std::copy(proto.float_data().begin(), proto.float_data().end(),
              t->f32().begin());
  else
    std::copy(proto.int64_data().begin(), proto.int64_data().end(),
              t->i64().begin());
  return t;
}
} // namespace

llvm::Expected<Tensor> escalate::readTensorFile(StringRef path,
                                                std::string *storedType) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return bad(path, file.getError().message());
  return parseTensorFile(path, (*file)->getBuffer(), storedType);
}

llvm::Expected<Tensor> escalate::parseTensorFile(StringRef path,
                                                 StringRef bytes,
                                                 std::string *storedType) {
  if (path.ends_with(".npy"))
    return readNpy(path, bytes, storedType);
  if (path.ends_with(".pb")) {
    llvm::Expected<Tensor> t = readPb(path, bytes);
    if (t && storedType)
      *storedType = t->dtype() == DType::F32 ? "float32" : "int64";
    return t;
  }
  return bad(path, "unknown tensor file type (expected .npy or .pb)");
}

std::string escalate::tensorFileName(StringRef name) {
  std::string s;
  for (char c : name)
    s += (llvm::isAlnum(c) || c == '.' || c == '-' || c == '_') ? c : '_';
  return s.empty() ? "output" : s;
}

llvm::Error escalate::writeNpy(StringRef path, const Tensor &tensor) {
  std::string header = "{'descr': '";
  header += tensor.dtype() == DType::F32 ? "<f4" : "<i8";
  header += "', 'fortran_order': False, 'shape': (";
  for (int64_t d : tensor.shape())
    header += std::to_string(d) + ", ";
  if (tensor.rank())
    header.resize(header.size() - (tensor.rank() == 1 ? 1 : 2));
  header += "), }";
  // Pad so the data starts on a 64-byte boundary, as numpy does.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  return writeFileAtomically(path, [&](llvm::raw_ostream &os) {
    os << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff)
       << char(header.size() >> 8) << header;
    if (tensor.dtype() == DType::F32)
      os.write(reinterpret_cast<const char *>(tensor.f32().data()),
               tensor.numElements() * 4);
    else
      os.write(reinterpret_cast<const char *>(tensor.i64().data()),
               tensor.numElements() * 8);
  });
}

llvm::Error escalate::writeNpyFiles(StringRef dir,
                                    llvm::ArrayRef<std::string> names,
                                    llvm::ArrayRef<Tensor> tensors) {
  llvm::StringSet<> used;
  llvm::SmallVector<std::pair<std::string, std::string>> staged;
  auto discard = [&] {
    for (auto &entry : staged)
      llvm::sys::fs::remove(entry.first);
  };
  for (auto [name, tensor] : llvm::zip_equal(names, tensors)) {
    std::string base = tensorFileName(name);
    for (int n = 1; !used.insert(base).second; ++n)
      base = tensorFileName(name) + "_" + std::to_string(n);
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, base + ".npy");
    std::string stage = (path + ".partial").str();
    if (llvm::Error e = writeNpy(stage, tensor)) {
      discard();
      return e;
    }
    staged.emplace_back(stage, path.str().str());
  }
  for (auto &[stage, final] : staged)
    if (std::error_code ec = llvm::sys::fs::rename(stage, final)) {
      discard();
      return llvm::createStringError("cannot write '" + final +
                                     "': " + ec.message());
    }
  return llvm::Error::success();
}
