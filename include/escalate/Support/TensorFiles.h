//===- TensorFiles.h - .npy and ONNX TensorProto files ----------*- C++ -*-===//
#ifndef ESCALATE_SUPPORT_TENSORFILES_H
#define ESCALATE_SUPPORT_TENSORFILES_H

#include "escalate/Support/FileIO.h"
#include "escalate/Support/Tensor.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace escalate {

/// Reads a tensor from `.npy` (little-endian f4/f8/i4/i8 or u1, C order;
/// floats as F32, integers as I64) or from a serialized ONNX TensorProto
/// (`.pb`, FLOAT or INT64), chosen by extension. `storedType`, if given,
/// receives the file's own element type ("float64", "int32", ...), for
/// messages and for saying that float64 was narrowed.
llvm::Expected<Tensor> readTensorFile(llvm::StringRef path,
                                      std::string *storedType = nullptr);
/// The same, on bytes already read; `path` chooses the format and names
/// the file in messages.
llvm::Expected<Tensor> parseTensorFile(llvm::StringRef path,
                                       llvm::StringRef bytes,
                                       std::string *storedType = nullptr);

/// File-system-safe form of a tensor or layer name ("/fc/Gemm_output_0"
/// becomes "_fc_Gemm_output_0"), as used for output and dump files.
std::string tensorFileName(llvm::StringRef name);

/// Writes `tensor` as `.npy`. The file is written to a temporary name and
/// renamed, so a failure never leaves a partial file behind.
llvm::Error writeNpy(llvm::StringRef path, const Tensor &tensor);

/// Writes tensors[i] as DIR/<tensorFileName(names[i])>.npy (suffixed _1,
/// _2 ... where names collide), all or nothing: each goes to a staging name
/// and is renamed into place only once all are written.
llvm::Error writeNpyFiles(llvm::StringRef dir,
                          llvm::ArrayRef<std::string> names,
                          llvm::ArrayRef<Tensor> tensors);

} // namespace escalate

#endif
