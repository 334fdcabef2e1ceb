//===- Numerics.h - reference numerics (float32 and integer) -*- C++ -*-===//
//
// The numerics of every escalate op, on host tensors. Callers allocate the
// output with its final shape (the op's inferred result type); the kernels
// assume verified operands and never fail.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_NUMERICS_NUMERICS_H
#define ESCALATE_NUMERICS_NUMERICS_H

#include "escalate/Support/FixedPoint.h"
#include "escalate/Support/Tensor.h"
#include <cmath>

namespace escalate::numerics {

/// Spatial window parameters for conv and pooling; all arrays have one entry
/// per spatial axis except `pads` (begins, then ends).
struct Window {
  llvm::SmallVector<int64_t, 3> kernel, strides, dilations, pads;
};

void conv(const Tensor &x, const Tensor &w, const Tensor *bias,
          const Window &win, int64_t group, Tensor &out);
/// Basis-first decomposed convolution: stage 1 convolves each input channel
/// with each of the M `bases` (C_in * M maps at output resolution), stage 2
/// accumulates `coefs` (C_out x C_in/group x M) times those maps, skipping
/// zero coefficients as the coefficient engine does.
void decomposedConv(const Tensor &x, const Tensor &bases, const Tensor &coefs,
                    const Tensor *bias, const Window &win, int64_t group,
                    Tensor &out);
/// Stage 1 alone: `maps` (N x C_in*M x output spatial) gets map i*M + b =
/// x[i] convolved with bases[b].
void basisMaps(const Tensor &x, const Tensor &bases, const Window &win,
               Tensor &maps);
void maxPool(const Tensor &x, const Window &win, Tensor &out);
void averagePool(const Tensor &x, const Window &win, bool countIncludePad,
                 Tensor &out);
void globalAveragePool(const Tensor &x, Tensor &out);
/// Transposed convolution: input position i of an axis adds into output
/// i * stride + k * dilation - pads[begin]; weight C_in x C_out/group x k.
void convTranspose(const Tensor &x, const Tensor &w, const Tensor *bias,
                   llvm::ArrayRef<int64_t> strides,
                   llvm::ArrayRef<int64_t> dilations,
                   llvm::ArrayRef<int64_t> pads, int64_t group, Tensor &out);
/// Mean over `axes` (sorted, distinct), accumulated in double; `out` holds
/// the result with or without the reduced axes (same elements).
void reduceMean(const Tensor &x, llvm::ArrayRef<int64_t> axes, Tensor &out);
/// The largest (`isMax`) or smallest value over `axes`; NaN if one is NaN.
void reduceExtremum(const Tensor &x, llvm::ArrayRef<int64_t> axes, bool isMax,
                    Tensor &out);

void gemm(const Tensor &a, const Tensor &b, const Tensor *c, float alpha,
          float beta, bool transA, bool transB, Tensor &out);
void matmul(const Tensor &a, const Tensor &b, Tensor &out);
void batchNorm(const Tensor &x, const Tensor &scale, const Tensor &bias,
               const Tensor &mean, const Tensor &var, float epsilon,
               Tensor &out);

enum class BinaryKind { Add, Sub, Mul, Div, Pow, PRelu, Max, Min };
/// Numpy-broadcasting element-wise op on f32 or i64 tensors.
void binary(BinaryKind kind, const Tensor &a, const Tensor &b, Tensor &out);

/// Element-wise functions the float reference and the simulator's host
/// share (so a host op is bit-exact with the quantized reference).
enum class UnaryKind { Tanh, Exp, Log, Sqrt, Erf, Neg, Abs };
void unary(UnaryKind kind, const Tensor &x, Tensor &out);

/// Activation functions with their parameters: `a` is the alpha of
/// LeakyRelu, HardSigmoid, Elu, Selu, Celu and ThresholdedRelu and Clip's
/// min, `b` HardSigmoid's beta, Selu's gamma and Clip's max. Shared like
/// `unary`.
enum class ActivationKind {
  Relu,
  LeakyRelu,
  Clip,
  Sigmoid,
  HardSigmoid,
  HardSwish,
  Elu,
  Selu,
  Celu,
  Softplus,
  Softsign,
  ThresholdedRelu
};
void activation(ActivationKind kind, float a, float b, const Tensor &x,
                Tensor &out);

/// Applies `fn` element-wise to a float tensor.
template <typename Fn> void mapF32(const Tensor &x, Tensor &out, Fn fn) {
  llvm::ArrayRef<float> in = x.f32();
  llvm::MutableArrayRef<float> o = out.f32();
  for (size_t i = 0, e = in.size(); i < e; ++i)
    o[i] = fn(in[i]);
}

void softmax(const Tensor &x, int64_t axis, Tensor &out);
/// x - max - log(sum(exp(x - max))) along `axis`, in double precision.
void logSoftmax(const Tensor &x, int64_t axis, Tensor &out);

// Data movement: any dtype.
void transpose(const Tensor &x, llvm::ArrayRef<int64_t> perm, Tensor &out);
void concat(llvm::ArrayRef<const Tensor *> inputs, int64_t axis, Tensor &out);
/// Output channel k * n + j is channel k of input j (n inputs).
void interleave(llvm::ArrayRef<const Tensor *> inputs, Tensor &out);
/// Resampling: output index i of axis d samples input coordinate
/// i * scale[d] + offset[d], clamped to the axis.
struct Resample {
  enum Rounding { PreferFloor, PreferCeil, Floor, Ceil };
  bool linear = false;
  Rounding rounding = PreferFloor;
  llvm::ArrayRef<double> scale, offset;
};
void resample(const Tensor &x, const Resample &how, Tensor &out);
/// Output index i of axis d reads input index starts[d] + i * steps[d].
void slice(const Tensor &x, llvm::ArrayRef<int64_t> starts,
           llvm::ArrayRef<int64_t> steps, Tensor &out);
enum class PadKind { Constant, Reflect, Edge, Wrap };
void pad(const Tensor &x, llvm::ArrayRef<int64_t> pads, PadKind kind,
         float value, Tensor &out);
/// The index (as a float) of the largest value along `axis`: the first, or
/// the last with `selectLast`; NaN is the largest. `out` holds the result
/// with or without the reduced axis (same elements).
void argMax(const Tensor &x, int64_t axis, bool selectLast, Tensor &out);
void gather(const Tensor &data, const Tensor &indices, int64_t axis,
            Tensor &out);

// Integer kernels: the accelerator's arithmetic on I64-stored tensors (the
// golden model of the simulator). Convolutions and pooling are 2-D, NCHW.

/// Scale, zero point and storage width of a quantized tensor.
struct QuantInfo {
  double scale = 1;
  int64_t zeroPoint = 0;
  unsigned bits = 8;
};

/// Window-mode conv: exact sums of weight * input (padded with `zeroPoint`),
/// saturated once to `accBits`.
void qconv(const Tensor &x, int64_t zeroPoint, const Tensor &w,
           const Window &win, int64_t group, unsigned accBits, Tensor &out);
/// Basis-mode conv: stage-1 maps saturate to `mapBits`, then exact
/// coefficient sums saturate once to `accBits`.
void qdecomposedConv(const Tensor &x, int64_t zeroPoint, const Tensor &bases,
                     const Tensor &coefs, const Window &win, int64_t group,
                     unsigned mapBits, unsigned accBits, Tensor &out);
/// Accumulators (N x C x ...) to activations with one record per channel.
void requant(const Tensor &acc, llvm::ArrayRef<fixed::RequantParams> channels,
             const fixed::RequantOutput &output, Tensor &out);
/// `b` is a's shape, one value per channel or one value (batch 1 or N).
void qeltwise(bool multiply, const Tensor &a, const Tensor &b,
              const fixed::EltwiseParams &params, unsigned bits, Tensor &out);
/// Padding is the lowest value (max) or `zeroPoint` (avg). With uncounted
/// `bands` of the padded plane, an average window of n counted positions
/// takes `divisors[n - 1]` for its multiplier (docs/isa.md, `pool`).
void qpool(const Tensor &x, bool isMax, const Window &win, int64_t zeroPoint,
           int32_t avgMultiplier, unsigned avgShift, unsigned bits,
           const fixed::UncountedBands &bands, llvm::ArrayRef<int64_t> divisors,
           Tensor &out);
void qlut(const Tensor &x, llvm::ArrayRef<int8_t> table, Tensor &out);
/// The host's softmax along `axis` (fixed::softmaxRow).
void qsoftmax(const Tensor &x, int64_t axis, const QuantInfo &in,
              const QuantInfo &out, Tensor &result);
/// Float to quantized as the host does it, and back.
void quantize(const Tensor &x, const QuantInfo &q, Tensor &out);
void dequantize(const Tensor &x, const QuantInfo &q, Tensor &out);

} // namespace escalate::numerics

#endif // ESCALATE_NUMERICS_NUMERICS_H
