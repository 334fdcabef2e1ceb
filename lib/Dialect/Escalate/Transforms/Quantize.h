//===- Quantize.h - the rewriting half of escalate-quantize -----*- C++ -*-===//
#ifndef ESCALATE_LIB_DIALECT_ESCALATE_TRANSFORMS_QUANTIZE_H
#define ESCALATE_LIB_DIALECT_ESCALATE_TRANSFORMS_QUANTIZE_H

#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>
#include <string>

namespace escalate {

struct QuantConfig {
  unsigned actBits = 8, weightBits = 8, basisBits = 8, coefBits = 8;
  bool perChannel = true, symmetric = false;
  /// The hardware's accumulator and stage-1 stream widths.
  unsigned accBits = 32, mapBits = 32;
};

/// `config` with the widths `op`'s layer configuration (escalate-layer-config)
/// overrides.
QuantConfig layerQuantConfig(mlir::Operation *op, const QuantConfig &config);

/// Why `op` stays float under `config` ("its weight is not a constant..."),
/// or nothing if it will be rewritten into integer ops.
std::optional<std::string> unquantizableReason(mlir::Operation *op,
                                               const QuantConfig &config);
inline bool isQuantizable(mlir::Operation *op, const QuantConfig &config) {
  return !unquantizableReason(op, config);
}
/// Whether `op` moves or reduces values without changing their scale, so
/// its operands and results must share one quantization (pooling, reshape,
/// concat).
bool sharesScale(mlir::Operation *op);
/// The quantized type of an activation with range [min, max], `bits` wide
/// (0: the configured activation width).
mlir::quant::UniformQuantizedType activationType(mlir::MLIRContext *ctx,
                                                 double min, double max,
                                                 const QuantConfig &config,
                                                 unsigned bits = 0);
/// Whether the host core runs `op` under `config`: it has no integer form
/// but has a host form (HostPlacement.h).
bool runsOnHost(mlir::Operation *op, const QuantConfig &config);
/// Width of a value the host both writes and alone reads: the host is not
/// bound by the accelerator's activation width, so the steps of a host
/// chain (a LayerNorm, a GELU) keep the widest activation storage.
constexpr unsigned kHostValueBits = 16;

/// Rewrites every quantizable op of `f`, using `types` for the float values
/// it needs to quantize (by value). Values without a type are reported by
/// `nameOf`.
llvm::LogicalResult
quantizeFunction(mlir::func::FuncOp f, const QuantConfig &config,
                 const llvm::DenseMap<mlir::Value,
                                      mlir::quant::UniformQuantizedType> &types,
                 llvm::function_ref<std::string(mlir::Value)> nameOf);

} // namespace escalate

#endif
