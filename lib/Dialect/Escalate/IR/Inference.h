//===- Inference.h - shape rules shared by float and quantized ops -*- C++ -*-===//
//
// The float ops and their quantized forms obey the same shape rules; these
// are the single definitions both inferReturnTypes call.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_LIB_DIALECT_ESCALATE_IR_INFERENCE_H
#define ESCALATE_LIB_DIALECT_ESCALATE_IR_INFERENCE_H

#include "escalate/Dialect/Escalate/IR/EscalateOps.h"

namespace escalate::shape {

inline mlir::RankedTensorType ranked(mlir::Type t) {
  return mlir::cast<mlir::RankedTensorType>(t);
}
llvm::LogicalResult fail(std::optional<mlir::Location> loc,
                         const llvm::Twine &msg);
/// "[1,3,224,224]", for messages.
std::string shapeStr(llvm::ArrayRef<int64_t> shape);

llvm::LogicalResult checkConvGroups(std::optional<mlir::Location> loc,
                                    llvm::StringRef what, int64_t cin,
                                    int64_t cout, int64_t cinPerGroup,
                                    int64_t group);
/// Conv-like inference after the channel checks: an optional [C_out] bias
/// and the spatial window, giving N x C_out x spatial of `elementType`.
llvm::LogicalResult
inferConvResult(std::optional<mlir::Location> loc, llvm::StringRef what,
                mlir::RankedTensorType x, int64_t cout,
                llvm::ArrayRef<int64_t> kernel, mlir::Value bias,
                llvm::ArrayRef<int64_t> strides,
                llvm::ArrayRef<int64_t> dilations, llvm::ArrayRef<int64_t> pads,
                mlir::Type elementType, llvm::SmallVectorImpl<mlir::Type> &types);
/// escalate.conv and escalate.qconv: weights C_out x C_in/group x kernel.
llvm::LogicalResult
inferConv(std::optional<mlir::Location> loc, llvm::StringRef what,
          mlir::RankedTensorType x, mlir::RankedTensorType w, int64_t group,
          mlir::Value bias, llvm::ArrayRef<int64_t> strides,
          llvm::ArrayRef<int64_t> dilations, llvm::ArrayRef<int64_t> pads,
          mlir::Type elementType, llvm::SmallVectorImpl<mlir::Type> &types);
/// escalate.decomposed_conv and escalate.qdecomposed_conv: bases M x kernel,
/// coefficients C_out x C_in/group x M.
llvm::LogicalResult inferDecomposedConv(
    std::optional<mlir::Location> loc, llvm::StringRef what,
    mlir::RankedTensorType x, mlir::RankedTensorType bases,
    mlir::RankedTensorType coefs, int64_t group, mlir::Value bias,
    llvm::ArrayRef<int64_t> strides, llvm::ArrayRef<int64_t> dilations,
    llvm::ArrayRef<int64_t> pads, mlir::Type elementType,
    llvm::SmallVectorImpl<mlir::Type> &types);

} // namespace escalate::shape

#endif
