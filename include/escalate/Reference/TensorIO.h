//===- TensorIO.h - .npy and ONNX TensorProto files -------------*- C++ -*-===//
#ifndef ESCALATE_REFERENCE_TENSORIO_H
#define ESCALATE_REFERENCE_TENSORIO_H

#include "escalate/Import/OnnxImporter.h"
#include "escalate/Support/Tensor.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace escalate {

/// Reads a tensor from `.npy` (little-endian f4/f8/i4/i8 or u1, C order;
/// integers as I64) or from a
/// serialized ONNX TensorProto (`.pb`, FLOAT or INT64), chosen by extension.
llvm::Expected<Tensor> readTensorFile(llvm::StringRef path);

/// File-system-safe form of a tensor or layer name ("/fc/Gemm_output_0"
/// becomes "_fc_Gemm_output_0"), as used for output and dump files.
std::string tensorFileName(llvm::StringRef name);

/// Writes a file through `fn` to a temporary name and renames it into place,
/// so a failure never leaves a partial file or clobbers an existing one.
llvm::Error
writeFileAtomically(llvm::StringRef path,
                    llvm::function_ref<void(llvm::raw_ostream &)> fn);

/// Writes `tensor` as `.npy`. The file is written to a temporary name and
/// renamed, so a failure never leaves a partial file behind.
llvm::Error writeNpy(llvm::StringRef path, const Tensor &tensor);

/// Writes tensors[i] as DIR/<tensorFileName(names[i])>.npy (suffixed _1,
/// _2 ... where names collide), all or nothing: each goes to a staging name
/// and is renamed into place only once all are written.
llvm::Error writeNpyFiles(llvm::StringRef dir,
                          llvm::ArrayRef<std::string> names,
                          llvm::ArrayRef<Tensor> tensors);

/// Parses "name=FILE" (a .npy or .pb tensor) into `options.frozenInputs`:
/// the graph input becomes a constant (weights or shapes fed as inputs).
llvm::Error parseFrozenInput(llvm::StringRef spec, ImportOptions &options);

} // namespace escalate

#endif
