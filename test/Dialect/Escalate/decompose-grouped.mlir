// escalate-decompose-kernels leaves a grouped 3x3 conv (2 input channels
// per group) dense: its basis maps alone would cost M / 2 of the dense
// grouped conv. The ungrouped conv beside it is decomposed.
// RUN: escalate-opt %s --escalate-decompose-kernels=bases=4 | FileCheck %s
// CHECK-LABEL: func.func @main
// CHECK: escalate.conv %arg0, {{.*}}group = 2 : i64{{.*}} -> tensor<1x4x5x5xf32>
// CHECK: escalate.decomposed_conv %arg0, {{.*}}group = 1 : i64
func.func @main(%x: tensor<1x4x5x5xf32>) -> (tensor<1x4x5x5xf32>, tensor<1x4x5x5xf32>) {
  %g = escalate.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 1.0]]], [[[2.0, 1.0, 2.0], [1.0, 2.0, 1.0], [2.0, 1.0, 2.0]], [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]], [[[3.0, 2.0, 1.0], [2.0, 1.0, 0.0], [1.0, 0.0, 1.0]], [[1.0, 1.0, 1.0], [1.0, 2.0, 1.0], [1.0, 1.0, 1.0]]], [[[0.5, 0.0, 0.5], [0.0, 0.5, 0.0], [0.5, 0.0, 0.5]], [[2.0, 2.0, 0.0], [2.0, 0.0, 0.0], [0.0, 0.0, 0.0]]]]> : tensor<4x2x3x3xf32>
  %a = escalate.conv %x, %g {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 2} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x5xf32>
  %w = escalate.constant dense<0.5> : tensor<4x4x3x3xf32>
  %b = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : (tensor<1x4x5x5xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x5x5xf32>
  return %a, %b : tensor<1x4x5x5xf32>, tensor<1x4x5x5xf32>
}
