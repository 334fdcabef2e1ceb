// Assemble, disassemble, assemble again: the two binaries are identical, and
// the disassembly keeps every field, declaration and layer name.
// RUN: escalate-translate --escisa-to-bin %s -o %t.escb
// RUN: escalate-translate --bin-to-escisa %t.escb -o %t.mlir
// RUN: escalate-translate --escisa-to-bin %t.mlir -o %t2.escb
// RUN: cmp %t.escb %t2.escb
// RUN: FileCheck %s < %t.mlir

// CHECK: escisa.program attributes {dram_bytes = 4096 : i64} {
// CHECK: escisa.tensor input "x" <dram = 0, shape = [1, 2, 4, 4], bits = 8, scale = 5.000000e-01, zero_point = -3>
// CHECK: escisa.segment "weights" at 1024 = dense<[1, -1, 2, -2]> : tensor<4xi8>
// CHECK: escisa.load buf = act, sram = 0, dram = 0, c = 2, h = 4, w = 4, stride_c = 16, stride_h = 4, pad_top = 1, pad_bottom = 1, pad_left = 1, pad_right = 1, pad_value = -3, elem_bytes = 1 loc(#[[CONV:loc[0-9]*]])
// CHECK: escisa.conv mode = window, format = delta, index_bits = 2, input = 0, in_c = 2, in_h = 6, in_w = 6, kernel_h = 3, kernel_w = 3, stride_h = 2, stride_w = 1, dilation_h = 1, dilation_w = 1, out_c = 2, groups = 2, bases = 9, basis = 0, coef = 0, act_bits = 8, basis_bits = 0, coef_bits = 4, acc = 0, accumulate = accumulate loc(#[[CONV]])
// CHECK: escisa.requant src = 0, dst = 512, c = 2, h = 2, w = 4, params = 128, out_bits = 8, zero_point = -3, clamp_lo = -3, clamp_hi = 127, neg_mult = 0, neg_shift = 0
// CHECK: escisa.lut src = 512, dst = 1024, count = 16, table = 256
// CHECK: escisa.pool kind = avg, src = 0, dst = 2048, c = 2, in_h = 6, in_w = 6, kernel_h = 3, kernel_w = 3, stride_h = 3, stride_w = 3, bits = 8, avg_mult = 7282, avg_shift = 16, zero_point = -3, uncounted_top = 0, uncounted_left = 0, uncounted_bottom = 0, uncounted_right = 0, divisors = 0
// CHECK: escisa.eltwise op = mul, broadcast = channel, a = 0, b = 64, dst = 3072, c = 2, h = 4, w = 4, params = 512, bits = 8 loc(#[[SE:loc[0-9]*]])
// CHECK: escisa.host index = 0 {axis = 1 : i64, inputs = [#escisa.tensor<dram = 2048, shape = [1, 10], bits = 8, scale = 1.250000e-01, zero_point = 0>], kind = #escisa<host_kind softmax>, output = #escisa.tensor<dram = 2112, shape = [1, 10], bits = 8, scale = 3.906250e-03, zero_point = -128>}
// CHECK: escisa.halt
// CHECK-DAG: #[[CONV]] = loc("conv1")
// CHECK-DAG: #[[SE]] = loc("se/mul")

escisa.program attributes {dram_bytes = 4096} {
  escisa.tensor input "x" <dram = 0, shape = [1, 2, 4, 4], bits = 8, scale = 0.5, zero_point = -3>
  escisa.tensor output "y" <dram = 64, shape = [1, 2, 2, 4], bits = 8, scale = 0.25, zero_point = 0>
  escisa.segment "weights" at 1024 = dense<[1, -1, 2, -2]> : tensor<4xi8>
  escisa.load buf = act, sram = 0, dram = 0, c = 2, h = 4, w = 4, stride_c = 16, stride_h = 4, pad_top = 1, pad_bottom = 1, pad_left = 1, pad_right = 1, pad_value = -3, elem_bytes = 1 loc("conv1")
  escisa.conv mode = window, format = delta, index_bits = 2, input = 0, in_c = 2, in_h = 6, in_w = 6, kernel_h = 3, kernel_w = 3, stride_h = 2, stride_w = 1, dilation_h = 1, dilation_w = 1, out_c = 2, groups = 2, bases = 9, basis = 0, coef = 0, act_bits = 8, basis_bits = 0, coef_bits = 4, acc = 0, accumulate = accumulate loc("conv1")
  escisa.requant src = 0, dst = 512, c = 2, h = 2, w = 4, params = 128, out_bits = 8, zero_point = -3, clamp_lo = -3, clamp_hi = 127, neg_mult = 0, neg_shift = 0 loc("conv1")
  escisa.lut src = 512, dst = 1024, count = 16, table = 256
  escisa.pool kind = avg, src = 0, dst = 2048, c = 2, in_h = 6, in_w = 6, kernel_h = 3, kernel_w = 3, stride_h = 3, stride_w = 3, bits = 8, avg_mult = 7282, avg_shift = 16, zero_point = -3, uncounted_top = 0, uncounted_left = 0, uncounted_bottom = 0, uncounted_right = 0, divisors = 0
  escisa.eltwise op = mul, broadcast = channel, a = 0, b = 64, dst = 3072, c = 2, h = 4, w = 4, params = 512, bits = 8 loc("se/mul")
  escisa.store buf = act, sram = 512, dram = 64, c = 2, h = 2, w = 4, stride_c = 8, stride_h = 4, elem_bytes = 1 loc("se/mul")
  escisa.host index = 0 {axis = 1, inputs = [#escisa.tensor<dram = 2048, shape = [1, 10], bits = 8, scale = 0.125, zero_point = 0>], kind = #escisa<host_kind softmax>, output = #escisa.tensor<dram = 2112, shape = [1, 10], bits = 8, scale = 0.00390625, zero_point = -128>}
  escisa.halt
}
