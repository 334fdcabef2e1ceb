// Canonicalization: BatchNorm folds into Conv and Gemm, Identity/Dropout
// vanish, constant subgraphs are evaluated, static shapes fold, constant
// Pads move into the conv or pool they feed.
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

// A BatchNorm whose Conv has another user is not folded into it (that
// would change the other user's value): it becomes its own depthwise conv.
// CHECK-LABEL: func.func @bn_shared_conv
// CHECK: %[[C:.*]] = escalate.conv %arg0, {{.*}}group = 1
// CHECK: escalate.conv %[[C]], {{.*}}group = 1
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

// -----

// A zero Pad of the spatial axes becomes the padding of the conv and of
// the average pool it feeds (the pool had none, so the zeros it averaged
// are counted: count_include_pad); the Pad is gone.
// CHECK-LABEL: func.func @pad_into_conv_and_avg_pool
// CHECK-NOT: escalate.pad
// CHECK: escalate.conv %arg0, %{{.*}} {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 2, 1, 3, 1>, strides = array<i64: 1, 1>}
// CHECK: escalate.average_pool %arg0 {ceil_mode = false, count_include_pad = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 2, 1>, strides = array<i64: 1, 1>}
func.func @pad_into_conv_and_avg_pool(%x: tensor<1x2x6x6xf32>) -> (tensor<1x2x8x6xf32>, tensor<1x2x7x6xf32>) {
  %p = escalate.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 2, 1>, mode = #escalate<pad_mode constant>, value = 0.0 : f32} : tensor<1x2x6x6xf32>
  %w = escalate.constant dense<1.0> : tensor<2x2x3x3xf32>
  %c = escalate.conv %p, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 0, 1, 0>, group = 1} : (tensor<1x2x9x8xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x9x6xf32>
  %a = escalate.average_pool %p {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false, count_include_pad = false} : (tensor<1x2x9x8xf32>) -> tensor<1x2x7x6xf32>
  %cs = escalate.pad %c {pads = array<i64: 0, 0, 0, 0, 0, 0, -1, 0>, mode = #escalate<pad_mode constant>, value = 0.0 : f32} : tensor<1x2x9x6xf32>
  return %cs, %a : tensor<1x2x8x6xf32>, tensor<1x2x7x6xf32>
}

// -----

// What a Pad cannot move into: a nonzero value into a conv, zeros into a
// max pool, zeros into an average pool that excludes its own padding, and
// padding of the channel axis (three Pads, one of them shared).
// CHECK-LABEL: func.func @pad_kept
// CHECK-COUNT-3: escalate.pad
func.func @pad_kept(%x: tensor<1x2x6x6xf32>) -> (tensor<1x2x8x8xf32>, tensor<1x2x6x6xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>) {
  %p1 = escalate.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = #escalate<pad_mode constant>, value = 1.0 : f32} : tensor<1x2x6x6xf32>
  %w = escalate.constant dense<1.0> : tensor<2x2x1x1xf32>
  %c = escalate.conv %p1, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x2x8x8xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x8x8xf32>
  %p2 = escalate.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = #escalate<pad_mode constant>, value = 0.0 : f32} : tensor<1x2x6x6xf32>
  %m = escalate.max_pool %p2 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false} : (tensor<1x2x8x8xf32>) -> tensor<1x2x6x6xf32>
  %a = escalate.average_pool %p2 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = false, count_include_pad = false} : (tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  %p3 = escalate.pad %x {pads = array<i64: 0, 1, 1, 1, 0, 1, 1, 1>, mode = #escalate<pad_mode constant>, value = 0.0 : f32} : tensor<1x2x6x6xf32>
  %w4 = escalate.constant dense<1.0> : tensor<2x4x1x1xf32>
  %c4 = escalate.conv %p3, %w4 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x8x8xf32>
  return %c, %m, %a, %c4 : tensor<1x2x8x8xf32>, tensor<1x2x6x6xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>
}

// -----

// -inf padding into a max pool (padding never wins a max).
// CHECK-LABEL: func.func @pad_into_max_pool
// CHECK-NOT: escalate.pad
// CHECK: escalate.max_pool %arg0 {{.*}}pads = array<i64: 1, 0, 1, 0>
func.func @pad_into_max_pool(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x6x4xf32> {
  %p = escalate.pad %x {pads = array<i64: 0, 0, 1, 0, 0, 0, 1, 0>, mode = #escalate<pad_mode constant>, value = 0xFF800000 : f32} : tensor<1x2x6x6xf32>
  %m = escalate.max_pool %p {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false} : (tensor<1x2x8x6xf32>) -> tensor<1x2x6x4xf32>
  return %m : tensor<1x2x6x4xf32>
}

// -----

// A batch_norm after a concat (DenseNet's pre-activation) has no conv to
// fold into: it becomes a depthwise 1x1 conv, weight scale/sqrt(var + eps)
// = [2, 0.5] and bias beta - mean * weight = [1 - 2, 0 - 0.5 * 4].
// CHECK-LABEL: func.func @bn_as_depthwise_conv
// CHECK-NOT: batch_norm
// CHECK-DAG: %[[W:.*]] = escalate.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}5.000000e-01]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = escalate.constant dense<[-1.000000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK: escalate.conv %{{.*}}, %[[W]], %[[B]] {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
func.func @bn_as_depthwise_conv(%x: tensor<1x1x4x4xf32>, %y: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %c = escalate.concat %x, %y {axis = 1} : tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>
  %s = escalate.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %t = escalate.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %m = escalate.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %v = escalate.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %bn = escalate.batch_norm %c, %s, %t, %m, %v {epsilon = 0.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %bn : tensor<1x2x4x4xf32>
}

// -----

// An activation plus, minus, times or over a per-channel constant becomes a
// depthwise 1x1 conv: k - x is the map -x + k, x / k is x * (1 / k), and a
// scale alone needs no bias.
// CHECK-LABEL: func.func @channel_arithmetic
// CHECK-DAG: %[[ONE:.*]] = escalate.constant dense<1.000000e+00> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[K:.*]] = escalate.constant dense<[2.000000e+00, 4.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[NEG:.*]] = escalate.constant dense<-1.000000e+00> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[S:.*]] = escalate.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}4.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[INV:.*]] = escalate.constant dense<{{\[\[\[\[}}5.000000e-01]]], {{\[\[\[}}2.500000e-01]]]]> : tensor<2x1x1x1xf32>
// CHECK: escalate.conv %arg0, %[[ONE]], %[[K]] {{.*}}group = 2
// CHECK: escalate.conv %arg0, %[[NEG]], %[[K]] {{.*}}group = 2
// CHECK: escalate.conv %arg0, %[[S]] {{.*}}group = 2
// CHECK: escalate.conv %arg0, %[[INV]] {{.*}}group = 2
// CHECK: escalate.div %{{.*}}, %arg0
// CHECK: escalate.mul %arg0, %{{.*}} : tensor<1x2x3x4xf32>, tensor<4xf32>
func.func @channel_arithmetic(%x: tensor<1x2x3x4xf32>) -> (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>) {
  %k = escalate.constant dense<[[[2.0]], [[4.0]]]> : tensor<2x1x1xf32>
  %row = escalate.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %a = escalate.add %x, %k : tensor<1x2x3x4xf32>, tensor<2x1x1xf32>
  %s = escalate.sub %k, %x : tensor<2x1x1xf32>, tensor<1x2x3x4xf32>
  %m = escalate.mul %k, %x : tensor<2x1x1xf32>, tensor<1x2x3x4xf32>
  %d = escalate.div %x, %k : tensor<1x2x3x4xf32>, tensor<2x1x1xf32>
  %r = escalate.div %k, %x : tensor<2x1x1xf32>, tensor<1x2x3x4xf32>
  %w = escalate.mul %x, %row : tensor<1x2x3x4xf32>, tensor<4xf32>
  return %a, %s, %m, %d, %r, %w : tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>
}

// -----

// A per-channel affine map after a conv with no other user folds into it:
// weights [1, 2] * [3, 0.5] and bias [1, 1] * [3, 0.5] + [-1, 2].
// CHECK-LABEL: func.func @affine_into_conv
// CHECK-DAG: %[[W:.*]] = escalate.constant dense<{{\[\[\[\[}}3.000000e+00]]], {{\[\[\[}}1.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = escalate.constant dense<[2.000000e+00, 2.500000e+00]> : tensor<2xf32>
// CHECK: %[[C:.*]] = escalate.conv %arg0, %[[W]], %[[B]]
// CHECK-NEXT: return %[[C]]
func.func @affine_into_conv(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = escalate.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %b = escalate.constant dense<1.0> : tensor<2xf32>
  %c = escalate.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %s = escalate.constant dense<[[[3.0]], [[0.5]]]> : tensor<2x1x1xf32>
  %m = escalate.mul %c, %s : tensor<1x2x3x3xf32>, tensor<2x1x1xf32>
  %t = escalate.constant dense<[[[-1.0]], [[2.0]]]> : tensor<2x1x1xf32>
  %y = escalate.add %m, %t : tensor<1x2x3x3xf32>, tensor<2x1x1xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

// A PRelu with one slope is a LeakyRelu (which fuses into a conv); a
// per-channel slope stays.
// CHECK-LABEL: func.func @prelu
// CHECK: escalate.leaky_relu %arg0 {alpha = 2.500000e-01 : f32}
// CHECK: escalate.prelu %arg0
func.func @prelu(%x: tensor<1x2x3x3xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %s = escalate.constant dense<0.25> : tensor<1xf32>
  %c = escalate.constant dense<[[[0.25]], [[0.5]]]> : tensor<2x1x1xf32>
  %a = escalate.prelu %x, %s : tensor<1x2x3x3xf32>, tensor<1xf32>
  %b = escalate.prelu %x, %c : tensor<1x2x3x3xf32>, tensor<2x1x1xf32>
  return %a, %b : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// x * hard_sigmoid(x) with alpha 1/6 and beta 1/2 (PyTorch's Hardswish
// before opset 14) is hard_swish; a gate of another tensor (a
// squeeze-excite scale) or other constants stays a product.
// CHECK-LABEL: func.func @hard_swish_from_product
// CHECK: %[[HS:.*]] = escalate.hard_swish %arg0
// CHECK: %[[G:.*]] = escalate.hard_sigmoid %arg1
// CHECK: escalate.mul %arg0, %[[G]]
// CHECK: %[[G2:.*]] = escalate.hard_sigmoid %arg0 {alpha = 2.000000e-01 : f32
// CHECK: escalate.mul %[[G2]], %arg0
func.func @hard_swish_from_product(%x: tensor<1x2x3x3xf32>, %y: tensor<1x2x3x3xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %g = escalate.hard_sigmoid %x {alpha = 0.1666666716337204 : f32, beta = 0.5 : f32} : tensor<1x2x3x3xf32>
  %a = escalate.mul %g, %x : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
  %h = escalate.hard_sigmoid %y {alpha = 0.1666666716337204 : f32, beta = 0.5 : f32} : tensor<1x2x3x3xf32>
  %b = escalate.mul %x, %h : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
  %k = escalate.hard_sigmoid %x {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<1x2x3x3xf32>
  %c = escalate.mul %k, %x : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
  return %a, %b, %c : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// An empty map is no conv input: the product stays (building a conv for it
// would fail type inference).
// CHECK-LABEL: func.func @empty_map_arithmetic
// CHECK: escalate.mul
func.func @empty_map_arithmetic(%x: tensor<1x2x0x4xf32>) -> tensor<1x2x0x4xf32> {
  %k = escalate.constant dense<[[[2.0]], [[4.0]]]> : tensor<2x1x1xf32>
  %m = escalate.mul %x, %k : tensor<1x2x0x4xf32>, tensor<2x1x1xf32>
  return %m : tensor<1x2x0x4xf32>
}

// -----

// Kernel taps that only read the zero padding are dropped: with dilation 6
// and padding 6 on a 4 x 4 map, every output's off-center taps fall outside
// the input, so the 3x3 conv is its center column and row, a 1x1 conv
// without padding. With dilation 3 the outer taps still reach the map and
// the conv stays as it is.
// CHECK-LABEL: func.func @aspp
// CHECK: %[[W:.*]] = escalate.constant dense<5.000000e+00> : tensor<1x1x1x1xf32>
// CHECK: escalate.conv %arg0, %[[W]] {{.*}}dilations = array<i64: 6, 6>{{.*}}pads = array<i64: 0, 0, 0, 0>{{.*}} -> tensor<1x1x4x4xf32>
// CHECK: escalate.conv %arg0, %{{.*}} {{.*}}dilations = array<i64: 3, 3>{{.*}}pads = array<i64: 3, 3, 3, 3>{{.*}} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
func.func @aspp(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) {
  %w = escalate.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]]> : tensor<1x1x3x3xf32>
  %a = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 6, 6>, pads = array<i64: 6, 6, 6, 6>, group = 1} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
  %b = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 3, 3>, pads = array<i64: 3, 3, 3, 3>, group = 1} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
  return %a, %b : tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>
}

// -----

// A channel shuffle (reshape to N x g x C/g x H x W, swap axes 1 and 2,
// reshape back) is an interleave of the g channel groups: the concat's own
// operands when it concatenates g equal groups, channel slices otherwise.
// CHECK-LABEL: func.func @shuffle
// CHECK: %[[C:.*]] = escalate.conv
// CHECK: %[[I:.*]] = escalate.interleave %arg0, %[[C]] : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
// CHECK: %[[S0:.*]] = escalate.slice %[[I]] {sizes = array<i64: 1, 2, 3, 3>, starts = array<i64: 0, 0, 0, 0>, steps = array<i64: 1, 1, 1, 1>}
// CHECK: %[[S1:.*]] = escalate.slice %[[I]] {sizes = array<i64: 1, 2, 3, 3>, starts = array<i64: 0, 2, 0, 0>, steps = array<i64: 1, 1, 1, 1>}
// CHECK: %[[J:.*]] = escalate.interleave %[[S0]], %[[S1]]
// CHECK: return %[[J]]
func.func @shuffle(%x: tensor<1x2x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %w = escalate.constant dense<1.0> : tensor<2x2x1x1xf32>
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %cat = escalate.concat %x, %c {axis = 1} : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
  %g = escalate.reshape %cat {shape = array<i64: 1, 2, 2, 3, 3>} : tensor<1x4x3x3xf32>
  %t = escalate.transpose %g {perm = array<i64: 0, 2, 1, 3, 4>} : tensor<1x2x2x3x3xf32>
  %s = escalate.reshape %t {shape = array<i64: 1, 4, 3, 3>} : tensor<1x2x2x3x3xf32>
  %g2 = escalate.reshape %s {shape = array<i64: 1, 2, 2, 3, 3>} : tensor<1x4x3x3xf32>
  %t2 = escalate.transpose %g2 {perm = array<i64: 0, 2, 1, 3, 4>} : tensor<1x2x2x3x3xf32>
  %s2 = escalate.reshape %t2 {shape = array<i64: 1, 4, 3, 3>} : tensor<1x2x2x3x3xf32>
  return %s2 : tensor<1x4x3x3xf32>
}

// -----

// x ^ 2 is x * x, which the PPU runs; other exponents stay.
// CHECK-LABEL: func.func @square
// CHECK: %[[S:.*]] = escalate.mul %arg0, %arg0 : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
// CHECK: %[[C:.*]] = escalate.pow %arg0, %{{.*}} : tensor<1x2x3x3xf32>, tensor<f32>
// CHECK: return %[[S]], %[[C]]
func.func @square(%x: tensor<1x2x3x3xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %two = escalate.constant dense<2.0> : tensor<f32>
  %three = escalate.constant dense<3.0> : tensor<f32>
  %s = escalate.pow %x, %two : tensor<1x2x3x3xf32>, tensor<f32>
  %c = escalate.pow %x, %three : tensor<1x2x3x3xf32>, tensor<f32>
  return %s, %c : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// A channels-last block (ConvNeXt: NHWC LayerNorm statistics, a Linear
// layer, GELU's erf) is computed channels-first: the transpose sinks below
// each op until it meets its inverse. The mean over the last axis becomes
// a 1x1 conv with weights 1/C over channels, the MatMul by a [C, D]
// constant a 1x1 conv with its transpose as weights, the last-axis
// constant a per-channel one (here a depthwise 1x1 conv).
// CHECK-LABEL: func.func @channels_last
// CHECK-NOT: escalate.transpose
// CHECK-DAG: %[[MW:.*]] = escalate.constant dense<2.500000e-01> : tensor<1x4x1x1xf32>
// CHECK-DAG: %[[LW:.*]] = escalate.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}3.000000e+00]], {{\[\[}}5.000000e+00]], {{\[\[}}7.000000e+00]]], {{\[\[\[}}2.000000e+00]], {{\[\[}}4.000000e+00]], {{\[\[}}6.000000e+00]], {{\[\[}}8.000000e+00]]]]> : tensor<2x4x1x1xf32>
// CHECK-DAG: %[[K:.*]] = escalate.constant dense<{{\[\[\[\[}}1.000000e+00]]], {{\[\[\[}}2.000000e+00]]], {{\[\[\[}}3.000000e+00]]], {{\[\[\[}}4.000000e+00]]]]> : tensor<4x1x1x1xf32>
// CHECK: %[[M:.*]] = escalate.conv %arg0, %[[MW]] {{.*}} -> tensor<1x1x3x3xf32>
// CHECK: %[[D:.*]] = escalate.sub %arg0, %[[M]] : tensor<1x4x3x3xf32>, tensor<1x1x3x3xf32>
// CHECK: %[[S:.*]] = escalate.conv %[[D]], %[[K]] {{.*}}group = 4{{.*}} -> tensor<1x4x3x3xf32>
// CHECK: %[[L:.*]] = escalate.conv %[[S]], %[[LW]] {{.*}} -> tensor<1x2x3x3xf32>
// CHECK: %[[E:.*]] = escalate.erf %[[L]] : tensor<1x2x3x3xf32>
// CHECK: return %[[E]]
func.func @channels_last(%x: tensor<1x4x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %t = escalate.transpose %x {perm = array<i64: 0, 2, 3, 1>} : tensor<1x4x3x3xf32>
  %m = escalate.reduce_mean %t {axes = array<i64: 3>, keepdims = true} : tensor<1x3x3x4xf32>
  %d = escalate.sub %t, %m : tensor<1x3x3x4xf32>, tensor<1x3x3x1xf32>
  %k = escalate.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %s = escalate.mul %d, %k : tensor<1x3x3x4xf32>, tensor<4xf32>
  %w = escalate.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %l = escalate.matmul %s, %w : (tensor<1x3x3x4xf32>, tensor<4x2xf32>) -> tensor<1x3x3x2xf32>
  %e = escalate.erf %l : tensor<1x3x3x2xf32>
  %b = escalate.transpose %e {perm = array<i64: 0, 3, 1, 2>} : tensor<1x3x3x2xf32>
  return %b : tensor<1x2x3x3xf32>
}

// -----

// max and min with one constant value are clips with the other bound
// infinite (either operand order); with a constant of more values they
// stay.
// CHECK-LABEL: func.func @extremum_as_clip
// CHECK: %[[A:.*]] = escalate.clip %arg0 {max = 0x7F800000 : f32, min = 5.000000e-01 : f32} : tensor<1x2x2x2xf32>
// CHECK: %[[B:.*]] = escalate.clip %[[A]] {max = 6.000000e+00 : f32, min = 0xFF800000 : f32} : tensor<1x2x2x2xf32>
// CHECK: escalate.max %[[B]], %{{.*}} : tensor<1x2x2x2xf32>, tensor<2x1x1xf32>
func.func @extremum_as_clip(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %half = escalate.constant dense<0.5> : tensor<f32>
  %six = escalate.constant dense<6.0> : tensor<1xf32>
  %v = escalate.constant dense<[[[1.0]], [[2.0]]]> : tensor<2x1x1xf32>
  %a = escalate.max %x, %half : tensor<1x2x2x2xf32>, tensor<f32>
  %b = escalate.min %six, %a : tensor<1xf32>, tensor<1x2x2x2xf32>
  %c = escalate.max %b, %v : tensor<1x2x2x2xf32>, tensor<2x1x1xf32>
  return %c : tensor<1x2x2x2xf32>
}
