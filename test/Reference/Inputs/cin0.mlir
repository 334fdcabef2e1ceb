func.func @main(%x: tensor<1x0x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %b = escalate.constant dense<1.0> : tensor<2x3x3xf32>
  %c = escalate.constant dense<> : tensor<4x0x2xf32>
  %bias = escalate.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %y = escalate.decomposed_conv %x, %b, %c, %bias {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : (tensor<1x0x5x5xf32>, tensor<2x3x3xf32>, tensor<4x0x2xf32>, tensor<4xf32>) -> tensor<1x4x5x5xf32>
  return %y : tensor<1x4x5x5xf32>
}
