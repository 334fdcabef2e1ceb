// Requantization arithmetic on the golden model, checked against an
// independent Python formula: shift 0 and 31 (and 32), a negative output zero
// point, the negative-side multiplier, and saturation at both clamps.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.array([-30000, -7, -1, 0, 5, 30000] * 4, np.float32).reshape(1, 4, 1, 6))"
// RUN: escalate-run %s --input %t/x.npy --output-dir %t/out
// RUN: %python %S/Inputs/check_requant.py %t/x.npy %t/out/output0.npy | FileCheck %s
// CHECK: 24 of 24 elements match

!x = !quant.uniform<i16:f32, 1.0>
!y = !quant.uniform<i8:f32, 1.0:-5>
func.func @main(%arg0: tensor<1x4x1x6xf32>) -> tensor<1x4x1x6xf32> {
  %q = escalate.quantize %arg0 : tensor<1x4x1x6xf32> -> tensor<1x4x1x6x!x>
  %one = escalate.constant dense<1> : tensor<4x1x1x1xi8>
  %acc = escalate.qconv %q, %one {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 4, acc_bits = 32} : (tensor<1x4x1x6x!x>, tensor<4x1x1x1xi8>) -> tensor<1x4x1x6xi32>
  %r = escalate.requant %acc {bias = array<i32: 0, 3, -7, 100>, multiplier = array<i32: 1, 1073741824, 1431655765, 1>, shift = array<i32: 0, 31, 32, 0>, clamp_lo = -100, clamp_hi = 120, neg_multiplier = 13107, neg_shift = 15} : tensor<1x4x1x6xi32> -> tensor<1x4x1x6x!y>
  %d = escalate.dequantize %r : tensor<1x4x1x6x!y> -> tensor<1x4x1x6xf32>
  return %d : tensor<1x4x1x6xf32>
}
