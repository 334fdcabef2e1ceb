// RUN: escalate-opt %s --escalate-tile | FileCheck %s
// RUN: escalate-opt %s --escalate-tile=hw=%S/../../Compile/Inputs/small-buffers.json | FileCheck %s --check-prefix=SMALL

!a = !quant.uniform<i8:f32, 0.5:-3>
!b = !quant.uniform<i8:f32, 0.25:1>

// On the default hardware the whole 12x12 output fits one spatial tile; on
// tiny buffers it is cut into row bands.
// CHECK-LABEL: func.func @main
// CHECK: escalate.qconv {{.*}}escalate.tile = #escalate.tile<rows = 12, cols = 12, in_channels = 8, out_channels = {{[0-9]+}}, order = {{.*}}, double_buffer = true, cycles = {{[0-9]+}}, dram_bytes = {{[0-9]+}}>
// CHECK: escalate.qpool {{.*}}escalate.tile = #escalate.tile<rows = 6, cols = 6, in_channels = 24, out_channels = 24
// CHECK: escalate.qadd {{.*}}escalate.tile = #escalate.tile<rows = 6, cols = 6, in_channels = 24, out_channels = 24
// SMALL: escalate.qconv {{.*}}escalate.tile = #escalate.tile<rows = {{[1-9]}}, cols = 12, in_channels = 8,
func.func @main(%x: tensor<1x8x12x12x!a>, %w: tensor<24x8x3x3xi8>) -> tensor<1x24x6x6x!b> {
  %w0 = escalate.constant dense<1> : tensor<24x8x3x3xi8>
  %acc = escalate.qconv %x, %w0 {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x12x12x!a>, tensor<24x8x3x3xi8>) -> tensor<1x24x12x12xi32>
  %y = escalate.requant %acc {bias = array<i32: 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64} : tensor<1x24x12x12xi32> -> tensor<1x24x12x12x!b>
  %p = escalate.qpool %y {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 2, 2>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x24x12x12x!b>) -> tensor<1x24x6x6x!b>
  %s = escalate.qadd %p, %p {clamp_hi = 127 : i64, clamp_lo = -128 : i64, lhs_multiplier = 1073741824 : i32, rhs_multiplier = 1073741824 : i32, shift = 31 : i32} : (tensor<1x24x6x6x!b>, tensor<1x24x6x6x!b>) -> tensor<1x24x6x6x!b>
  return %s : tensor<1x24x6x6x!b>
}

// A conv with a fused residual add is costed as one layer with it: the
// add gets no tile of its own. (Its output tile and the residual's share
// the output slot; on the tiny buffers the input tile binds first.)
// CHECK-LABEL: func.func @fused
// CHECK: escalate.qconv {{.*}}escalate.epilogue, escalate.tile = #escalate.tile<rows = 12, cols = 12, in_channels = 8,
// CHECK-NOT: escalate.tile
// CHECK: return
// SMALL-LABEL: func.func @fused
// SMALL: escalate.qconv {{.*}}escalate.epilogue, escalate.tile = #escalate.tile<rows = 6, cols = 12, in_channels = 8,
// SMALL-NOT: escalate.tile
// SMALL: return
func.func @fused(%x: tensor<1x8x12x12x!a>, %r: tensor<1x24x12x12x!b>) -> tensor<1x24x12x12x!b> {
  %w0 = escalate.constant dense<1> : tensor<24x8x3x3xi8>
  %acc = escalate.qconv %x, %w0 {escalate.epilogue, acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x12x12x!a>, tensor<24x8x3x3xi8>) -> tensor<1x24x12x12xi32>
  %y = escalate.requant %acc {bias = array<i32: 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64} : tensor<1x24x12x12xi32> -> tensor<1x24x12x12x!b>
  %s = escalate.qadd %y, %r {clamp_hi = 127 : i64, clamp_lo = -128 : i64, lhs_multiplier = 1073741824 : i32, rhs_multiplier = 1073741824 : i32, shift = 31 : i32} : (tensor<1x24x12x12x!b>, tensor<1x24x12x12x!b>) -> tensor<1x24x12x12x!b>
  return %s : tensor<1x24x12x12x!b>
}

// A fused global pool needs the whole 16 x 16 map in one tile. The default
// buffers hold it; on the tiny ones two channels of a 3x3 conv's stage-1
// maps for 256 pixels overflow the stream buffer, so the conv loses its
// epilogue and the pool becomes a layer of its own with its own tile.
// CHECK-LABEL: func.func @global_pool
// CHECK: escalate.qconv {{.*}}escalate.epilogue, escalate.tile = #escalate.tile<rows = 16, cols = 16,
// CHECK-NOT: escalate.tile
// CHECK: return
// SMALL-LABEL: func.func @global_pool
// SMALL: escalate.qconv
// SMALL-NOT: escalate.epilogue
// SMALL-SAME: escalate.tile = #escalate.tile<rows = {{[0-9]+}}
// SMALL: escalate.qpool {{.*}}escalate.tile = #escalate.tile<
func.func @global_pool(%x: tensor<1x4x16x16x!a>) -> tensor<1x4x1x1x!b> {
  %w = escalate.constant dense<1> : tensor<4x4x3x3xi8>
  %acc = escalate.qconv %x, %w {escalate.epilogue, acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x16x16x!a>, tensor<4x4x3x3xi8>) -> tensor<1x4x16x16xi32>
  %y = escalate.requant %acc {bias = array<i32: 0, 0, 0, 0>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64} : tensor<1x4x16x16xi32> -> tensor<1x4x16x16x!b>
  %g = escalate.qpool %y {avg_multiplier = 1 : i64, avg_shift = 8 : i64, kernel_shape = array<i64: 16, 16>, kind = #escalate<pool_kind avg>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x16x16x!b>) -> tensor<1x4x1x1x!b>
  return %g : tensor<1x4x1x1x!b>
}
