// RUN: escalate-opt %s --convert-escalate-to-escisa --split-input-file --verify-diagnostics | FileCheck %s

// Graph inputs are declared through their quantize, in argument order and
// named by escalate.name (or input<N>); outputs through the return, before
// their dequantize (or output<N>). Declarations come first, then the
// program; constants, reshapes and concats emit nothing. Without
// constants, dram_bytes is the arena.
// CHECK-LABEL: escisa.program
// CHECK-SAME: dram_bytes = 128
// CHECK-NEXT: escisa.tensor input "x" <dram = 0, shape = [1, 2, 4, 4], bits = 8, scale = 5.000000e-01, zero_point = -3>
// CHECK-NEXT: escisa.tensor input "input1" <dram = 64, shape = [1, 2, 4, 4], bits = 8, scale = 2.500000e-01, zero_point = 0>
// CHECK-NEXT: escisa.tensor output "y" <dram = 0, shape = [1, 4, 4, 4], bits = 8, scale = 5.000000e-01, zero_point = -3>
// CHECK-NEXT: escisa.tensor output "output1" <dram = 64, shape = [1, 32], bits = 8, scale = 2.500000e-01, zero_point = 0>
// CHECK-NEXT: escisa.halt
// CHECK-NEXT: }
// CHECK-NOT: func.func
!a = !quant.uniform<i8:f32, 0.5:-3>
!b = !quant.uniform<i8:f32, 0.25:0>
module {
  func.func @main(%x: tensor<1x2x4x4xf32> {escalate.name = "x"}, %z: tensor<1x2x4x4xf32>) -> (tensor<1x4x4x4xf32> {escalate.name = "y"}, tensor<1x32x!b>) attributes {escalate.dram_plan = #escalate.dram_plan<arena_bytes = 128, unshared_bytes = 128, buffers = 2>} {
    %q = escalate.quantize %x {escalate.dram = #escalate.dram<base = 0, image_stride = 32>} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!a>
    %r = escalate.quantize %z {escalate.dram = #escalate.dram<base = 64, image_stride = 32>} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!b>
    %c = escalate.concat %q, %q {axis = 1, escalate.dram = #escalate.dram<base = 0, image_stride = 64>} : tensor<1x2x4x4x!a>, tensor<1x2x4x4x!a>
    %f = escalate.reshape %r {shape = array<i64: 1, 32>, escalate.dram = #escalate.dram<base = 64, image_stride = 32>} : tensor<1x2x4x4x!b>
    %d = escalate.dequantize %c : tensor<1x4x4x4x!a> -> tensor<1x4x4x4xf32>
    return %d, %f : tensor<1x4x4x4xf32>, tensor<1x32x!b>
  }
}

// -----

// The conversion needs the plan escalate-plan-dram writes.
!a = !quant.uniform<i8:f32, 0.5:-3>
// expected-error @+1 {{convert-escalate-to-escisa: the function has no DRAM plan: run escalate-plan-dram first}}
func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4x!a> {
  %q = escalate.quantize %x : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!a>
  return %q : tensor<1x2x4x4x!a>
}

// -----

// A dequantize may only hand an output back in float; the first failure is
// the only one reported (the batch norm after it would be another: it has
// no host form).
!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @main(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32> attributes {escalate.dram_plan = #escalate.dram_plan<arena_bytes = 64, unshared_bytes = 64, buffers = 1>} {
  %q = escalate.quantize %x {escalate.dram = #escalate.dram<base = 0, image_stride = 50>} : tensor<1x2x5x5xf32> -> tensor<1x2x5x5x!a>
  // expected-error @+1 {{feeds float op 'escalate.batch_norm' (layer 'bn'), which the accelerator cannot run}}
  %d = escalate.dequantize %q : tensor<1x2x5x5x!a> -> tensor<1x2x5x5xf32>
  %s = escalate.constant dense<1.0> : tensor<2xf32>
  %r = escalate.batch_norm %d, %s, %s, %s, %s {epsilon = 1.0e-5 : f32} : (tensor<1x2x5x5xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x5x5xf32> loc("bn")
  return %r : tensor<1x2x5x5xf32>
}

// -----

// Float ops have no lowering.
!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @main(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x5x5x!a> attributes {escalate.dram_plan = #escalate.dram_plan<arena_bytes = 64, unshared_bytes = 64, buffers = 1>} {
  %s = escalate.constant dense<1.0> : tensor<2xf32>
  // expected-error @+1 {{'escalate.batch_norm' op has no accelerator lowering: it is not quantized (escalate-quantize leaves it in floating point, see docs/quantization.md) and the host core has no form of it (docs/compile.md, "Where each ONNX operator runs")}}
  %r = escalate.batch_norm %x, %s, %s, %s, %s {epsilon = 1.0e-5 : f32} : (tensor<1x2x5x5xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x5x5xf32>
  %q = escalate.quantize %r {escalate.dram = #escalate.dram<base = 0, image_stride = 50>} : tensor<1x2x5x5xf32> -> tensor<1x2x5x5x!a>
  return %q : tensor<1x2x5x5x!a>
}

// -----

// An output must be a planned quantized activation.
func.func @main(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32> attributes {escalate.dram_plan = #escalate.dram_plan<arena_bytes = 0, unshared_bytes = 0, buffers = 0>} {
  // expected-error @+1 {{output 0 is not a quantized activation}}
  return %x : tensor<1x2x5x5xf32>
}

// -----

// Inputs, outputs and host-op operands are contiguous: a batch-2 operand of
// a concat (image stride 64 for 32-byte images) cannot be an output.
!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @main(%x: tensor<2x2x4x4xf32>) -> (tensor<2x2x4x4x!a>, tensor<2x4x4x4x!a>) attributes {escalate.dram_plan = #escalate.dram_plan<arena_bytes = 192, unshared_bytes = 192, buffers = 2>} {
  %q = escalate.quantize %x {escalate.dram = #escalate.dram<base = 128, image_stride = 32>} : tensor<2x2x4x4xf32> -> tensor<2x2x4x4x!a>
  %p = escalate.qpool %q {avg_multiplier = 0 : i64, avg_shift = 0 : i64, escalate.dram = #escalate.dram<base = 0, image_stride = 64>, escalate.tile = #escalate.tile<rows = 4, cols = 4, in_channels = 2, out_channels = 2, order = spatial_outer, double_buffer = false, cycles = 1, dram_bytes = 1>, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<2x2x4x4x!a>) -> tensor<2x2x4x4x!a>
  %c = escalate.concat %p, %p {axis = 1, escalate.dram = #escalate.dram<base = 0, image_stride = 64>} : tensor<2x2x4x4x!a>, tensor<2x2x4x4x!a>
  // expected-error @+1 {{needs a contiguous tensor, but its operand lives inside a concat with batch > 1}}
  return %p, %c : tensor<2x2x4x4x!a>, tensor<2x4x4x4x!a>
}
