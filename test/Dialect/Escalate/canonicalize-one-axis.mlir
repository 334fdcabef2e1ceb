// Canonicalization of windows over one spatial axis (WindowFolds.cpp): a
// conv or pool of N x C x W is the same op over N x C x 1 x W with a 1 x k
// window, between reshapes; element-wise ops and batch norms of such
// results move to the 2-D side, so they fuse as in a 2-D CNN.
// RUN: escalate-opt %s --escalate-graph-opt --split-input-file | FileCheck %s

// The weight's reshape folds into the constant; the relu and the batch norm
// move above the reshape back, and the batch norm then folds into the conv.
// CHECK-LABEL: func.func @conv1d_bn_relu
// CHECK: %[[W:.*]] = escalate.constant {{.*}} : tensor<4x2x1x3xf32>
// CHECK: %[[X:.*]] = escalate.reshape %arg0 {shape = array<i64: 1, 2, 1, 8>} : tensor<1x2x8xf32>
// CHECK: %[[C:.*]] = escalate.conv %[[X]], %[[W]], %{{.*}} {dilations = array<i64: 1, 2>, group = 1 : i64, pads = array<i64: 0, 2, 0, 2>, strides = array<i64: 1, 1>}
// CHECK-SAME: -> tensor<1x4x1x8xf32>
// CHECK-NOT: batch_norm
// CHECK: %[[R:.*]] = escalate.relu %[[C]] : tensor<1x4x1x8xf32>
// CHECK: escalate.reshape %[[R]] {shape = array<i64: 1, 4, 8>} : tensor<1x4x1x8xf32>
func.func @conv1d_bn_relu(%x: tensor<1x2x8xf32>) -> tensor<1x4x8xf32> {
  %w = escalate.constant dense<0.5> : tensor<4x2x3xf32>
  %p = escalate.constant dense<1.0> : tensor<4xf32>
  %c = escalate.conv %x, %w {strides = array<i64: 1>, dilations = array<i64: 2>, pads = array<i64: 2, 2>, group = 1} : (tensor<1x2x8xf32>, tensor<4x2x3xf32>) -> tensor<1x4x8xf32>
  %bn = escalate.batch_norm %c, %p, %p, %p, %p {epsilon = 0.0 : f32} : (tensor<1x4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8xf32>
  %r = escalate.relu %bn : tensor<1x4x8xf32>
  return %r : tensor<1x4x8xf32>
}

// -----

// Pools keep their own attributes (count_include_pad) over a 1 x k window
// (the max pool's ceil_mode then becomes end padding as in 2-D); a residual add of two such results is an add of the 2-D
// ones; the global average pool of N x C x W is over the 1 x W plane.
// CHECK-LABEL: func.func @pools_and_residual
// CHECK: %[[M:.*]] = escalate.max_pool %{{.*}} {ceil_mode = false, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 1, 2>, pads = array<i64: 0, 0, 0, 1>, strides = array<i64: 1, 2>} : (tensor<1x4x1x9xf32>) -> tensor<1x4x1x5xf32>
// CHECK: %[[A:.*]] = escalate.average_pool %{{.*}} {ceil_mode = false, count_include_pad = false, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 1, 3>, pads = array<i64: 0, 1, 0, 1>, strides = array<i64: 1, 2>} : (tensor<1x4x1x9xf32>) -> tensor<1x4x1x5xf32>
// CHECK: %[[S:.*]] = escalate.add %[[M]], %[[A]] : tensor<1x4x1x5xf32>, tensor<1x4x1x5xf32>
// CHECK-NEXT: %[[G:.*]] = escalate.global_average_pool %[[S]] : tensor<1x4x1x5xf32>
// CHECK: escalate.reshape %[[G]] {shape = array<i64: 1, 4, 1>} : tensor<1x4x1x1xf32>
func.func @pools_and_residual(%x: tensor<1x4x9xf32>) -> tensor<1x4x1xf32> {
  %m = escalate.max_pool %x {kernel_shape = array<i64: 2>, strides = array<i64: 2>, dilations = array<i64: 1>, pads = array<i64: 0, 0>, ceil_mode = true} : (tensor<1x4x9xf32>) -> tensor<1x4x5xf32>
  %a = escalate.average_pool %x {kernel_shape = array<i64: 3>, strides = array<i64: 2>, dilations = array<i64: 1>, pads = array<i64: 1, 1>, ceil_mode = false, count_include_pad = false} : (tensor<1x4x9xf32>) -> tensor<1x4x5xf32>
  %s = escalate.add %m, %a : tensor<1x4x5xf32>, tensor<1x4x5xf32>
  %g = escalate.global_average_pool %s : tensor<1x4x5xf32>
  return %g : tensor<1x4x1xf32>
}

// -----

// Only rank-3 windows change: a 3-D conv and a 2-D pool stay.
// CHECK-LABEL: func.func @other_ranks
// CHECK-NOT: escalate.reshape
// CHECK: escalate.conv %arg0
// CHECK-SAME: -> tensor<1x1x2x2x2xf32>
// CHECK: escalate.max_pool %arg1
// CHECK-SAME: -> tensor<1x1x2x2xf32>
func.func @other_ranks(%x: tensor<1x1x3x3x3xf32>, %y: tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2x2xf32>, tensor<1x1x2x2xf32>) {
  %w = escalate.constant dense<0.5> : tensor<1x1x2x2x2xf32>
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1, 1>, dilations = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0>, group = 1} : (tensor<1x1x3x3x3xf32>, tensor<1x1x2x2x2xf32>) -> tensor<1x1x2x2x2xf32>
  %m = escalate.max_pool %y {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %c, %m : tensor<1x1x2x2x2xf32>, tensor<1x1x2x2xf32>
}
