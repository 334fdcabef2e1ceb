// RUN: escalate-opt %s --pass-pipeline="builtin.module(func.func(escalate-plan-dram))" --split-input-file --verify-diagnostics | FileCheck %s

// Two 1x1 pools of the input are concatenated, reshaped twice and pooled
// again. The concat's operands live inside its result (batch 2: image n of
// the second operand at 32 + 64n); the reshapes alias the concat; the
// output reuses the input's bytes, which are dead after the second pool.
// 64 (input) + 128 (concat) + 128 (output) bytes without reuse, 256 with.
// CHECK-LABEL: func.func @main
// CHECK-SAME: escalate.dram_plan = #escalate.dram_plan<arena_bytes = 256, unshared_bytes = 320, buffers = 3>
// CHECK: escalate.quantize {{.*}}escalate.dram = #escalate.dram<base = 128, image_stride = 32>
// CHECK: escalate.qpool {{.*}}escalate.dram = #escalate.dram<base = 0, image_stride = 64>
// CHECK: escalate.qpool {{.*}}escalate.dram = #escalate.dram<base = 32, image_stride = 64>
// CHECK: escalate.concat {{.*}}escalate.dram = #escalate.dram<base = 0, image_stride = 64>
// CHECK: escalate.reshape {{.*}}escalate.dram = #escalate.dram<base = 0, image_stride = 64>
// CHECK: escalate.reshape {{.*}}escalate.dram = #escalate.dram<base = 0, image_stride = 64>
// CHECK: escalate.qpool {{.*}}escalate.dram = #escalate.dram<base = 128, image_stride = 64>
// CHECK-NOT: escalate.dram<
!a = !quant.uniform<i8:f32, 0.5:0>
func.func @main(%x: tensor<2x2x4x4xf32>) -> tensor<2x4x4x4xf32> {
  %q = escalate.quantize %x : tensor<2x2x4x4xf32> -> tensor<2x2x4x4x!a>
  %p1 = escalate.qpool %q {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<2x2x4x4x!a>) -> tensor<2x2x4x4x!a>
  %p2 = escalate.qpool %q {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<2x2x4x4x!a>) -> tensor<2x2x4x4x!a>
  %c = escalate.concat %p1, %p2 {axis = 1} : tensor<2x2x4x4x!a>, tensor<2x2x4x4x!a>
  %r = escalate.reshape %c {shape = array<i64: 2, 4, 16>} : tensor<2x4x4x4x!a>
  %s = escalate.reshape %r {shape = array<i64: 2, 4, 4, 4>} : tensor<2x4x16x!a>
  %o = escalate.qpool %s {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<2x4x4x4x!a>) -> tensor<2x4x4x4x!a>
  %d = escalate.dequantize %o : tensor<2x4x4x4x!a> -> tensor<2x4x4x4xf32>
  return %d : tensor<2x4x4x4xf32>
}

// -----

// Concats run on the accelerator along channels only.
!a = !quant.uniform<i8:f32, 0.5:0>
func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x8x4xf32> {
  %q = escalate.quantize %x : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!a>
  %p = escalate.qpool %q {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4x!a>) -> tensor<1x2x4x4x!a>
  // expected-error @+1 {{runs on the accelerator only along channels (axis 1)}}
  %c = escalate.concat %p, %p {axis = 2} : tensor<1x2x4x4x!a>, tensor<1x2x4x4x!a>
  %d = escalate.dequantize %c : tensor<1x2x8x4x!a> -> tensor<1x2x8x4xf32>
  return %d : tensor<1x2x8x4xf32>
}

// -----

// A graph input is written before the program runs, outside the arena, so
// it cannot live inside a concat: escalate-tile copies it first.
!a = !quant.uniform<i8:f32, 0.5:0>
func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %q = escalate.quantize %x : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!a>
  %p = escalate.qpool %q {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4x!a>) -> tensor<1x2x4x4x!a>
  // expected-error @+1 {{cannot place operand 0 inside its result (a graph input, a repeated operand, or a tensor another concat holds): escalate-tile copies such operands first}}
  %c = escalate.concat %q, %p {axis = 1} : tensor<1x2x4x4x!a>, tensor<1x2x4x4x!a>
  %d = escalate.dequantize %c : tensor<1x4x4x4x!a> -> tensor<1x4x4x4xf32>
  return %d : tensor<1x4x4x4xf32>
}

