// RUN: escalate-opt %s --split-input-file --verify-diagnostics

!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @two_readers(%x: tensor<1x4x4x4x!a>) -> (tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>) {
  %w = escalate.constant dense<1> : tensor<4x4x1x1xi8>
  // expected-error @+1 {{escalate.epilogue must be a unit attribute on a conv that can run its requant's reader as its epilogue: its requant's result is not read by exactly one qadd, qmul or qpool}}
  %yacc = escalate.qconv %x, %w {escalate.epilogue, acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>, tensor<4x4x1x1xi8>) -> tensor<1x4x4x4xi32>
  %y = escalate.requant %yacc {bias = array<i32: 0, 0, 0, 0>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64} : tensor<1x4x4x4xi32> -> tensor<1x4x4x4x!a>
  %s = escalate.qadd %y, %x {clamp_hi = 127 : i64, clamp_lo = 0 : i64, lhs_multiplier = 1073741824 : i32, rhs_multiplier = 1073741824 : i32, shift = 31 : i32} : (tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  return %y, %s : tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>
}

// -----

!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @late_operand(%x: tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a> {
  %w = escalate.constant dense<1> : tensor<4x4x1x1xi8>
  // expected-error @+1 {{the epilogue's other operand is not ready before the conv}}
  %yacc = escalate.qconv %x, %w {escalate.epilogue, acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>, tensor<4x4x1x1xi8>) -> tensor<1x4x4x4xi32>
  %y = escalate.requant %yacc {bias = array<i32: 0, 0, 0, 0>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64} : tensor<1x4x4x4xi32> -> tensor<1x4x4x4x!a>
  %p = escalate.qpool %x {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  %s = escalate.qadd %y, %p {clamp_hi = 127 : i64, clamp_lo = 0 : i64, lhs_multiplier = 1073741824 : i32, rhs_multiplier = 1073741824 : i32, shift = 31 : i32} : (tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  return %s : tensor<1x4x4x4x!a>
}

// -----

!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @not_a_conv(%x: tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a> {
  // expected-error @+1 {{only a qconv or qdecomposed_conv has an epilogue}}
  %p = escalate.qpool %x {escalate.epilogue, avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  return %p : tensor<1x4x4x4x!a>
}

// -----

// The attribute is checked before the ops it names: a requant of the wrong
// type is reported, not dereferenced.
!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @float_requant(%x: tensor<1x4x4x4x!a>) -> tensor<1x4x4x4xf32> {
  %w = escalate.constant dense<1> : tensor<4x4x1x1xi8>
  // expected-error @+1 {{its requant's result is not a quantized tensor}}
  %acc = escalate.qconv %x, %w {escalate.epilogue, acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>, tensor<4x4x1x1xi8>) -> tensor<1x4x4x4xi32>
  %y = "escalate.requant"(%acc) {bias = array<i32: 0, 0, 0, 0>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64, neg_multiplier = 1 : i64, neg_shift = 0 : i64} : (tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xf32>
  %s = "escalate.qadd"(%y, %x) {clamp_hi = 127 : i64, clamp_lo = 0 : i64, lhs_multiplier = 1073741824 : i32, rhs_multiplier = 1073741824 : i32, shift = 31 : i32} : (tensor<1x4x4x4xf32>, tensor<1x4x4x4x!a>) -> tensor<1x4x4x4xf32>
  return %s : tensor<1x4x4x4xf32>
}
