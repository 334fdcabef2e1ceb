// escalate-quantize on a hand-checked layer, from a calibration table:
// x in [-1, 1], the conv (bias, ReLU fused) in [0, 2] after the ReLU.
// RUN: printf '# escalate calibration table: method=minmax samples=1\nx -1 1\nconv -2 2\nrelu 0 2\nsub -3 3\n' > %t.txt
// RUN: escalate-opt %s --escalate-quantize="calib-table=%t.txt" | FileCheck %s
// RUN: escalate-opt %s --escalate-quantize="calib-table=%t.txt per-channel=false symmetric=true" | FileCheck %s --check-prefix=SYM

// Asymmetric 8-bit x: scale 2/255, zero point round(-128 + 1/scale) = -1.
// CHECK: %[[X:.*]] = escalate.quantize %arg0 : {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>
// Weights symmetric per output channel: 0.5/127 and 1/127, so
// [0.5, -0.25] -> [127, -64] and [1, 0.125] -> [127, 16] (half away from 0).
// CHECK: %[[W:.*]] = escalate.constant dense<{{\[\[\[\[}}127]], {{\[\[}}-64]]], {{\[\[\[}}127]], {{\[\[}}16]]]]> : tensor<2x2x1x1xi8>
// CHECK: %[[ACC:.*]] = escalate.qconv %[[X]], %[[W]] {acc_bits = 32 : i64
// Bias over sx*sw plus the zero-point correction -zp_x * sum(w_q):
// 0.1/(2/255*0.5/127) + 63 = 3301.5 -> 3302; -0.2/(2/255/127) + 143 =
// -3095.5 -> -3096. sx*sw/sy = 0.5/127 and 1/127 as multiplier * 2^-shift;
// the ReLU is the clamp at the output zero point (-128 is real 0).
// CHECK: %[[Y:.*]] = escalate.requant %[[ACC]] {bias = array<i32: 3302, -3096>, clamp_hi = 127 : i64, clamp_lo = -128 : i64, multiplier = array<i32: 1082196484, 1082196484>, shift = array<i32: 38, 37>} : {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0078431372549019607:-128>>
// The Sub of two activations is an element-wise add with the subtrahend's
// multiplier negated: scales (2/255) / (6/255) = 1/3 -> 2^31/3 at shift 31.
// CHECK: %[[D:.*]] = escalate.dequantize %[[Y]]
// CHECK: %[[S:.*]] = escalate.qadd %[[Y]], %[[X]] {clamp_hi = 127 : i64, clamp_lo = -128 : i64, lhs_multiplier = 715827883 : i32, rhs_multiplier = -715827883 : i32, shift = 31 : i32}
// CHECK: %[[SD:.*]] = escalate.dequantize %[[S]]
// CHECK: return %[[D]], %[[SD]]

// Per tensor and symmetric: one weight scale 1/127 ([0.5, -0.25] -> [64,
// -32]), x scale 1/127 with zero point 0, bias 0.1 * 127^2 = 1612.9 ->
// 1613, and the ReLU clamps at 0.
// SYM: escalate.quantize %arg0 : {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.0078740157480314959>>
// SYM: escalate.constant dense<{{\[\[\[\[}}64]], {{\[\[}}-32]]], {{\[\[\[}}127]], {{\[\[}}16]]]]> : tensor<2x2x1x1xi8>
// SYM: escalate.requant {{.*}}{bias = array<i32: 1613, -3226>, clamp_hi = 127 : i64, clamp_lo = 0 : i64, multiplier = array<i32: 1082196484, 1082196484>, shift = array<i32: 38, 38>} : {{.*}} -> tensor<1x2x4x4x!quant.uniform<i8:f32, 0.015748031496062992>>

func.func @main(%x: tensor<1x2x4x4xf32> {escalate.name = "x"}) -> (tensor<1x2x4x4xf32> {escalate.name = "y"}, tensor<1x2x4x4xf32> {escalate.name = "z"}) {
  %w = escalate.constant dense<[[[[0.5]], [[-0.25]]], [[[1.0]], [[0.125]]]]> : tensor<2x2x1x1xf32>
  %b = escalate.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %c = escalate.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32> loc("conv")
  %r = escalate.relu %c : tensor<1x2x4x4xf32> loc("relu")
  %s = escalate.sub %r, %x : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32> loc("sub")
  return %r, %s : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