// -----

// A slice of whole channels is a view of its input: channels 1 and 2 of a
// 2 x 4 x 4 x 4 tensor start 16 bytes into each 64-byte image, with the
// input's image stride; the input stays alive while the view is read.
// CHECK-LABEL: func.func @main
// CHECK: escalate.quantize {{.*}}escalate.dram = #escalate.dram<base = 0, image_stride = 64>
// CHECK: escalate.slice {{.*}}escalate.dram = #escalate.dram<base = 16, image_stride = 64>
// CHECK: escalate.qpool {{.*}}escalate.dram = #escalate.dram<base = 128, image_stride = 32>
!a = !quant.uniform<i8:f32, 0.5:0>
func.func @main(%x: tensor<2x4x4x4xf32>) -> tensor<2x2x4x4xf32> {
  %q = escalate.quantize %x : tensor<2x4x4x4xf32> -> tensor<2x4x4x4x!a>
  %s = escalate.slice %q {starts = array<i64: 0, 1, 0, 0>, sizes = array<i64: 2, 2, 4, 4>, steps = array<i64: 1, 1, 1, 1>} : tensor<2x4x4x4x!a>
  %o = escalate.qpool %s {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<2x2x4x4x!a>) -> tensor<2x2x4x4x!a>
  %d = escalate.dequantize %o : tensor<2x2x4x4x!a> -> tensor<2x2x4x4xf32>
  return %d : tensor<2x2x4x4xf32>
}

// -----

