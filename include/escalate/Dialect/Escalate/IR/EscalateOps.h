//===- EscalateOps.h - escalate operations ----------------------*- C++ -*-===//
#ifndef ESCALATE_DIALECT_ESCALATE_IR_ESCALATEOPS_H
#define ESCALATE_DIALECT_ESCALATE_IR_ESCALATEOPS_H

#include "escalate/Dialect/Escalate/IR/EscalateDialect.h"
#include "escalate/Support/Tensor.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "escalate/Dialect/Escalate/IR/EscalateEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "escalate/Dialect/Escalate/IR/EscalateAttrs.h.inc"

#include "escalate/Dialect/Escalate/IR/EscalateInterfaces.h.inc"

namespace escalate {
/// Checks an adaptor's attributes (presence and ODS constraints) before type
/// inference reads them: parsers and the importer infer types before the op
/// exists, so the op verifier has not run yet.
template <typename AdaptorT>
llvm::LogicalResult verifyAdaptor(mlir::MLIRContext *ctx,
                                  std::optional<mlir::Location> loc,
                                  AdaptorT &adaptor) {
  return adaptor.verify(loc ? *loc : mlir::UnknownLoc::get(ctx));
}

/// Shared type inference helpers; each reports errors at `loc`.
llvm::LogicalResult inferBroadcastType(std::optional<mlir::Location> loc,
                                       mlir::Type lhs, mlir::Type rhs,
                                       llvm::SmallVectorImpl<mlir::Type> &out);
llvm::LogicalResult
inferPoolType(std::optional<mlir::Location> loc, mlir::Type input,
              llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> strides,
              llvm::ArrayRef<int64_t> dilations, llvm::ArrayRef<int64_t> pads,
              bool ceilMode, llvm::SmallVectorImpl<mlir::Type> &out);

/// The element type of a quantized activation tensor type (null for any
/// other type), and its width.
mlir::quant::UniformQuantizedType quantType(mlir::Type tensorType);
unsigned storageBits(mlir::Type tensorType);

/// The value of `v` when it is a constant (dense or resource), else failure.
llvm::FailureOr<Tensor> constantValue(mlir::Value v);


/// Host tensor <-> elements attribute (dense or dense_resource).
llvm::FailureOr<Tensor> tensorFromAttr(mlir::ElementsAttr attr);
/// An integer constant of `type` (a signless integer element type of at
/// most 32 bits) holding `values`, each truncated to the width.
mlir::ElementsAttr attrFromInts(llvm::ArrayRef<int32_t> values,
                                mlir::ShapedType type);
/// The nonzero elements of a float or integer constant, counted in place;
/// failure for other element types and constants larger than the bound on
/// input-sized data.
llvm::FailureOr<int64_t> countNonzero(mlir::ElementsAttr attr);
/// The values of an integer constant (quantized weights), read without a
/// 64-bit copy; failure for a float constant, a value outside int32 or one
/// larger than the bound on input-sized data.
llvm::FailureOr<std::vector<int32_t>> int32FromAttr(mlir::ElementsAttr attr);
/// The f32 values of a constant where its storage holds them in order (a
/// resource blob, a non-splat dense literal): a view, no copy. Failure
/// otherwise (tensorFromAttr copies any constant).
llvm::FailureOr<llvm::ArrayRef<float>> floatView(mlir::ElementsAttr attr);
/// Small float and i64 tensors become `dense`, large ones a `dense_resource`
/// blob named after `blobName`; narrower integers (quantized weights) are
/// always `dense`, which stores them compactly.
mlir::ElementsAttr attrFromTensor(const Tensor &tensor, mlir::ShapedType type,
                                  llvm::StringRef blobName);

/// Discardable attribute holding a SparseEncodingAttr for the weights of
/// escalate.conv and escalate.qconv or the coefficients of their decomposed
/// forms.
constexpr llvm::StringLiteral kEncodingAttr = "escalate.encoding";
/// The `#escalate.tile` escalate-tile chose for an accelerator layer.
constexpr llvm::StringLiteral kTileAttr = "escalate.tile";
/// The `#escalate.dram` escalate-plan-dram gave an op's quantized result,
/// and the `#escalate.dram_plan` it gave the function.
constexpr llvm::StringLiteral kDramAttr = "escalate.dram";
constexpr llvm::StringLiteral kDramPlanAttr = "escalate.dram_plan";
/// Why escalate-quantize left a compute op in floating point (a string),
/// for the back end's refusal to say.
constexpr llvm::StringLiteral kNotQuantizedAttr = "escalate.not_quantized";
/// Ops that run as layers on the accelerator and carry a tiling.
bool isTiledLayer(mlir::Operation *op);
/// The unit attribute escalate-fuse-epilogues puts on a qconv or
/// qdecomposed_conv whose requant's only reader, a qadd, qmul or qpool,
/// runs in the conv's post-processing step (its epilogue) instead of as a
/// layer.
constexpr llvm::StringLiteral kEpilogueAttr = "escalate.epilogue";
/// The op `conv` can run as its epilogue, or null with the reason in
/// `whyNot`: the only reader of its requant's result, either a qadd or qmul
/// whose other operand and result have that result's 4-D shape and width
/// and whose other operand is ready before the conv runs (defined earlier
/// in its block: the fused layer runs where the conv stands), or a qpool
/// without padding whose windows, per axis, tile the map (kernel = stride,
/// dividing it, at most 15) or cover it.
mlir::Operation *epilogueCandidate(mlir::Operation *conv,
                                   std::string *whyNot = nullptr);
/// The epilogue `conv` carries (kEpilogueAttr), or null.
mlir::Operation *fusedEpilogue(mlir::Operation *conv);
/// The conv whose fused epilogue `op` is, or null.
mlir::Operation *epilogueOwner(mlir::Operation *op);
/// The operand `kEncodingAttr` describes on `op`, or null if none can be.
mlir::Value encodedOperand(mlir::Operation *op);

/// Encodes `values` (rows x cols) in `format` (`indexBits` for delta).
SparseEncodingAttr encodeMatrix(mlir::MLIRContext *ctx,
                                llvm::ArrayRef<float> values, int64_t rows,
                                int64_t cols, SparseFormat format,
                                unsigned indexBits);
/// The smallest encoding of `values` with `valueBits` per stored value,
/// over dense, bitmap and delta with 2, 4, 8 or 16 index bits.
SparseEncodingAttr chooseEncoding(mlir::MLIRContext *ctx,
                                  llvm::ArrayRef<float> values, int64_t rows,
                                  int64_t cols, unsigned valueBits);

/// When every operand of `op` is a constant and its results hold at most
/// `maxElements` elements in total, evaluates it and returns one attribute
/// per result.
llvm::FailureOr<llvm::SmallVector<mlir::ElementsAttr>>
foldByEvaluation(mlir::Operation *op, int64_t maxElements);

/// Canonicalizations that rewrite conv and pool windows over one spatial
/// axis as 2-D ones (WindowFolds.cpp).
void populateWindowFolds(mlir::RewritePatternSet &patterns);

} // namespace escalate

#define GET_OP_CLASSES
#include "escalate/Dialect/Escalate/IR/EscalateOps.h.inc"

#endif
