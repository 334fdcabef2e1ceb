// RUN: escalate-opt %s --convert-escalate-to-escisa --split-input-file --verify-diagnostics --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s

// Float ops bracketed by escalate-quantize become host ops: the input's
// dequantize gives the integer tensor the host reads, the quantize the one
// it writes (placement only, no instruction). A float constant goes to a
// segment of IEEE binary32 bytes after the arena (0.5, 2.0 little-endian)
// and enters the entry as a 32-bit tensor with scale 0. Each host op gets a
// record: kind "host <kind>", unit "host", the host's cycles: 20 per
// element of work (the transpose moves 24, the mul reads 24 + 2).
// CHECK-LABEL: escisa.program
// CHECK-SAME: escisa.layers = [{constant_bytes = 0 : i64, estimated_cycles = 480 : i64, estimated_dram_bytes = 48 : i64, instructions = 1 : i64, kind = "host transpose", name = "t", unit = "host"}, {constant_bytes = 8 : i64, estimated_cycles = 520 : i64, estimated_dram_bytes = 56 : i64, instructions = 1 : i64, kind = "host mul", name = "m", unit = "host"}]
// CHECK: escisa.segment "m/input1" at 128 = dense<[0, 0, 0, 63, 0, 0, 0, 64]> : tensor<8xi8>
// CHECK: escisa.host index = 0 {axis = -1 : i64, inputs = [#escisa.tensor<dram = 0, shape = [1, 2, 3, 4], bits = 8, scale = 5.000000e-01, zero_point = 0>], ints = array<i64: 0, 2, 3, 1>, kind = #escisa<host_kind transpose>, output = #escisa.tensor<dram = 64, shape = [1, 3, 4, 2], bits = 8, scale = 5.000000e-01, zero_point = 0>} loc("t")
// CHECK-NEXT: escisa.host index = 1 {axis = -1 : i64, inputs = [#escisa.tensor<dram = 64, shape = [1, 3, 4, 2], bits = 8, scale = 5.000000e-01, zero_point = 0>, #escisa.tensor<dram = 128, shape = [2], bits = 32, scale = 0.000000e+00, zero_point = 0>], kind = #escisa<host_kind mul>, output = #escisa.tensor<dram = 0, shape = [1, 3, 4, 2], bits = 8, scale = 2.500000e-01, zero_point = 0>} loc("m")
// CHECK-NEXT: escisa.halt
!a = !quant.uniform<i8:f32, 0.5:0>
!b = !quant.uniform<i8:f32, 0.25:0>
func.func @main(%x: tensor<1x2x3x4xf32>) -> tensor<1x3x4x2xf32> attributes {escalate.dram_plan = #escalate.dram_plan<arena_bytes = 128, unshared_bytes = 128, buffers = 3>} {
  %q = escalate.quantize %x {escalate.dram = #escalate.dram<base = 0, image_stride = 24>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x4x!a>
  %d = escalate.dequantize %q : tensor<1x2x3x4x!a> -> tensor<1x2x3x4xf32>
  %t = escalate.transpose %d {perm = array<i64: 0, 2, 3, 1>} : tensor<1x2x3x4xf32> loc("t")
  %tq = escalate.quantize %t {escalate.dram = #escalate.dram<base = 64, image_stride = 24>} : tensor<1x3x4x2xf32> -> tensor<1x3x4x2x!a>
  %td = escalate.dequantize %tq : tensor<1x3x4x2x!a> -> tensor<1x3x4x2xf32>
  %k = escalate.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %m = escalate.mul %td, %k : tensor<1x3x4x2xf32>, tensor<2xf32> loc("m")
  %mq = escalate.quantize %m {escalate.dram = #escalate.dram<base = 0, image_stride = 24>} : tensor<1x3x4x2xf32> -> tensor<1x3x4x2x!b>
  %md = escalate.dequantize %mq : tensor<1x3x4x2x!b> -> tensor<1x3x4x2xf32>
  return %md : tensor<1x3x4x2xf32>
}

// -----

// A float op whose result escalate-quantize did not quantize (the pass was
// not run) is named, not emitted.
func.func @main(%x: tensor<1x2x3x4xf32>) -> tensor<1x3x4x2xf32> attributes {escalate.dram_plan = #escalate.dram_plan<arena_bytes = 64, unshared_bytes = 64, buffers = 1>} {
  %q = escalate.quantize %x {escalate.dram = #escalate.dram<base = 0, image_stride = 24>} : tensor<1x2x3x4xf32> -> tensor<1x2x3x4x!quant.uniform<i8:f32, 0.5:0>>
  %d = escalate.dequantize %q : tensor<1x2x3x4x!quant.uniform<i8:f32, 0.5:0>> -> tensor<1x2x3x4xf32>
  // expected-error @+1 {{'escalate.transpose' op runs on the host, but its result is not quantized once: run escalate-quantize first}}
  %t = escalate.transpose %d {perm = array<i64: 0, 2, 3, 1>} : tensor<1x2x3x4xf32>
  return %t : tensor<1x3x4x2xf32>
}
