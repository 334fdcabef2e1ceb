// The quantized ops print and parse back unchanged, and verify.
// RUN: escalate-opt %s | escalate-opt | FileCheck %s

!a8 = !quant.uniform<i8:f32, 0.05:-3>
!b8 = !quant.uniform<i8:f32, 0.1:-128>
// CHECK-LABEL: func.func @main
func.func @main(%x: tensor<1x2x6x6xf32>) -> tensor<1x3x3x3xf32> {
  // CHECK: escalate.quantize %{{.*}} : tensor<1x2x6x6xf32> -> tensor<1x2x6x6x!quant.uniform<i8:f32, 5.000000e-02:-3>>
  %q = escalate.quantize %x : tensor<1x2x6x6xf32> -> tensor<1x2x6x6x!a8>
  %w = escalate.constant dense<1> : tensor<3x2x3x3xi4>
  %b = escalate.constant dense<[[[1, 0, -1], [0, 2, 0], [1, 1, 1]]]> : tensor<1x3x3xi8>
  %c = escalate.constant dense<2> : tensor<3x2x1xi8>
  // CHECK: escalate.qconv {{.*}} -> tensor<1x3x6x6xi32>
  %acc = escalate.qconv %q, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1, acc_bits = 32} : (tensor<1x2x6x6x!a8>, tensor<3x2x3x3xi4>) -> tensor<1x3x6x6xi32>
  // CHECK: escalate.qdecomposed_conv {{.*}} -> tensor<1x3x6x6xi32>
  %acc2 = escalate.qdecomposed_conv %q, %b, %c {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1, map_bits = 32, acc_bits = 32} : (tensor<1x2x6x6x!a8>, tensor<1x3x3xi8>, tensor<3x2x1xi8>) -> tensor<1x3x6x6xi32>
  // CHECK: escalate.requant {{.*}}neg_multiplier = 3277 : i64, neg_shift = 15 : i64
  %r = escalate.requant %acc {bias = array<i32: 1, 2, 3>, multiplier = array<i32: 1073741824, 1073741824, 1073741824>, shift = array<i32: 31, 0, 63>, clamp_lo = -128, clamp_hi = 127, neg_multiplier = 3277, neg_shift = 15} : tensor<1x3x6x6xi32> -> tensor<1x3x6x6x!b8>
  %r2 = escalate.requant %acc2 {bias = array<i32: 0, 0, 0>, multiplier = array<i32: 1, 1, 1>, shift = array<i32: 0, 0, 0>, clamp_lo = -128, clamp_hi = 127} : tensor<1x3x6x6xi32> -> tensor<1x3x6x6x!b8>
  // CHECK: escalate.qadd
  %s = escalate.qadd %r, %r2 {lhs_multiplier = 1 : i32, rhs_multiplier = 1 : i32, shift = 1 : i32, clamp_lo = -128, clamp_hi = 127} : (tensor<1x3x6x6x!b8>, tensor<1x3x6x6x!b8>) -> tensor<1x3x6x6x!b8>
  %g = escalate.qpool %s {kind = #escalate<pool_kind avg>, kernel_shape = array<i64: 6, 6>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, avg_multiplier = 954437177, avg_shift = 35} : (tensor<1x3x6x6x!b8>) -> tensor<1x3x1x1x!b8>
  // CHECK: escalate.qmul {{.*}} (tensor<1x3x6x6x!quant.uniform<i8:f32, 1.000000e-01:-128>>, tensor<1x3x1x1x!quant.uniform<i8:f32, 1.000000e-01:-128>>)
  %m = escalate.qmul %s, %g {multiplier = 1 : i32, shift = 0 : i32, clamp_lo = -128, clamp_hi = 127} : (tensor<1x3x6x6x!b8>, tensor<1x3x1x1x!b8>) -> tensor<1x3x6x6x!b8>
  // CHECK: escalate.qpool {{.*}}kind = #escalate<pool_kind max>
  %p = escalate.qpool %m {kind = #escalate<pool_kind max>, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, avg_multiplier = 0, avg_shift = 0} : (tensor<1x3x6x6x!b8>) -> tensor<1x3x3x3x!b8>
  %t = escalate.qlut %p {table = array<i8: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, -128, -127, -126, -125, -124, -123, -122, -121, -120, -119, -118, -117, -116, -115, -114, -113, -112, -111, -110, -109, -108, -107, -106, -105, -104, -103, -102, -101, -100, -99, -98, -97, -96, -95, -94, -93, -92, -91, -90, -89, -88, -87, -86, -85, -84, -83, -82, -81, -80, -79, -78, -77, -76, -75, -74, -73, -72, -71, -70, -69, -68, -67, -66, -65, -64, -63, -62, -61, -60, -59, -58, -57, -56, -55, -54, -53, -52, -51, -50, -49, -48, -47, -46, -45, -44, -43, -42, -41, -40, -39, -38, -37, -36, -35, -34, -33, -32, -31, -30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1>} : tensor<1x3x3x3x!b8> -> tensor<1x3x3x3x!b8>
  // CHECK: escalate.qsoftmax {{.*}}axis = 1
  %sm = escalate.qsoftmax %t {axis = 1} : tensor<1x3x3x3x!b8> -> tensor<1x3x3x3x!b8>
  %d = escalate.dequantize %sm : tensor<1x3x3x3x!b8> -> tensor<1x3x3x3xf32>
  return %d : tensor<1x3x3x3xf32>
}
