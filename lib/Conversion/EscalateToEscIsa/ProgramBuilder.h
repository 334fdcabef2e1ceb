//===- ProgramBuilder.h - the program the conversion patterns fill --------===//
//
// The patterns of convert-escalate-to-escisa lower one op each, in the
// function's order, into one escisa.program. What they share lives here:
// the program, where declarations go (inputs, then outputs, then segments,
// all before the instructions, as the disassembler prints them), the DRAM
// cursor for constants, the alternating basis slot, the host-op table and
// the per-layer records for escisa-report.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_LIB_CONVERSION_ESCALATETOESCISA_PROGRAMBUILDER_H
#define ESCALATE_LIB_CONVERSION_ESCALATETOESCISA_PROGRAMBUILDER_H

#include "escalate/CodeGen/Tiling.h"
#include "escalate/Dialect/EscIsa/IR/EscIsaOps.h"
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace escalate::conversion {

class ProgramBuilder {
public:
  ProgramBuilder(const hw::HwDesc &hw, escisa::ProgramOp program,
                 uint64_t constBase, uint64_t maxInstructions);

  const hw::HwDesc &hw;
  escisa::ProgramOp program;
  /// Set by the first pattern that fails (after reporting why); later
  /// patterns only erase their ops, so each failure is reported once.
  bool failed = false;
  /// Basis-stage layers so far: consecutive ones alternate basis slots.
  unsigned basisLayers = 0;

  /// Where `v` (a quantized activation) lives: its producer's
  /// `#escalate.dram`, or address 0 for values DRAM planning leaves out.
  static codegen::DramView view(mlir::Value v);
  /// Fails on `op` unless `v`'s images are contiguous in DRAM.
  static mlir::LogicalResult needContiguous(mlir::Operation *op, mlir::Value v);
  /// `v` as a tensor declaration named `name`.
  static isa::TensorDesc describe(llvm::StringRef name, mlir::Value v);

  uint64_t constCursor() const { return cursor; }
  void declareInput(mlir::RewriterBase &r, const isa::TensorDesc &t);
  void declareOutput(mlir::RewriterBase &r, const isa::TensorDesc &t);
  /// Appends a layer: its segment, its instructions under its name, and
  /// its record. Fails on `op` past the instruction limit.
  mlir::LogicalResult appendLayer(mlir::RewriterBase &r, mlir::Operation *op,
                                  llvm::StringRef kind,
                                  const codegen::LayerCode &code,
                                  TileAttr tile);
  /// Appends a host instruction with a new host-op table entry, and its
  /// record (kind "host <kind>", the host's cycles as the estimate).
  mlir::LogicalResult appendHost(mlir::RewriterBase &r, mlir::Operation *op,
                                 const isa::HostOp &entry);
  /// The DRAM address of float constant `v` as IEEE binary32 bytes, placed
  /// as a segment named `name` the first time a host op reads it.
  uint64_t hostConstant(mlir::RewriterBase &r, mlir::Value v,
                        llvm::StringRef name);
  /// Ends the program: halt, dram_bytes, and the records for escisa-report.
  void finish(mlir::RewriterBase &r, DramPlanAttr plan);

private:
  mlir::LogicalResult checkLength(mlir::Operation *op);
  /// Places `bytes` as a segment named `name` at the constant cursor.
  uint64_t appendSegment(mlir::RewriterBase &r, llvm::StringRef name,
                         llvm::StringRef bytes);
  /// What a convolution keeps of its weights, as compiled: M and the
  /// coefficient sparsity of a decomposed layer, the weight sparsity of a
  /// dense or pruned one (empty for other layers).
  static mlir::DictionaryAttr weightRecord(mlir::Builder &b,
                                           mlir::Operation *op);
  /// Sets `r` after the first non-null anchor, or at the program's start:
  /// inputs go after the last input, outputs after the last output or
  /// input, segments after the last segment, output or input.
  void insertAfterFirst(mlir::RewriterBase &r,
                        llvm::ArrayRef<mlir::Operation *> anchors);

  uint64_t maxInstructions;
  uint64_t cursor;
  uint64_t instructions = 0, hostOps = 0;
  mlir::Operation *lastInput = nullptr, *lastOutput = nullptr,
                  *lastSegment = nullptr;
  llvm::SmallVector<mlir::Attribute> layers;
  llvm::DenseMap<mlir::Value, uint64_t> hostConstants;
  uint64_t hostConstantBytes = 0;
};

/// The patterns, in families: declarations and placement-only ops
/// (DataPatterns.cpp), layers (LayerPatterns.cpp), host ops
/// (HostPatterns.cpp).
void populateDataPatterns(mlir::RewritePatternSet &patterns,
                          ProgramBuilder &program);
void populateLayerPatterns(mlir::RewritePatternSet &patterns,
                           ProgramBuilder &program);
void populateHostPatterns(mlir::RewritePatternSet &patterns,
                          ProgramBuilder &program);

/// Base of every pattern: lowers one op through `lower` unless an earlier
/// pattern failed, and erases it either way (the function is replaced as a
/// whole, so no result outlives the conversion).
template <typename Op> struct LoweringPattern : mlir::OpConversionPattern<Op> {
  LoweringPattern(mlir::MLIRContext *ctx, ProgramBuilder &program)
      : mlir::OpConversionPattern<Op>(ctx, /*benefit=*/2), program(program) {}

  virtual mlir::LogicalResult lower(Op op, mlir::RewriterBase &r) const = 0;

  mlir::LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor,
                  mlir::ConversionPatternRewriter &r) const final {
    if (!program.failed && mlir::failed(lower(op, r)))
      program.failed = true;
    r.eraseOp(op);
    return mlir::success();
  }

  ProgramBuilder &program;
};

} // namespace escalate::conversion

#endif
