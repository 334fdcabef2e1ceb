// Every op parses, verifies, prints and re-parses to the same text.
// RUN: escalate-opt %s | escalate-opt | FileCheck %s

// CHECK-LABEL: func.func @graph
func.func @graph(%x: tensor<1x8x16x16xf32>, %i: tensor<2xi64>) -> tensor<1x10xf32> {
  %w = escalate.constant dense<0.5> : tensor<8x1x3x3xf32>
  // CHECK: escalate.conv %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 8 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x16x16xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32>
  %dw = escalate.conv %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 8} : (tensor<1x8x16x16xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x8x8xf32>
  %s = escalate.constant dense<1.0> : tensor<8xf32>
  // CHECK: escalate.batch_norm
  %bn = escalate.batch_norm %dw, %s, %s, %s, %s {epsilon = 1.0e-5 : f32} : (tensor<1x8x8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  // CHECK: escalate.relu
  %r = escalate.relu %bn : tensor<1x8x8x8xf32>
  // CHECK: escalate.leaky_relu %{{.*}} {alpha = 1.000000e-01 : f32}
  %l = escalate.leaky_relu %r {alpha = 0.1 : f32} : tensor<1x8x8x8xf32>
  // CHECK: escalate.clip
  %c = escalate.clip %l {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x8x8x8xf32>
  // CHECK: escalate.sigmoid
  %sg = escalate.sigmoid %c : tensor<1x8x8x8xf32>
  // CHECK: escalate.hard_sigmoid
  %hs = escalate.hard_sigmoid %sg {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<1x8x8x8xf32>
  // CHECK: escalate.hard_swish
  %hw = escalate.hard_swish %hs : tensor<1x8x8x8xf32>
  %g = escalate.global_average_pool %hw : tensor<1x8x8x8xf32>
  // CHECK: escalate.mul %{{.*}}, %{{.*}} : tensor<1x8x8x8xf32>, tensor<1x8x1x1xf32>
  %se = escalate.mul %hw, %g : tensor<1x8x8x8xf32>, tensor<1x8x1x1xf32>
  %a = escalate.add %se, %hw : tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>
  %sub = escalate.sub %a, %hw : tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>
  %d = escalate.div %sub, %g : tensor<1x8x8x8xf32>, tensor<1x8x1x1xf32>
  // CHECK: escalate.max_pool %{{.*}} {ceil_mode = true, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32>
  %mp = escalate.max_pool %d {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = true} : (tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: escalate.average_pool
  %ap = escalate.average_pool %mp {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false, count_include_pad = false} : (tensor<1x8x4x4xf32>) -> tensor<1x8x2x2xf32>
  // CHECK: escalate.pad %{{.*}} {mode = #escalate<pad_mode reflect>
  %p = escalate.pad %ap {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = #escalate<pad_mode reflect>, value = 0.0 : f32} : tensor<1x8x2x2xf32>
  %t = escalate.transpose %p {perm = array<i64: 0, 2, 3, 1>} : tensor<1x8x4x4xf32>
  %cat = escalate.concat %t, %t {axis = 3} : tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>
  // CHECK: escalate.reshape %{{.*}} {shape = array<i64: 1, 256>} : tensor<1x4x4x16xf32>
  %f = escalate.reshape %cat {shape = array<i64: 1, 256>} : tensor<1x4x4x16xf32>
  %fw = escalate.constant dense<0.01> : tensor<256x10xf32>
  %mm = escalate.matmul %f, %fw : (tensor<1x256xf32>, tensor<256x10xf32>) -> tensor<1x10xf32>
  %gw = escalate.constant dense<0.1> : tensor<10x10xf32>
  %gemm = escalate.gemm %mm, %gw {alpha = 1.0 : f32, beta = 1.0 : f32, trans_a = false, trans_b = true} : (tensor<1x10xf32>, tensor<10x10xf32>) -> tensor<1x10xf32>
  // CHECK: escalate.softmax %{{.*}} {axis = 1 : i64} : tensor<1x10xf32>
  %sm = escalate.softmax %gemm {axis = 1} : tensor<1x10xf32>
  %id = escalate.identity %sm : tensor<1x10xf32>
  %dr = escalate.dropout %id : tensor<1x10xf32>
  // CHECK: escalate.shape %{{.*}} {end = 2 : i64, start = 1 : i64} : tensor<1x10xf32>
  %shape = escalate.shape %dr {start = 1, end = 2} : tensor<1x10xf32>
  // CHECK: escalate.gather %{{.*}}, %{{.*}} {axis = 1 : i64} : tensor<1x10xf32>, tensor<2xi64>
  %gt = escalate.gather %dr, %i {axis = 1} : tensor<1x10xf32>, tensor<2xi64>
  return %dr : tensor<1x10xf32>
}

// ceil_mode drops a last window that would start in the end padding:
// 6 wide, kernel 2, stride 2, end pad 1 gives 3, not 4.
// CHECK-LABEL: func.func @ceil_mode
// CHECK: -> tensor<1x2x3x3xf32>
func.func @ceil_mode(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  %p = escalate.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 1, 1>, ceil_mode = true} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return %p : tensor<1x2x3x3xf32>
}
