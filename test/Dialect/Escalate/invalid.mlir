// Verifier errors: every op rejects malformed attributes and shapes.
// RUN: escalate-opt %s --split-input-file --verify-diagnostics

func.func @conv_group(%x: tensor<1x6x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+2 {{failed to infer returned types}}
  // expected-error@+1 {{conv group 4 must divide input (6) and output (4) channels}}
  %0 = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 4} : (tensor<1x6x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_missing_attr(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{requires attribute 'group'}}
  %0 = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_wrong_result(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+2 {{failed to infer returned types}}
  // expected-error@+1 {{inferred type(s) 'tensor<1x4x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x4x8x8xf32>'}}
  %0 = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_window(%x: tensor<1x3x2x2xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+2 {{failed to infer returned types}}
  // expected-error@+1 {{conv: window 3 (dilation 1) does not fit spatial axis 0 of size 2 with pads}}
  %0 = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x3x2x2xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

func.func @conv_float(%x: tensor<1x3x8x8xi64>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{operand #0 must be statically shaped tensor of 32-bit float values}}
  %0 = "escalate.conv"(%x, %w) {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x3x8x8xi64>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @broadcast(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error@+1 {{shapes [2,3] and [4,3] are not broadcastable}}
  %0 = escalate.add %a, %b : tensor<2x3xf32>, tensor<4x3xf32>
  return
}

// -----

func.func @gemm_inner(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error@+2 {{failed to infer returned types}}
  // expected-error@+1 {{gemm inner dimensions differ: 3 vs 4}}
  %0 = escalate.gemm %a, %b {alpha = 1.0 : f32, beta = 1.0 : f32, trans_a = false, trans_b = false} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @matmul_inner(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error@+2 {{failed to infer returned types}}
  // expected-error@+1 {{matmul inner dimensions differ: [2,3] x [4,5]}}
  %0 = escalate.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @bn_params(%x: tensor<1x4x2x2xf32>, %p: tensor<3xf32>) {
  // expected-error@+2 {{failed to infer returned types}}
  // expected-error@+1 {{batch_norm parameters must have shape [4]}}
  %0 = escalate.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-5 : f32} : (tensor<1x4x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @pool_pads(%x: tensor<1x1x4x4xf32>) {
  // expected-error@+2 {{failed to infer returned types}}
  // expected-error@+1 {{pooling: kernel/strides/dilations need 2 entries and pads 4}}
  %0 = escalate.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0>, ceil_mode = false} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{reshape from [2,3] to [4,2] changes the element count}}
  %0 = escalate.reshape %x {shape = array<i64: 4, 2>} : tensor<2x3xf32>
  return
}

// -----

func.func @transpose_perm(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{transpose perm [0,0] is not a permutation}}
  %0 = escalate.transpose %x {perm = array<i64: 0, 0>} : tensor<2x3xf32>
  return
}

// -----

func.func @concat_dims(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) {
  // expected-error@+1 {{concat input [3,3] differs from [2,3] outside axis 1}}
  %0 = escalate.concat %a, %b {axis = 1} : tensor<2x3xf32>, tensor<3x3xf32>
  return
}

// -----

func.func @pad_count(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{pad needs 4 pads, got 2}}
  %0 = escalate.pad %x {pads = array<i64: 1, 1>, mode = #escalate<pad_mode constant>, value = 0.0 : f32} : tensor<2x3xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{axis 2 is outside rank 2}}
  %0 = escalate.softmax %x {axis = 2} : tensor<2x3xf32>
  return
}

// -----

func.func @shape_range(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{shape range [1, 3) is outside rank 2}}
  %0 = escalate.shape %x {start = 1, end = 3} : tensor<2x3xf32>
  return
}

// -----

func.func @gather_axis(%x: tensor<2x3xf32>, %i: tensor<1xi64>) {
  // expected-error@+1 {{gather axis 2 is outside rank 2}}
  %0 = escalate.gather %x, %i {axis = 2} : tensor<2x3xf32>, tensor<1xi64>
  return
}

// -----

func.func @gemm_c(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<3xf32>) {
  // expected-error@+2 {{failed to infer returned types}}
  // expected-error@+1 {{shapes [2,4] and [3] are not broadcastable}}
  %0 = escalate.gemm %a, %b, %c {alpha = 1.0 : f32, beta = 1.0 : f32, trans_a = false, trans_b = false} : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Shapes are static throughout the dialect.
func.func @dynamic_bases(%x: tensor<1x2x5x5xf32>, %b: tensor<?x3x3xf32>, %c: tensor<4x2x2xf32>) {
  // expected-error@+1 {{operand #1 must be statically shaped tensor of 32-bit float values}}
  %0 = "escalate.decomposed_conv"(%x, %b, %c) {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : (tensor<1x2x5x5xf32>, tensor<?x3x3xf32>, tensor<4x2x2xf32>) -> tensor<1x4x5x5xf32>
  return
}
