// RUN: escalate-opt %s --split-input-file --verify-diagnostics
// RUN: not escalate-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(escalate-plan-dram),convert-escalate-to-escisa)" 2>&1 | FileCheck %s
// CHECK: has no #escalate.tile: run escalate-tile first

func.func @not_a_layer(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{escalate.tile must be an #escalate.tile on a qconv, qdecomposed_conv, qpool, qadd, qmul or qlut}}
  %r = escalate.relu %x {escalate.tile = #escalate.tile<rows = 4, cols = 4, in_channels = 2, out_channels = 2, order = spatial_outer, double_buffer = true, cycles = 0, dram_bytes = 0>} : tensor<1x2x4x4xf32>
  return %r : tensor<1x2x4x4xf32>
}

// -----

!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @empty_tile(%x: tensor<1x2x4x4x!a>) -> tensor<1x2x4x4x!a> {
  // expected-error @+1 {{tile rows, cols and channels must be positive}}
  %p = escalate.qpool %x {escalate.tile = #escalate.tile<rows = 0, cols = 4, in_channels = 2, out_channels = 2, order = spatial_outer, double_buffer = true, cycles = 0, dram_bytes = 0>, avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4x!a>) -> tensor<1x2x4x4x!a>
  return %p : tensor<1x2x4x4x!a>
}

// -----

!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @no_tile(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %q = escalate.quantize %x : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!a>
  %p = escalate.qpool %q {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4x!a>) -> tensor<1x2x4x4x!a>
  %d = escalate.dequantize %p : tensor<1x2x4x4x!a> -> tensor<1x2x4x4xf32>
  return %d : tensor<1x2x4x4xf32>
}
