// escalate-quantize runs average pools whose divisor leaves padding out on
// the accelerator (docs/quantization.md, "Pooling"): the qpool's pads
// include the end rows and columns ceil_mode adds, `uncounted` names the
// outer bands of that padding the divisor does not count (all of it
// without count_include_pad, the ceil_mode part with it), and `divisors`
// holds 2^30 / n for every window size n, with avg_shift 30.
// RUN: printf '# escalate calibration table: method=minmax samples=1\nx -1 1\na -1 1\nb -1 1\nc -1 1\nd -1 1\n' > %t.txt
// RUN: escalate-opt %s --split-input-file --escalate-quantize="calib-table=%t.txt" | FileCheck %s

// CHECK-LABEL: func.func @main
// CHECK: escalate.qpool %{{.*}} {avg_multiplier = 119304647 : i64, avg_shift = 30 : i64, divisors = array<i64: 1073741824, 536870912, 357913941, 268435456, 214748365, 178956971, 153391689, 134217728, 119304647>, kernel_shape = array<i64: 3, 3>, kind = #escalate<pool_kind avg>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>, uncounted = array<i64: 1, 1, 1, 1>} : {{.*}} -> tensor<1x2x5x5x
// CHECK: escalate.qpool %{{.*}} {{{.*}}pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>, uncounted = array<i64: 0, 0, 1, 1>} : {{.*}} -> tensor<1x2x3x3x
// CHECK: escalate.qpool %{{.*}} {avg_multiplier = 268435456 : i64, avg_shift = 30 : i64, divisors = array<i64: 1073741824, 536870912, 357913941, 268435456>, kernel_shape = array<i64: 2, 2>, {{.*}}pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>, uncounted = array<i64: 0, 0, 1, 1>} : {{.*}} -> tensor<1x2x2x2x
// A pool that counts all of its padding keeps one multiplier.
// CHECK: escalate.qpool %{{.*}} {avg_multiplier = 1908874354 : i64, avg_shift = 34 : i64, kernel_shape = array<i64: 3, 3>, kind = #escalate<pool_kind avg>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} :
func.func @main(%x: tensor<1x2x5x5xf32> {escalate.name = "x"}) -> (tensor<1x2x2x2xf32> {escalate.name = "y"}) {
  %a = escalate.average_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = false, count_include_pad = false} : (tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32> loc("a")
  %b = escalate.average_pool %a {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 0, 0>, ceil_mode = true, count_include_pad = true} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> loc("b")
  %c = escalate.average_pool %b {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true, count_include_pad = false} : (tensor<1x2x3x3xf32>) -> tensor<1x2x2x2xf32> loc("c")
  %d = escalate.average_pool %c {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = false, count_include_pad = true} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> loc("d")
  return %d : tensor<1x2x2x2xf32>
}

// -----

// A window wholly in padding the divisor leaves out (padding as tall as
// the kernel) has no divisor: the pool runs on the host.
// CHECK-LABEL: func.func @main
// CHECK: %[[D:.*]] = escalate.dequantize
// CHECK: escalate.average_pool %[[D]]
// CHECK-NOT: escalate.qpool
func.func @main(%x: tensor<1x2x4x4xf32> {escalate.name = "x"}) -> (tensor<1x2x5x3xf32> {escalate.name = "y"}) {
  %r = escalate.relu %x : tensor<1x2x4x4xf32> loc("a")
  %a = escalate.average_pool %r {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 2, 0, 0, 0>, ceil_mode = false, count_include_pad = false} : (tensor<1x2x4x4xf32>) -> tensor<1x2x5x3xf32> loc("b")
  return %a : tensor<1x2x5x3xf32>
}
