// Channels that pruning left zero or unread are removed across the graph:
// from both branches of a residual add, a concat, a flatten + Gemm head and
// the consuming convolutions; graph outputs keep theirs. Outputs are
// unchanged.
// RUN: escalate-opt %s --escalate-shrink-channels | FileCheck %s
// RUN: escalate-opt %s --escalate-shrink-channels -o %t.mlir
// RUN: %python -c "import numpy as np; np.save('%t.x.npy', np.random.default_rng(0).standard_normal((1, 2, 6, 6)).astype(np.float32))"
// RUN: escalate-run %s --input %t.x.npy --output-dir %t.ref
// RUN: escalate-run %t.mlir --input %t.x.npy --expected %t.ref/output0.npy --expected %t.ref/output1.npy --rtol 1e-6 --atol 1e-6 | FileCheck %s --check-prefix=SAME

// conv1 (decomposed): output 1 is relu(-1) = 0, output 2 is read by nothing
// (conv3 and the head have zero weights for it); only output 2 used basis 1.
// CHECK-DAG: %[[B1:.*]] = escalate.constant dense<{{.*}}> : tensor<1x3x3xf32>
// CHECK-DAG: %[[C1:.*]] = escalate.constant dense<{{\[\[\[}}1.000000e+00], [5.000000e-01]], {{\[\[}}2.000000e-01], [1.000000e-01]]]> : tensor<2x2x1xf32>
// CHECK-DAG: %[[BIAS1:.*]] = escalate.constant dense<[1.000000e-01, 0.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y1:.*]] = escalate.decomposed_conv %arg0, %[[B1]], %[[C1]], %[[BIAS1]] {{{.*}}escalate.original_channels = array<i64: 4, 2>{{.*}}} : {{.*}} -> tensor<1x2x6x6xf32>
// CHECK: %[[R1:.*]] = escalate.relu %[[Y1]] : tensor<1x2x6x6xf32>
// conv2's output 1 has zero weights and no bias: the other residual branch.
// CHECK: %[[Y2:.*]] = escalate.conv %arg0, %{{.*}} {{.*}} : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x6x6xf32>
// CHECK: %[[R2:.*]] = escalate.relu %[[Y2]] : tensor<1x2x6x6xf32>
// CHECK: %[[A:.*]] = escalate.add %[[R1]], %[[R2]] : tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>
// conv3 loses input channels 1 and 2 and its zero output 0.
// CHECK: %[[Y3:.*]] = escalate.conv %[[A]], %{{.*}}, %{{.*}} {{{.*}}original_channels = array<i64: 3, 4>{{.*}}} : (tensor<1x2x6x6xf32>, tensor<2x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32>
// CHECK: %[[CAT:.*]] = escalate.concat %{{.*}}, %[[A]] {axis = 1 : i64} : tensor<1x2x6x6xf32>, tensor<1x2x6x6xf32>
// CHECK: escalate.global_average_pool %[[CAT]] : tensor<1x4x6x6xf32>
// CHECK: escalate.reshape %{{.*}} {shape = array<i64: 1, 4>}
// CHECK: escalate.gemm {{.*}} : (tensor<1x4xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
// A graph output keeps its zero channel.
// CHECK: escalate.conv %arg0, %{{.*}} {dilations = array<i64: 1, 1>, group = 1 : i64, {{.*}} -> tensor<1x2x6x6xf32>

// SAME: output 'output0': max abs error {{.*}}, ok
// SAME: output 'output1': max abs error {{.*}}, ok

func.func @main(%x: tensor<1x2x6x6xf32>) -> (tensor<1x3xf32>, tensor<1x2x6x6xf32>) {
  %b1 = escalate.constant dense<[[[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]]> : tensor<2x3x3xf32>
  %c1 = escalate.constant dense<[[[1.0, 0.0], [0.5, 0.0]], [[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.3], [0.0, 0.0]], [[0.2, 0.0], [0.1, 0.0]]]> : tensor<4x2x2xf32>
  %bias1 = escalate.constant dense<[0.1, -1.0, 0.2, 0.0]> : tensor<4xf32>
  %y1 = escalate.decomposed_conv %x, %b1, %c1, %bias1 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : (tensor<1x2x6x6xf32>, tensor<2x3x3xf32>, tensor<4x2x2xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  %r1 = escalate.relu %y1 : tensor<1x4x6x6xf32>
  %w2 = escalate.constant dense<[[[[1.0]], [[1.0]]], [[[0.0]], [[0.0]]], [[[0.5]], [[-1.0]]], [[[2.0]], [[0.0]]]]> : tensor<4x2x1x1xf32>
  %y2 = escalate.conv %x, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x2x6x6xf32>, tensor<4x2x1x1xf32>) -> tensor<1x4x6x6xf32>
  %r2 = escalate.relu %y2 : tensor<1x4x6x6xf32>
  %a = escalate.add %r1, %r2 : tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>
  %w3 = escalate.constant dense<[
    [[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]],
    [[[0.1, 0.2, 0.1], [0.0, 1.0, 0.0], [0.1, 0.0, 0.1]], [[5.0, 5.0, 5.0], [5.0, 5.0, 5.0], [5.0, 5.0, 5.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.3, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, -0.3]]],
    [[[0.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 0.0]], [[5.0, 5.0, 5.0], [5.0, 5.0, 5.0], [5.0, 5.0, 5.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.2, 0.0], [0.2, 0.0, 0.2], [0.0, 0.2, 0.0]]]
  ]> : tensor<3x4x3x3xf32>
  %bias3 = escalate.constant dense<[0.0, 0.1, 0.2]> : tensor<3xf32>
  %y3 = escalate.conv %a, %w3, %bias3 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : (tensor<1x4x6x6xf32>, tensor<3x4x3x3xf32>, tensor<3xf32>) -> tensor<1x3x6x6xf32>
  %r3 = escalate.relu %y3 : tensor<1x3x6x6xf32>
  %cat = escalate.concat %r3, %a {axis = 1} : tensor<1x3x6x6xf32>, tensor<1x4x6x6xf32>
  %g = escalate.global_average_pool %cat : tensor<1x7x6x6xf32>
  %f = escalate.reshape %g {shape = array<i64: 1, 7>} : tensor<1x7x1x1xf32>
  %wh = escalate.constant dense<[[1.0, 2.0, 3.0], [0.5, 0.0, 0.1], [0.0, 1.0, 0.0], [1.0, 1.0, 1.0], [9.0, 9.0, 9.0], [0.0, 0.0, 0.0], [0.2, 0.3, 0.4]]> : tensor<7x3xf32>
  %ch = escalate.constant dense<[0.1, 0.2, 0.3]> : tensor<3xf32>
  %out = escalate.gemm %f, %wh, %ch {alpha = 1.0 : f32, beta = 1.0 : f32, trans_a = false, trans_b = false} : (tensor<1x7xf32>, tensor<7x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %w4 = escalate.constant dense<[[[[0.0]], [[0.0]]], [[[1.0]], [[1.0]]]]> : tensor<2x2x1x1xf32>
  %y4 = escalate.conv %x, %w4 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x2x6x6xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x6x6xf32>
  return %out, %y4 : tensor<1x3xf32>, tensor<1x2x6x6xf32>
}
