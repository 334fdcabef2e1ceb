func.func @main(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %p = escalate.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  %w = escalate.constant dense<1.0> : tensor<1x1x3x3xf32>
  %c = escalate.conv %p, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : (tensor<1x1x2x2xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32>
  %t = escalate.constant dense<20.0> : tensor<f32>
  %s = escalate.sub %c, %t : tensor<1x1x2x2xf32>, tensor<f32>
  %r = escalate.relu %s : tensor<1x1x2x2xf32>
  return %p, %r : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}
