// escalate-quantize places what the accelerator lacks on the host
// (docs/compile.md, "Where each ONNX operator runs"): each host op reads
// dequantized integer tensors (and float constants as they are) and its
// result is quantized. A value only host ops write and read is 16-bit; one
// the accelerator reads keeps --act-bits. Tanh of an 8-bit activation is a
// PPU table; a slice of whole channels stays a (quantized) view.
// RUN: printf '# escalate calibration table: method=minmax samples=1\nx -1 1\nconv -2 2\nt -2 2\ns -3 3\nth -1 1\nsl -1 1\n' > %t.txt
// RUN: escalate-opt %s --escalate-quantize="calib-table=%t.txt" | FileCheck %s

// CHECK: %[[C:.*]] = escalate.requant
// CHECK: %[[CD:.*]] = escalate.dequantize %[[C]]
// CHECK: %[[T:.*]] = escalate.transpose %[[CD]]
// CHECK: %[[TQ:.*]] = escalate.quantize %[[T]] : {{.*}} -> tensor<1x4x2x2x!quant.uniform<i16:f32, {{.*}}>>
// CHECK: %[[TD:.*]] = escalate.dequantize %[[TQ]]
// CHECK: %[[K:.*]] = escalate.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32>
// CHECK: %[[S:.*]] = escalate.sub %[[TD]], %[[K]]
// CHECK: %[[SQ:.*]] = escalate.quantize %[[S]] : {{.*}} -> tensor<1x4x2x2x!quant.uniform<i8:f32, {{.*}}>>
// CHECK: %[[TH:.*]] = escalate.qlut %[[SQ]]
// CHECK: %[[SL:.*]] = escalate.slice %[[TH]] {{.*}} : tensor<1x4x2x2x!quant.uniform<i8:f32, {{.*}}>>
// CHECK: %[[D:.*]] = escalate.dequantize %[[SL]]
// CHECK: return %[[D]]
func.func @main(%x: tensor<1x2x2x4xf32> {escalate.name = "x"}) -> (tensor<1x2x2x2xf32> {escalate.name = "y"}) {
  %w = escalate.constant dense<[[[[0.5]], [[-0.25]]], [[[1.0]], [[0.125]]]]> : tensor<2x2x1x1xf32>
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x2x2x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x2x4xf32> loc("conv")
  %t = escalate.transpose %c {perm = array<i64: 0, 3, 1, 2>} : tensor<1x2x2x4xf32> loc("t")
  %k = escalate.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %s = escalate.sub %t, %k : tensor<1x4x2x2xf32>, tensor<2xf32> loc("s")
  %th = escalate.tanh %s : tensor<1x4x2x2xf32> loc("th")
  %sl = escalate.slice %th {starts = array<i64: 0, 1, 0, 0>, sizes = array<i64: 1, 2, 2, 2>, steps = array<i64: 1, 1, 1, 1>} : tensor<1x4x2x2xf32> loc("sl")
  return %sl : tensor<1x2x2x2xf32>
}
