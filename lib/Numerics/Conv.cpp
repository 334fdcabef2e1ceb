//===- Conv.cpp - convolution and pooling kernels -------------------------===//
#include "Window.h"
#include "escalate/Support/Vectorize.h"
#include <cmath>
#include <limits>

// Each output element's sum in the same order, rounded step by step, on
// every ISA the kernels are built for (Vectorize.h).
#pragma clang fp contract(off)

using namespace escalate;
using namespace escalate::numerics;

ESCALATE_VECTORIZED
void numerics::conv(const Tensor &x, const Tensor &w, const Tensor *bias,
                   const Window &win, int64_t group, Tensor &out) {
  int64_t n = x.dim(0), cin = x.dim(1), cout = out.dim(1);
  Geometry3 g(x.shape().drop_front(2), out.shape().drop_front(2), win);
  int64_t cinG = cin / group, coutG = cout / group;
  int64_t kSize = g.k[0] * g.k[1] * g.k[2];
  int64_t inPlane = g.inSize(), outPlane = g.outSize();
  const float *xd = x.f32().data(), *wd = w.f32().data();
  float *od = out.f32().data();

  for (int64_t b = 0; b < n; ++b)
    for (int64_t oc = 0; oc < cout; ++oc) {
      float *o = od + (b * cout + oc) * outPlane;
      std::fill(o, o + outPlane, bias ? bias->f32()[oc] : 0.0f);
      int64_t grp = oc / coutG;
      for (int64_t ic = 0; ic < cinG; ++ic) {
        const float *in = xd + (b * cin + grp * cinG + ic) * inPlane;
        const float *wk = wd + (oc * cinG + ic) * kSize;
        for (int64_t kd = 0; kd < g.k[0]; ++kd)
          for (int64_t kh = 0; kh < g.k[1]; ++kh)
            for (int64_t kw = 0; kw < g.k[2]; ++kw) {
              float wv = wk[(kd * g.k[1] + kh) * g.k[2] + kw];
              int64_t dLo, dHi, hLo, hHi, wLo, wHi;
              g.validRange(0, kd, dLo, dHi);
              g.validRange(1, kh, hLo, hHi);
              g.validRange(2, kw, wLo, wHi);
              int64_t wOff = kw * g.d[2] - g.pb[2];
              for (int64_t z = dLo; z < dHi; ++z) {
                int64_t iz = z * g.s[0] + kd * g.d[0] - g.pb[0];
                for (int64_t y = hLo; y < hHi; ++y) {
                  int64_t iy = y * g.s[1] + kh * g.d[1] - g.pb[1];
                  float *orow = o + (z * g.out[1] + y) * g.out[2];
                  const float *irow = in + (iz * g.in[1] + iy) * g.in[2] + wOff;
                  if (g.s[2] == 1) {
                    for (int64_t xo = wLo; xo < wHi; ++xo)
                      orow[xo] += wv * irow[xo];
                  } else {
                    for (int64_t xo = wLo; xo < wHi; ++xo)
                      orow[xo] += wv * irow[xo * g.s[2]];
                  }
                }
              }
            }
      }
    }
}

namespace {
/// Visits every output cell of a pooling op with the window's in-bounds
/// input values; `finish(sum-or-max, inBounds, window cells inside the
/// padded input)` yields the result.
template <typename Init, typename Step, typename Finish>
void pool(const Tensor &x, const Window &win, Tensor &out, Init init, Step step,
          Finish finish) {
  Geometry3 g(x.shape().drop_front(2), out.shape().drop_front(2), win);
  int64_t planes = x.dim(0) * x.dim(1);
  // End pads per axis, aligned like Geometry3's (missing axes get 0).
  int64_t pe[3] = {0, 0, 0};
  size_t nsp = win.kernel.size();
  for (size_t j = 0; j < nsp; ++j)
    pe[3 - nsp + j] = win.pads[nsp + j];
  const float *xd = x.f32().data();
  float *od = out.f32().data();
  for (int64_t p = 0; p < planes; ++p) {
    const float *in = xd + p * g.inSize();
    float *o = od + p * g.outSize();
    for (int64_t z = 0; z < g.out[0]; ++z)
      for (int64_t y = 0; y < g.out[1]; ++y)
        for (int64_t xo = 0; xo < g.out[2]; ++xo) {
          int64_t base[3] = {z * g.s[0] - g.pb[0], y * g.s[1] - g.pb[1],
                             xo * g.s[2] - g.pb[2]};
          float acc = init();
          int64_t inside = 0, padded = 0;
          for (int64_t a = 0; a < g.k[0]; ++a) {
            int64_t iz = base[0] + a * g.d[0];
            for (int64_t b = 0; b < g.k[1]; ++b) {
              int64_t iy = base[1] + b * g.d[1];
              for (int64_t c = 0; c < g.k[2]; ++c) {
                int64_t ix = base[2] + c * g.d[2];
                bool inPadded = iz < g.in[0] + pe[0] && iy < g.in[1] + pe[1] &&
                                ix < g.in[2] + pe[2];
                padded += inPadded;
                if (iz < 0 || iy < 0 || ix < 0 || iz >= g.in[0] ||
                    iy >= g.in[1] || ix >= g.in[2])
                  continue;
                acc = step(acc, in[(iz * g.in[1] + iy) * g.in[2] + ix]);
                ++inside;
              }
            }
          }
          o[(z * g.out[1] + y) * g.out[2] + xo] = finish(acc, inside, padded);
        }
  }
}
} // namespace

