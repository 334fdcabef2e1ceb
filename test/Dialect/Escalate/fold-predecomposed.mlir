// escalate-fold-predecomposed folds only exact PENNI patterns.
// RUN: escalate-opt %s --escalate-fold-predecomposed --split-input-file | FileCheck %s

// Two bases repeated for both input channels; the grouped conv's bias folds
// into the coefficient stage: b2 + W2 * b1 = 0.5 + (1*1 + 2*1 + 3*1 + 4*1).
// CHECK-LABEL: func.func @folds
// CHECK-DAG: %[[B:.*]] = escalate.constant dense<{{\[\[\[}}1.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00]], {{\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00]]]> : tensor<2x2x2xf32>
// CHECK-DAG: %[[C:.*]] = escalate.constant dense<{{\[\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]]> : tensor<1x2x2xf32>
// CHECK-DAG: %[[BIAS:.*]] = escalate.constant dense<1.050000e+01> : tensor<1xf32>
// CHECK: escalate.decomposed_conv %arg0, %[[B]], %[[C]], %[[BIAS]]
// CHECK-SAME: escalate.predecomposed
// CHECK-NOT: escalate.conv
func.func @folds(%x: tensor<1x2x4x4xf32>) -> tensor<1x1x3x3xf32> {
  %w = escalate.constant dense<[[[[1.0, 0.0], [0.0, 0.0]]], [[[0.0, 0.0], [0.0, 1.0]]], [[[1.0, 0.0], [0.0, 0.0]]], [[[0.0, 0.0], [0.0, 1.0]]]]> : tensor<4x1x2x2xf32>
  %b1 = escalate.constant dense<1.0> : tensor<4xf32>
  %maps = escalate.conv %x, %w, %b1 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2} : (tensor<1x2x4x4xf32>, tensor<4x1x2x2xf32>, tensor<4xf32>) -> tensor<1x4x3x3xf32>
  %c = escalate.constant dense<[[[[1.0]], [[2.0]], [[3.0]], [[4.0]]]]> : tensor<1x4x1x1xf32>
  %b2 = escalate.constant dense<0.5> : tensor<1xf32>
  %y = escalate.conv %maps, %c, %b2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x4x3x3xf32>, tensor<1x4x1x1xf32>, tensor<1xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}

// -----

// The second input channel's filters differ: not a shared basis.
// CHECK-LABEL: func.func @not_repeated
// CHECK-NOT: decomposed_conv
func.func @not_repeated(%x: tensor<1x2x4x4xf32>) -> tensor<1x1x3x3xf32> {
  %w = escalate.constant dense<[[[[1.0, 0.0], [0.0, 0.0]]], [[[0.0, 0.0], [0.0, 1.0]]], [[[1.0, 0.0], [0.0, 0.0]]], [[[0.0, 0.0], [1.0, 0.0]]]]> : tensor<4x1x2x2xf32>
  %maps = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2} : (tensor<1x2x4x4xf32>, tensor<4x1x2x2xf32>) -> tensor<1x4x3x3xf32>
  %c = escalate.constant dense<1.0> : tensor<1x4x1x1xf32>
  %y = escalate.conv %maps, %c {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x4x3x3xf32>, tensor<1x4x1x1xf32>) -> tensor<1x1x3x3xf32>
  return %y : tensor<1x1x3x3xf32>
}

// -----

// The intermediate maps are also an output: folding would lose them.
// CHECK-LABEL: func.func @maps_used_elsewhere
// CHECK-NOT: decomposed_conv
func.func @maps_used_elsewhere(%x: tensor<1x2x4x4xf32>) -> (tensor<1x1x3x3xf32>, tensor<1x4x3x3xf32>) {
  %w = escalate.constant dense<[[[[1.0, 0.0], [0.0, 0.0]]], [[[0.0, 0.0], [0.0, 1.0]]], [[[1.0, 0.0], [0.0, 0.0]]], [[[0.0, 0.0], [0.0, 1.0]]]]> : tensor<4x1x2x2xf32>
  %maps = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 2} : (tensor<1x2x4x4xf32>, tensor<4x1x2x2xf32>) -> tensor<1x4x3x3xf32>
  %c = escalate.constant dense<1.0> : tensor<1x4x1x1xf32>
  %y = escalate.conv %maps, %c {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x4x3x3xf32>, tensor<1x4x1x1xf32>) -> tensor<1x1x3x3xf32>
  return %y, %maps : tensor<1x1x3x3xf32>, tensor<1x4x3x3xf32>
}
