// Canonicalization: BatchNorm folds into Conv and Gemm, Identity/Dropout
// vanish, constant subgraphs are evaluated, static shapes fold.
// RUN: escalate-opt %s --escalate-graph-opt --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @bn_into_gemm
// CHECK-NOT: batch_norm
// CHECK-DAG: %[[C:.*]] = escalate.constant dense<{{\[\[}}1.500000e+00, 3.000000e+00]]> : tensor<1x2xf32>
// CHECK-DAG: %[[B:.*]] = escalate.constant dense<{{\[\[}}2.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>
// CHECK: escalate.gemm %arg0, %[[B]], %[[C]] {alpha = 1.000000e+00 : f32, beta = 1.000000e+00 : f32
func.func @bn_into_gemm(%a: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %b = escalate.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %c = escalate.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %g = escalate.gemm %a, %b, %c {alpha = 1.0 : f32, beta = 1.0 : f32, trans_a = false, trans_b = false} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  // scale/sqrt(var) = [2, 1], shift = beta - mean*s = [0.5, 2.0] - [0, 0]
  %s = escalate.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %t = escalate.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %m = escalate.constant dense<0.0> : tensor<2xf32>
  %v = escalate.constant dense<1.0> : tensor<2xf32>
  %bn = escalate.batch_norm %g, %s, %t, %m, %v {epsilon = 0.0 : f32} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %bn : tensor<1x2xf32>
}

// -----

// CHECK-LABEL: func.func @bn_into_conv
// CHECK-DAG: %[[W:.*]] = escalate.constant dense<{{\[\[\[\[}}3.000000e+00]]], {{\[\[\[}}-1.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = escalate.constant dense<[1.000000e+00, -1.500000e+00]> : tensor<2xf32>
// CHECK: escalate.conv %arg0, %[[W]], %[[B]]
// CHECK-NOT: batch_norm
func.func @bn_into_conv(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = escalate.constant dense<[[[[1.0]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>
  %b = escalate.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %c = escalate.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  // s = [3, 0.5]; shift = [1 - 1*3, -2 - 0] = [-2, -2]; bias' = b*s + shift
  %s = escalate.constant dense<[3.0, 0.5]> : tensor<2xf32>
  %t = escalate.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %m = escalate.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %v = escalate.constant dense<1.0> : tensor<2xf32>
  %bn = escalate.batch_norm %c, %s, %t, %m, %v {epsilon = 0.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %bn : tensor<1x2x4x4xf32>
}

// -----

// A BatchNorm whose Conv has another user stays (folding would change it).
// CHECK-LABEL: func.func @bn_shared_conv
// CHECK: escalate.batch_norm
func.func @bn_shared_conv(%x: tensor<1x1x2x2xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %w = escalate.constant dense<2.0> : tensor<1x1x1x1xf32>
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %p = escalate.constant dense<1.0> : tensor<1xf32>
  %bn = escalate.batch_norm %c, %p, %p, %p, %p {epsilon = 0.0 : f32} : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %bn, %c : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}

// -----

// CHECK-LABEL: func.func @identity_dropout
// CHECK-NEXT: %[[R:.*]] = escalate.relu %arg0
// CHECK-NEXT: return %[[R]]
func.func @identity_dropout(%x: tensor<4xf32>) -> tensor<4xf32> {
  %i = escalate.identity %x : tensor<4xf32>
  %d = escalate.dropout %i : tensor<4xf32>
  %r = escalate.relu %d : tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @constant_subgraph
// CHECK-NEXT: %[[C:.*]] = escalate.constant dense<[0.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: return %[[C]]
func.func @constant_subgraph() -> tensor<2xf32> {
  %a = escalate.constant dense<[-1.0, 1.0]> : tensor<2xf32>
  %b = escalate.constant dense<2.0> : tensor<f32>
  %s = escalate.add %a, %b : tensor<2xf32>, tensor<f32>
  %m = escalate.mul %s, %a : tensor<2xf32>, tensor<2xf32>
  %r = escalate.relu %m : tensor<2xf32>
  return %r : tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @shape_fold
// CHECK-NEXT: %[[C:.*]] = escalate.constant dense<[3, 4]> : tensor<2xi64>
// CHECK-NEXT: return %[[C]]
func.func @shape_fold(%x: tensor<2x3x4xf32>) -> tensor<2xi64> {
  %s = escalate.shape %x {start = 1, end = 3} : tensor<2x3x4xf32>
  return %s : tensor<2xi64>
}

// -----

// Zero output channels: nothing to fold, and no division by zero.
// CHECK-LABEL: func.func @bn_zero_channels
// CHECK: escalate.batch_norm
func.func @bn_zero_channels(%x: tensor<1x2x4x4xf32>) -> tensor<1x0x4x4xf32> {
  %w = escalate.constant dense<> : tensor<0x2x1x1xf32>
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x2x4x4xf32>, tensor<0x2x1x1xf32>) -> tensor<1x0x4x4xf32>
  %p = escalate.constant dense<> : tensor<0xf32>
  %bn = escalate.batch_norm %c, %p, %p, %p, %p {epsilon = 0.0 : f32} : (tensor<1x0x4x4xf32>, tensor<0xf32>, tensor<0xf32>, tensor<0xf32>, tensor<0xf32>) -> tensor<1x0x4x4xf32>
  return %bn : tensor<1x0x4x4xf32>
}

// -----

// Folding never expands a huge splat operand just to try.
// CHECK-LABEL: func.func @huge_splat
// CHECK: escalate.gather
func.func @huge_splat() -> tensor<1x1000x4xf32> {
  %c = escalate.constant dense<1.0> : tensor<1000000000x1000x4xf32>
  %i = escalate.constant dense<[0]> : tensor<1xi64>
  %g = escalate.gather %c, %i {axis = 0} : tensor<1000000000x1000x4xf32>, tensor<1xi64>
  return %g : tensor<1x1000x4xf32>
}

// -----

// max_pool with ceil_mode becomes max_pool over the end padding that gives
// the same windows (8 + 0 + 1 = 9 rows: windows at 0, 2, 4, 6 as before).
// CHECK-LABEL: func.func @max_pool_ceil_mode
// CHECK: escalate.max_pool %arg0 {ceil_mode = false, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32>
func.func @max_pool_ceil_mode(%x: tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32> {
  %p = escalate.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true} : (tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32>
  return %p : tensor<1x8x4x4xf32>
}

// -----

// A ceil_mode whose last window would start in the end padding already
// drops it: the padding kept is the one given (6 + 1 rows: windows at 0,
// 2, 4).
// CHECK-LABEL: func.func @max_pool_ceil_mode_dropped_window
// CHECK: escalate.max_pool %arg0 {ceil_mode = false, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
func.func @max_pool_ceil_mode_dropped_window(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  %p = escalate.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 1, 1>, ceil_mode = true} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return %p : tensor<1x2x3x3xf32>
}
