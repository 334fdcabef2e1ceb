//===- Window.h - spatial window geometry shared by conv and pooling -----===//
#ifndef ESCALATE_LIB_NUMERICS_WINDOW_H
#define ESCALATE_LIB_NUMERICS_WINDOW_H

#include "escalate/Numerics/Numerics.h"
#include <algorithm>

namespace escalate::numerics {

/// Spatial geometry padded to exactly three axes (D, H, W) so one loop nest
/// serves 1-D, 2-D and 3-D operators; missing leading axes have size 1.
struct Geometry3 {
  int64_t in[3], out[3], k[3], s[3], d[3], pb[3];

  Geometry3(llvm::ArrayRef<int64_t> inSpatial,
            llvm::ArrayRef<int64_t> outSpatial, const Window &win) {
    size_t n = inSpatial.size(), off = 3 - n;
    for (size_t i = 0; i < 3; ++i) {
      bool real = i >= off;
      size_t j = i - off;
      in[i] = real ? inSpatial[j] : 1;
      out[i] = real ? outSpatial[j] : 1;
      k[i] = real ? win.kernel[j] : 1;
      s[i] = real ? win.strides[j] : 1;
      d[i] = real ? win.dilations[j] : 1;
      pb[i] = real ? win.pads[j] : 0;
    }
  }
  int64_t inSize() const { return in[0] * in[1] * in[2]; }
  int64_t outSize() const { return out[0] * out[1] * out[2]; }
  /// Half-open range of output indices along axis `a` whose input index
  /// o*s + tap*d - pb lies inside the input.
  void validRange(int a, int64_t tap, int64_t &lo, int64_t &hi) const {
    int64_t offset = tap * d[a] - pb[a];
    lo = offset >= 0 ? 0 : (-offset + s[a] - 1) / s[a];
    int64_t last = in[a] - 1 - offset;
    hi = last < 0 ? 0 : std::min(out[a], last / s[a] + 1);
    lo = std::min(lo, hi);
  }
};

} // namespace escalate::numerics

#endif