void numerics::maxPool(const Tensor &x, const Window &win, Tensor &out) {
  pool(
      x, win, out, [] { return -std::numeric_limits<float>::infinity(); },
      // NaN wins, as in numpy and ONNX Runtime.
      [](float acc, float v) { return (v > acc || std::isnan(v)) ? v : acc; },
      [](float acc, int64_t, int64_t) { return acc; });
}

void numerics::averagePool(const Tensor &x, const Window &win,
                          bool countIncludePad, Tensor &out) {
  pool(
      x, win, out, [] { return 0.0f; },
      [](float acc, float v) { return acc + v; },
      [countIncludePad](float acc, int64_t inside, int64_t padded) {
        int64_t count = countIncludePad ? padded : inside;
        return count ? acc / static_cast<float>(count) : 0.0f;
      });
}

void numerics::convTranspose(const Tensor &x, const Tensor &w,
                             const Tensor *bias,
                             llvm::ArrayRef<int64_t> strides,
                             llvm::ArrayRef<int64_t> dilations,
                             llvm::ArrayRef<int64_t> pads, int64_t group,
                             Tensor &out) {
  size_t nsp = strides.size();
  int64_t n = x.dim(0), cin = x.dim(1), cout = out.dim(1);
  int64_t cinG = cin / group, coutG = cout / group;
  llvm::ArrayRef<int64_t> inSp = x.shape().drop_front(2),
                          kSp = w.shape().drop_front(2),
                          outSp = out.shape().drop_front(2);
  int64_t inSize = product(inSp), kSize = product(kSp),
          outSize = product(outSp);
  // Per (input position, tap): the output position it adds into, or -1.
  std::vector<int64_t> target(inSize * kSize, -1);
  llvm::SmallVector<int64_t, 3> ip(nsp, 0), kp(nsp, 0);
  for (int64_t i = 0; i < inSize; ++i) {
    for (int64_t k = 0; k < kSize; ++k) {
      int64_t o = 0;
      bool inside = true;
      for (size_t d = 0; d < nsp && inside; ++d) {
        int64_t pos = ip[d] * strides[d] + kp[d] * dilations[d] - pads[d];
        inside = pos >= 0 && pos < outSp[d];
        o = o * outSp[d] + pos;
      }
      if (inside)
        target[i * kSize + k] = o;
      for (size_t d = nsp; d-- > 0;)
        if (++kp[d] < kSp[d])
          break;
        else
          kp[d] = 0;
    }
    for (size_t d = nsp; d-- > 0;)
      if (++ip[d] < inSp[d])
        break;
      else
        ip[d] = 0;
  }
  llvm::MutableArrayRef<float> y = out.f32();
  llvm::ArrayRef<float> xs = x.f32(), ws = w.f32();
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oc = 0; oc < cout; ++oc) {
      float *dst = y.data() + (b * cout + oc) * outSize;
      std::fill(dst, dst + outSize, bias ? bias->f32()[oc] : 0.0f);
      int64_t g = oc / coutG, o = oc % coutG;
      for (int64_t ic = g * cinG; ic < (g + 1) * cinG; ++ic) {
        const float *src = xs.data() + (b * cin + ic) * inSize;
        const float *taps = ws.data() + (ic * coutG + o) * kSize;
        for (int64_t i = 0; i < inSize; ++i)
          for (int64_t k = 0; k < kSize; ++k)
            if (int64_t t = target[i * kSize + k]; t >= 0)
              dst[t] += src[i] * taps[k];
      }
    }
}

void numerics::globalAveragePool(const Tensor &x, Tensor &out) {
  int64_t planes = x.dim(0) * x.dim(1);
  int64_t size = x.numElements() / std::max<int64_t>(planes, 1);
  const float *xd = x.f32().data();
  for (int64_t p = 0; p < planes; ++p) {
    double sum = 0;
    for (int64_t i = 0; i < size; ++i)
      sum += xd[p * size + i];
    out.f32()[p] = static_cast<float>(sum / static_cast<double>(size));
  }
}
