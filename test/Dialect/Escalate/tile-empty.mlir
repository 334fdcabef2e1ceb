// RUN: escalate-opt %s --escalate-tile --verify-diagnostics

// An empty tensor has no tiles; the search over them used to hang (a
// convolution) or exhaust memory (a pool). Models are refused at import;
// this is hand-written IR.
!a = !quant.uniform<i8:f32, 0.5:0>
func.func @main(%x: tensor<0x2x4x4x!a>) -> tensor<0x2x4x4x!a> {
  // expected-error @+1 {{has an empty tensor ('tensor<0x2x4x4x!quant.uniform<i8:f32, 5.000000e-01>>'): a zero-size dimension leaves nothing to tile}}
  %p = escalate.qpool %x {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<0x2x4x4x!a>) -> tensor<0x2x4x4x!a>
  return %p : tensor<0x2x4x4x!a>
}
