// keep-predecomposed: a layer trained in decomposed form (marked by
// escalate-fold-predecomposed) keeps its trained coefficients, unless its
// layer configuration sets a sparsity; other layers are pruned as asked.
// RUN: escalate-opt %s '--escalate-prune-coefficients=sparsity=0.5 keep-predecomposed=true' | FileCheck %s --check-prefix=KEEP
// RUN: escalate-opt %s '--escalate-prune-coefficients=sparsity=0.5' | FileCheck %s --check-prefix=PRUNE

// The trained layer's four coefficients survive; the other layer's four
// smallest of eight are zeroed.
// KEEP: dense<{{\[\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]]> : tensor<1x2x2xf32>
// KEEP: dense<{{\[\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00]], {{\[\[}}5.000000e+00, 6.000000e+00], [7.000000e+00, 8.000000e+00]]]> : tensor<2x2x2xf32>
// Without the option both layers lose half their coefficients.
// PRUNE: dense<{{\[\[\[}}0.000000e+00, 0.000000e+00], [3.000000e+00, 4.000000e+00]]]> : tensor<1x2x2xf32>
// PRUNE: dense<{{\[\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00]], {{\[\[}}5.000000e+00, 6.000000e+00], [7.000000e+00, 8.000000e+00]]]> : tensor<2x2x2xf32>
func.func @main(%x: tensor<1x2x4x4xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) {
  %b = escalate.constant dense<[[[1.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 1.0]]]> : tensor<2x2x2xf32>
  %c1 = escalate.constant dense<[[[1.0, 2.0], [3.0, 4.0]]]> : tensor<1x2x2xf32>
  %c2 = escalate.constant dense<[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]> : tensor<2x2x2xf32>
  %y1 = escalate.decomposed_conv %x, %b, %c1 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1, escalate.predecomposed} : (tensor<1x2x4x4xf32>, tensor<2x2x2xf32>, tensor<1x2x2xf32>) -> tensor<1x1x3x3xf32> loc("trained")
  %y2 = escalate.decomposed_conv %x, %b, %c2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x2x4x4xf32>, tensor<2x2x2xf32>, tensor<2x2x2xf32>) -> tensor<1x2x3x3xf32> loc("other")
  return %y1, %y2 : tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>
}