// A host op reads its input through a dequantize and writes its quantize:
// the input lives until the host op and the output from it, so the output
// takes fresh bytes (128), not the input's (64), although nothing reads the
// input after the host op. The graph input stays alive to the end.
// CHECK-LABEL: func.func @main
// CHECK: escalate.quantize {{.*}}escalate.dram = #escalate.dram<base = 0, image_stride = 64>
// CHECK: escalate.qpool {{.*}}escalate.dram = #escalate.dram<base = 64, image_stride = 64>
// CHECK: escalate.quantize {{.*}}escalate.dram = #escalate.dram<base = 128, image_stride = 64>
!a = !quant.uniform<i8:f32, 0.5:0>
func.func @main(%x: tensor<1x4x4x4xf32>) -> (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) {
  %q = escalate.quantize %x : tensor<1x4x4x4xf32> -> tensor<1x4x4x4x!a>
  %p = escalate.qpool %q {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  %pd = escalate.dequantize %p : tensor<1x4x4x4x!a> -> tensor<1x4x4x4xf32>
  %t = escalate.transpose %pd {perm = array<i64: 0, 1, 3, 2>} : tensor<1x4x4x4xf32>
  %tq = escalate.quantize %t : tensor<1x4x4x4xf32> -> tensor<1x4x4x4x!a>
  %o = escalate.qpool %tq {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  %o2 = escalate.qpool %q {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  %d = escalate.dequantize %o : tensor<1x4x4x4x!a> -> tensor<1x4x4x4xf32>
  %d2 = escalate.dequantize %o2 : tensor<1x4x4x4x!a> -> tensor<1x4x4x4xf32>
  return %d, %d2 : tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>
}

// -----

// An interleave holds its operands at every other channel: each pool's two
// channels (16-byte planes) lie 32 bytes apart, and the second pool's start
// one plane after the first's. A graph input cannot be
// written strided, so it is refused (escalate-tile copies it first).
// CHECK-LABEL: func.func @main
// CHECK: escalate.qpool {{.*}}escalate.dram = #escalate.dram<base = [[B:[0-9]+]], image_stride = 64, channel_stride = 32>
// CHECK: escalate.qpool {{.*}}escalate.dram = #escalate.dram<base = {{[0-9]+}}, image_stride = 64, channel_stride = 32>
// CHECK: escalate.interleave {{.*}}escalate.dram = #escalate.dram<base = [[B]], image_stride = 64>
!a = !quant.uniform<i8:f32, 0.5:0>
func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %q = escalate.quantize %x : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!a>
  %p1 = escalate.qpool %q {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4x!a>) -> tensor<1x2x4x4x!a>
  %p2 = escalate.qpool %q {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4x!a>) -> tensor<1x2x4x4x!a>
  %i = escalate.interleave %p1, %p2 : tensor<1x2x4x4x!a>, tensor<1x2x4x4x!a>
  %d = escalate.dequantize %i : tensor<1x4x4x4x!a> -> tensor<1x4x4x4xf32>
  return %d : tensor<1x4x4x4xf32>
}

// -----

!a = !quant.uniform<i8:f32, 0.5:0>
func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %q = escalate.quantize %x : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!a>
  %p = escalate.qpool %q {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4x!a>) -> tensor<1x2x4x4x!a>
  // expected-error @+1 {{cannot place operand 0 inside its result (not a layer's output, or read by another op too): escalate-tile copies such operands first}}
  %i = escalate.interleave %q, %p : tensor<1x2x4x4x!a>, tensor<1x2x4x4x!a>
  %d = escalate.dequantize %i : tensor<1x4x4x4x!a> -> tensor<1x4x4x4xf32>
  return %d : tensor<1x4x4x4xf32>
}

// -----

// A fused epilogue (the first qadd) runs where its conv stands: it reads
// %q and writes %s there, so %s lives from the conv on and cannot take the
// bytes of %t (64), which the pool after the conv still reads, nor those of
// %q (0). The requant's result stays on chip: no DRAM, 5 buffers (320
// bytes unshared). %u reuses %q's bytes, dead after the fused layer.
// CHECK-LABEL: func.func @main
// CHECK-SAME: escalate.dram_plan = #escalate.dram_plan<arena_bytes = 192, unshared_bytes = 320, buffers = 5>
// CHECK: escalate.quantize {{.*}}escalate.dram = #escalate.dram<base = 0, image_stride = 64>
// CHECK: escalate.qpool {{.*}}escalate.dram = #escalate.dram<base = 64, image_stride = 64>
// CHECK: escalate.requant
// CHECK-NOT: escalate.dram<
// CHECK-SAME: -> tensor<1x4x4x4x!quant
// CHECK: escalate.qpool {{.*}}escalate.dram = #escalate.dram<base = 0, image_stride = 64>
// CHECK: escalate.qadd {{.*}}escalate.dram = #escalate.dram<base = 128, image_stride = 64>
// CHECK: escalate.qadd {{.*}}escalate.dram = #escalate.dram<base = 64, image_stride = 64>
!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @main(%x: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %q = escalate.quantize %x : tensor<1x4x4x4xf32> -> tensor<1x4x4x4x!a>
  %t = escalate.qpool %q {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  %w = escalate.constant dense<1> : tensor<4x4x1x1xi8>
  %acc = escalate.qconv %q, %w {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, escalate.epilogue, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>, tensor<4x4x1x1xi8>) -> tensor<1x4x4x4xi32>
  %y = escalate.requant %acc {bias = array<i32: 0, 0, 0, 0>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64} : tensor<1x4x4x4xi32> -> tensor<1x4x4x4x!a>
  %u = escalate.qpool %t {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  %s = escalate.qadd %y, %q {clamp_hi = 127 : i64, clamp_lo = -128 : i64, lhs_multiplier = 1073741824 : i32, rhs_multiplier = 1073741824 : i32, shift = 31 : i32} : (tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  %o = escalate.qadd %s, %u {clamp_hi = 127 : i64, clamp_lo = -128 : i64, lhs_multiplier = 1073741824 : i32, rhs_multiplier = 1073741824 : i32, shift = 31 : i32} : (tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  %d = escalate.dequantize %o : tensor<1x4x4x4x!a> -> tensor<1x4x4x4xf32>
  return %d : tensor<1x4x4x4xf32>
}
