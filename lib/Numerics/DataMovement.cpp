//===- DataMovement.cpp - transpose, concat, slice, resample, pad, gather -===//
#include "escalate/Numerics/Numerics.h"

using namespace escalate;
using namespace escalate::numerics;

namespace {
/// Runs `fn(in, out)` on the typed element arrays of two same-dtype tensors.
template <typename Fn> void withData(const Tensor &x, Tensor &out, Fn fn) {
  if (x.dtype() == DType::F32)
    fn(x.f32(), out.f32());
  else
    fn(x.i64(), out.i64());
}

/// Walks every index of `shape` in row-major order.
template <typename Body>
void forEachIndex(llvm::ArrayRef<int64_t> shape, Body body) {
  int64_t total = product(shape);
  llvm::SmallVector<int64_t, 4> idx(shape.size(), 0);
  for (int64_t i = 0; i < total; ++i) {
    body(i, llvm::ArrayRef<int64_t>(idx));
    for (size_t d = shape.size(); d-- > 0;) {
      if (++idx[d] < shape[d])
        break;
      idx[d] = 0;
    }
  }
}
} // namespace

void numerics::transpose(const Tensor &x, llvm::ArrayRef<int64_t> perm,
                        Tensor &out) {
  llvm::SmallVector<int64_t, 4> inStrides = stridesOf(x.shape());
  withData(x, out, [&](auto in, auto o) {
    forEachIndex(out.shape(), [&](int64_t i, llvm::ArrayRef<int64_t> idx) {
      int64_t src = 0;
      for (size_t d = 0; d < perm.size(); ++d)
        src += idx[d] * inStrides[perm[d]];
      o[i] = in[src];
    });
  });
}

void numerics::concat(llvm::ArrayRef<const Tensor *> inputs, int64_t axis,
                     Tensor &out) {
  int64_t outer = product(out.shape().take_front(axis));
  int64_t inner = product(out.shape().drop_front(axis + 1));
  int64_t outChunk = out.dim(axis) * inner;
  int64_t offset = 0;
  for (const Tensor *t : inputs) {
    int64_t chunk = t->dim(axis) * inner;
    withData(*t, out, [&](auto in, auto o) {
      for (int64_t i = 0; i < outer; ++i)
        std::copy_n(in.begin() + i * chunk, chunk,
                    o.begin() + i * outChunk + offset);
    });
    offset += chunk;
  }
}

void numerics::interleave(llvm::ArrayRef<const Tensor *> inputs, Tensor &out) {
  int64_t n = inputs.size(), batch = out.dim(0);
  int64_t channels = inputs.front()->dim(1);
  int64_t plane = product(out.shape().drop_front(2));
  for (auto [j, t] : llvm::enumerate(inputs))
    withData(*t, out, [&](auto in, auto o) {
      for (int64_t b = 0; b < batch; ++b)
        for (int64_t k = 0; k < channels; ++k)
          std::copy_n(in.begin() + (b * channels + k) * plane, plane,
                      o.begin() + ((b * channels + k) * n + j) * plane);
    });
}

void numerics::slice(const Tensor &x, llvm::ArrayRef<int64_t> starts,
                     llvm::ArrayRef<int64_t> steps, Tensor &out) {
  llvm::SmallVector<int64_t, 4> inStrides = stridesOf(x.shape());
  int64_t base = 0;
  for (size_t d = 0; d < starts.size(); ++d)
    base += starts[d] * inStrides[d];
  withData(x, out, [&](auto in, auto o) {
    forEachIndex(out.shape(), [&](int64_t i, llvm::ArrayRef<int64_t> idx) {
      int64_t src = base;
      for (size_t d = 0; d < idx.size(); ++d)
        src += idx[d] * steps[d] * inStrides[d];
      o[i] = in[src];
    });
  });
}

namespace {
/// Resamples axis `d` of `x` to `size` elements into `out`.
void resampleAxis(const Tensor &x, size_t d, int64_t size, const Resample &how,
                  Tensor &out) {
  int64_t outer = product(x.shape().take_front(d)), in = x.dim(d);
  int64_t inner = product(x.shape().drop_front(d + 1));
  // Per output index: the two neighbours and the second one's weight.
  std::vector<int64_t> lo(size), hi(size);
  std::vector<float> w(size, 0);
  for (int64_t i = 0; i < size; ++i) {
    double c = double(i) * how.scale[d] + how.offset[d];
    if (how.linear) {
      c = std::clamp(c, 0.0, double(in - 1));
      lo[i] = int64_t(std::floor(c));
      hi[i] = std::min(lo[i] + 1, in - 1);
      w[i] = float(c - double(lo[i]));
      continue;
    }
    double f = std::floor(c);
    double r = how.rounding == Resample::Floor  ? f
               : how.rounding == Resample::Ceil ? std::ceil(c)
               : c - f == 0.5
                   ? (how.rounding == Resample::PreferCeil ? f + 1 : f)
                   : std::round(c);
    lo[i] = hi[i] = int64_t(std::clamp(r, 0.0, double(in - 1)));
  }
  const float *src = x.f32().data();
  float *dst = out.f32().data();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < size; ++i) {
      const float *a = src + (o * in + lo[i]) * inner,
                  *b = src + (o * in + hi[i]) * inner;
      float *y = dst + (o * size + i) * inner;
      for (int64_t k = 0; k < inner; ++k)
        y[k] = w[i] == 0 ? a[k] : a[k] + (b[k] - a[k]) * w[i];
    }
}
} // namespace

