// RUN: escalate-opt %s --escalate-prune-weights="sparsity=0.5 min-weights=0" | FileCheck %s
// RUN: escalate-opt %s --escalate-prune-weights="sparsity=0.5" | FileCheck %s --check-prefix=SMALL
// RUN: not escalate-opt %s --escalate-prune-weights="sparsity=1" 2>&1 | FileCheck %s --check-prefix=BAD

// Half of the weights, the smallest in magnitude, become zero; the layer
// keeps its shape. Below min-weights (default 4096) a layer stays dense.
// CHECK: escalate.constant dense<{{\[\[\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00]]], {{\[\[\[}}5.000000e+00, -6.000000e+00], [7.000000e+00, -8.000000e+00]]]]>
// CHECK: escalate.conv
// SMALL: escalate.constant dense<{{\[\[\[\[}}1.000000e+00, -2.000000e+00]
// BAD: escalate-prune-weights: sparsity must be in [0, 1), not 1
func.func @main(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x3x3xf32> {
  %w = escalate.constant dense<[[[[1.0, -2.0], [3.0, -4.0]]], [[[5.0, -6.0], [7.0, -8.0]]]]> : tensor<2x1x2x2xf32>
  %y = escalate.conv %x, %w {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x2x2xf32>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}
