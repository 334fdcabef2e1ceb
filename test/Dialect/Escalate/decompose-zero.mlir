// An all-zero layer needs one basis, and layers with no output channels do
// not break the reports.
// RUN: escalate-opt %s --escalate-decompose-kernels=energy=0.9 --escalate-decomposition-report --escalate-layer-stats -o /dev/null 2>&1 | FileCheck %s
// CHECK: zeros 1 100.0% 36 9 900 450 0.00e+00
// CHECK: empty 1 0.0% 0 9 0 0
func.func @main(%x: tensor<1x2x5x5xf32>) -> (tensor<1x2x5x5xf32>, tensor<1x0x5x5xf32>) {
  %w = escalate.constant dense<0.0> : tensor<2x2x3x3xf32>
  %y = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : (tensor<1x2x5x5xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x5x5xf32> loc("zeros")
  %b = escalate.constant dense<1.0> : tensor<1x3x3xf32>
  %c = escalate.constant dense<> : tensor<0x2x1xf32>
  %e = escalate.decomposed_conv %x, %b, %c {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : (tensor<1x2x5x5xf32>, tensor<1x3x3xf32>, tensor<0x2x1xf32>) -> tensor<1x0x5x5xf32> loc("empty")
  return %y, %e : tensor<1x2x5x5xf32>, tensor<1x0x5x5xf32>
}
