//===- Kernels.h - float32 reference kernels --------------------*- C++ -*-===//
//
// The numerics of every escalate op, on host tensors. Callers allocate the
// output with its final shape (the op's inferred result type); the kernels
// assume verified operands and never fail.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_KERNELS_KERNELS_H
#define ESCALATE_KERNELS_KERNELS_H

#include "escalate/Support/Tensor.h"
#include <cmath>

namespace escalate::kernels {

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

void gemm(const Tensor &a, const Tensor &b, const Tensor *c, float alpha,
          float beta, bool transA, bool transB, Tensor &out);
void matmul(const Tensor &a, const Tensor &b, Tensor &out);
void batchNorm(const Tensor &x, const Tensor &scale, const Tensor &bias,
               const Tensor &mean, const Tensor &var, float epsilon,
               Tensor &out);

enum class BinaryKind { Add, Sub, Mul, Div };
/// Numpy-broadcasting element-wise op on f32 or i64 tensors.
void binary(BinaryKind kind, const Tensor &a, const Tensor &b, Tensor &out);

/// Applies `fn` element-wise to a float tensor.
template <typename Fn> void mapF32(const Tensor &x, Tensor &out, Fn fn) {
  llvm::ArrayRef<float> in = x.f32();
  llvm::MutableArrayRef<float> o = out.f32();
  for (size_t i = 0, e = in.size(); i < e; ++i)
    o[i] = fn(in[i]);
}

void softmax(const Tensor &x, int64_t axis, Tensor &out);

// Data movement: any dtype.
void transpose(const Tensor &x, llvm::ArrayRef<int64_t> perm, Tensor &out);
void concat(llvm::ArrayRef<const Tensor *> inputs, int64_t axis, Tensor &out);
enum class PadKind { Constant, Reflect, Edge, Wrap };
void pad(const Tensor &x, llvm::ArrayRef<int64_t> pads, PadKind kind,
         float value, Tensor &out);
void gather(const Tensor &data, const Tensor &indices, int64_t axis,
            Tensor &out);

} // namespace escalate::kernels

#endif // ESCALATE_KERNELS_KERNELS_H
