// RUN: escalate-opt %s --escalate-tile --escalate-emit-isa --split-input-file --verify-diagnostics | FileCheck %s

// One conv layer: the input and output become tensor declarations with
// their quantization, the weights and requant records one segment, and the
// layer the load / conv / requant / store of its single tile.
// CHECK-LABEL: escisa.program
// CHECK: escisa.tensor "input" "x" {bits = 8 : i64, dram = [[IN:[0-9]+]] : i64, scale = 5.000000e-01 : f64, shape = array<i64: 1, 2, 5, 5>, zero_point = -3 : i64}
// CHECK: escisa.tensor "output" "y" {bits = 8 : i64, dram = [[OUT:[0-9]+]] : i64, scale = 2.500000e-01 : f64, shape = array<i64: 1, 4, 3, 3>, zero_point = 1 : i64}
// CHECK: escisa.segment
// CHECK: escisa.load buf = act, {{.*}}dram = [[IN]], c = 2, h = 5, w = 5, {{.*}}pad_top = 1, pad_bottom = 1, pad_left = 1, pad_right = 1, pad_value = -3, elem_bytes = 1
// CHECK: escisa.load buf = coef, {{.*}}w = 72,
// CHECK: escisa.load buf = coef, {{.*}}w = 48,
// CHECK: escisa.conv mode = window, format = dense, index_bits = 0, {{.*}}in_c = 2, in_h = 7, in_w = 7, kernel_h = 3, kernel_w = 3, stride_h = 2, stride_w = 2, {{.*}}out_c = 4, groups = 1, bases = 9,
// CHECK: escisa.requant {{.*}}c = 4, h = 3, w = 3, {{.*}}out_bits = 8, zero_point = 1, clamp_lo = 1, clamp_hi = 127
// CHECK: escisa.store buf = act, {{.*}}dram = [[OUT]], c = 4, h = 3, w = 3,
// CHECK: escisa.halt
!a = !quant.uniform<i8:f32, 0.5:-3>
!b = !quant.uniform<i8:f32, 0.25:1>
func.func @main(%x: tensor<1x2x5x5xf32> {escalate.name = "x"}) -> (tensor<1x4x3x3xf32> {escalate.name = "y"}) {
  %w = escalate.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]]], [[[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[0, 0, 0], [0, 2, 0], [0, 0, 0]]], [[[3, 3, 3], [3, 3, 3], [3, 3, 3]], [[1, 1, 1], [1, 1, 1], [1, 1, 1]]], [[[0, 1, 0], [1, -4, 1], [0, 1, 0]], [[2, 0, -2], [2, 0, -2], [2, 0, -2]]]]> : tensor<4x2x3x3xi8>
  %q = escalate.quantize %x : tensor<1x2x5x5xf32> -> tensor<1x2x5x5x!a>
  %acc = escalate.qconv %q, %w {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5x!a>, tensor<4x2x3x3xi8>) -> tensor<1x4x3x3xi32>
  %y = escalate.requant %acc {bias = array<i32: 5, -7, 11, 0>, multiplier = array<i32: 1518500250, 1518500250, 1518500250, 1518500250>, shift = array<i32: 36, 36, 36, 36>, clamp_lo = 1 : i64, clamp_hi = 127 : i64} : tensor<1x4x3x3xi32> -> tensor<1x4x3x3x!b>
  %d = escalate.dequantize %y : tensor<1x4x3x3x!b> -> tensor<1x4x3x3xf32>
  return %d : tensor<1x4x3x3xf32>
}

// -----

// Ops left in float have no lowering.
!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @main(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32> {
  %q = escalate.quantize %x : tensor<1x2x5x5xf32> -> tensor<1x2x5x5x!a>
  // expected-error @+1 {{feeds float op 'escalate.relu' (layer 'relu'), which the accelerator cannot run}}
  %d = escalate.dequantize %q : tensor<1x2x5x5x!a> -> tensor<1x2x5x5xf32>
  %r = escalate.relu %d : tensor<1x2x5x5xf32>
  return %r : tensor<1x2x5x5xf32>
}