void numerics::resample(const Tensor &x, const Resample &how, Tensor &out) {
  // One axis at a time (nearest is separable; linear is, up to float
  // rounding); axes that map every index to itself are skipped.
  const Tensor *cur = &x;
  Tensor held;
  for (size_t d = 0; d < out.shape().size(); ++d) {
    if (out.dim(d) == cur->dim(d) && how.scale[d] == 1 && how.offset[d] == 0)
      continue;
    llvm::SmallVector<int64_t, 4> shape(cur->shape());
    shape[d] = out.dim(d);
    Tensor next(DType::F32, shape);
    resampleAxis(*cur, d, out.dim(d), how, next);
    held = std::move(next);
    cur = &held;
  }
  llvm::copy(cur->f32(), out.f32().begin());
}

void numerics::pad(const Tensor &x, llvm::ArrayRef<int64_t> pads, PadKind kind,
                  float value, Tensor &out) {
  int64_t rank = x.rank();
  llvm::SmallVector<int64_t, 4> inStrides = stridesOf(x.shape());
  withData(x, out, [&](auto in, auto o) {
    using T = std::remove_const_t<std::remove_reference_t<decltype(in[0])>>;
    forEachIndex(out.shape(), [&](int64_t i, llvm::ArrayRef<int64_t> idx) {
      int64_t src = 0;
      for (int64_t d = 0; d < rank; ++d) {
        int64_t n = x.dim(d), j = idx[d] - pads[d];
        if (j < 0 || j >= n) {
          switch (kind) {
          case PadKind::Constant:
            o[i] = static_cast<T>(value);
            return;
          case PadKind::Edge:
            j = j < 0 ? 0 : n - 1;
            break;
          case PadKind::Reflect: {
            // Period 2(n-1) mirror without repeating the edge element.
            int64_t period = n > 1 ? 2 * (n - 1) : 1;
            j = ((j % period) + period) % period;
            if (j >= n)
              j = period - j;
            break;
          }
          case PadKind::Wrap:
            j = ((j % n) + n) % n;
            break;
          }
        }
        src += j * inStrides[d];
      }
      o[i] = in[src];
    });
  });
}

void numerics::argMax(const Tensor &x, int64_t axis, bool selectLast,
                      Tensor &out) {
  int64_t outer = product(x.shape().take_front(axis)), len = x.dim(axis);
  int64_t inner = product(x.shape().drop_front(axis + 1));
  llvm::ArrayRef<float> in = x.f32();
  llvm::MutableArrayRef<float> o = out.f32();
  for (int64_t a = 0; a < outer; ++a)
    for (int64_t i = 0; i < inner; ++i) {
      const float *row = in.data() + a * len * inner + i;
      int64_t best = 0;
      for (int64_t k = 1; k < len; ++k) {
        float v = row[k * inner], b = row[best * inner];
        if (std::isnan(b) && !selectLast)
          break;
        bool better = std::isnan(v) || (selectLast ? v >= b : v > b);
        if (better && !(std::isnan(b) && !std::isnan(v)))
          best = k;
      }
      o[a * inner + i] = float(best);
    }
}

void numerics::gather(const Tensor &data, const Tensor &indices, int64_t axis,
                     Tensor &out) {
  int64_t outer = product(data.shape().take_front(axis));
  int64_t inner = product(data.shape().drop_front(axis + 1));
  int64_t n = data.dim(axis), count = indices.numElements();
  withData(data, out, [&](auto in, auto o) {
    for (int64_t a = 0; a < outer; ++a)
      for (int64_t k = 0; k < count; ++k) {
        int64_t j = indices.i64()[k];
        j = j < 0 ? j + n : j;
        std::copy_n(in.begin() + (a * n + j) * inner, inner,
                    o.begin() + (a * count + k) * inner);
      }
  });
}
