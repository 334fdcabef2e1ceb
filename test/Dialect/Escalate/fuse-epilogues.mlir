// RUN: escalate-opt %s --pass-pipeline="builtin.module(func.func(escalate-fuse-epilogues))" --split-input-file | FileCheck %s

// A residual add of a conv's output and the block's input runs in the
// conv's PPU step: the conv is marked, the add stays for the back end.
// CHECK-LABEL: func.func @residual
// CHECK: escalate.qconv {{.*}}escalate.epilogue
// CHECK: escalate.qadd
!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @residual(%x: tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a> {
  %w = escalate.constant dense<1> : tensor<4x4x1x1xi8>
  %yacc = escalate.qconv %x, %w {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>, tensor<4x4x1x1xi8>) -> tensor<1x4x4x4xi32>
  %y = escalate.requant %yacc {bias = array<i32: 0, 0, 0, 0>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64} : tensor<1x4x4x4xi32> -> tensor<1x4x4x4x!a>
  %s = escalate.qadd %y, %x {clamp_hi = 127 : i64, clamp_lo = 0 : i64, lhs_multiplier = 1073741824 : i32, rhs_multiplier = 1073741824 : i32, shift = 31 : i32} : (tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  return %s : tensor<1x4x4x4x!a>
}

// -----

// The two branches of a downsampling block both end in a conv: only the
// later one can take the add (the earlier one's output is then already in
// DRAM; the earlier conv would need the later one's output before it), with
// the conv's output as the add's right-hand operand.
// CHECK-LABEL: func.func @two_branches
// CHECK: escalate.qconv %arg0, %0 {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group
// CHECK: escalate.qconv %arg0, %3 {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, escalate.epilogue, group
!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @two_branches(%x: tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a> {
  %w = escalate.constant dense<1> : tensor<4x4x1x1xi8>
  %yacc = escalate.qconv %x, %w {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>, tensor<4x4x1x1xi8>) -> tensor<1x4x4x4xi32>
  %y = escalate.requant %yacc {bias = array<i32: 0, 0, 0, 0>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64} : tensor<1x4x4x4xi32> -> tensor<1x4x4x4x!a>
  %v = escalate.constant dense<1> : tensor<4x4x1x1xi8>
  %zacc = escalate.qconv %x, %v {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>, tensor<4x4x1x1xi8>) -> tensor<1x4x4x4xi32>
  %z = escalate.requant %zacc {bias = array<i32: 0, 0, 0, 0>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64} : tensor<1x4x4x4xi32> -> tensor<1x4x4x4x!a>
  %s = escalate.qadd %y, %z {clamp_hi = 127 : i64, clamp_lo = 0 : i64, lhs_multiplier = 1073741824 : i32, rhs_multiplier = 1073741824 : i32, shift = 31 : i32} : (tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  return %s : tensor<1x4x4x4x!a>
}

// -----

// Not fused: the conv's output is also a result (it must reach DRAM); the
// other operand is computed after the conv (the fused layer runs where the
// conv stands); the other operand is a per-channel broadcast.
// CHECK-LABEL: func.func @not_fused
// CHECK-NOT: escalate.epilogue
!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @not_fused(%x: tensor<1x4x4x4x!a>, %c: tensor<1x4x1x1x!a>) -> (tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>) {
  %w = escalate.constant dense<1> : tensor<4x4x1x1xi8>
  %yacc = escalate.qconv %x, %w {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>, tensor<4x4x1x1xi8>) -> tensor<1x4x4x4xi32>
  %y = escalate.requant %yacc {bias = array<i32: 0, 0, 0, 0>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64} : tensor<1x4x4x4xi32> -> tensor<1x4x4x4x!a>
  %s = escalate.qadd %y, %x {clamp_hi = 127 : i64, clamp_lo = 0 : i64, lhs_multiplier = 1073741824 : i32, rhs_multiplier = 1073741824 : i32, shift = 31 : i32} : (tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  %v = escalate.constant dense<1> : tensor<4x4x1x1xi8>
  %zacc = escalate.qconv %x, %v {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>, tensor<4x4x1x1xi8>) -> tensor<1x4x4x4xi32>
  %z = escalate.requant %zacc {bias = array<i32: 0, 0, 0, 0>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64} : tensor<1x4x4x4xi32> -> tensor<1x4x4x4x!a>
  %p = escalate.qpool %x {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 1, 1>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  %t = escalate.qadd %z, %p {clamp_hi = 127 : i64, clamp_lo = 0 : i64, lhs_multiplier = 1073741824 : i32, rhs_multiplier = 1073741824 : i32, shift = 31 : i32} : (tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>) -> tensor<1x4x4x4x!a>
  %k = escalate.constant dense<1> : tensor<4x4x1x1xi8>
  %uacc = escalate.qconv %x, %k {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>, tensor<4x4x1x1xi8>) -> tensor<1x4x4x4xi32>
  %u = escalate.requant %uacc {bias = array<i32: 0, 0, 0, 0>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64} : tensor<1x4x4x4xi32> -> tensor<1x4x4x4x!a>
  %b = escalate.qadd %u, %c {clamp_hi = 127 : i64, clamp_lo = 0 : i64, lhs_multiplier = 1073741824 : i32, rhs_multiplier = 1073741824 : i32, shift = 31 : i32} : (tensor<1x4x4x4x!a>, tensor<1x4x1x1x!a>) -> tensor<1x4x4x4x!a>
  return %y, %s, %t, %b : tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>, tensor<1x4x4x4x!a>
}

// -----

// Poolings whose windows never cross an output tile fuse: 2 x 2 at stride
// 2, and one window over the whole map (a global pool). A 3 x 3 window at
// stride 2 with padding (ResNet's stem pool) overlaps its neighbours and
// stays a layer.
// CHECK-LABEL: func.func @pools
// CHECK: escalate.qconv {{.*}}escalate.epilogue
// CHECK: escalate.qconv {{.*}}escalate.epilogue
// CHECK: escalate.qconv
// CHECK-NOT: escalate.epilogue
// CHECK: return
!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @pools(%x: tensor<1x4x4x4x!a>) -> (tensor<1x4x2x2x!a>, tensor<1x4x1x1x!a>, tensor<1x4x2x2x!a>) {
  %w = escalate.constant dense<1> : tensor<4x4x1x1xi8>
  %yacc = escalate.qconv %x, %w {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>, tensor<4x4x1x1xi8>) -> tensor<1x4x4x4xi32>
  %y = escalate.requant %yacc {bias = array<i32: 0, 0, 0, 0>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64} : tensor<1x4x4x4xi32> -> tensor<1x4x4x4x!a>
  %p = escalate.qpool %y {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 2, 2>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x4x4x!a>) -> tensor<1x4x2x2x!a>
  %v = escalate.constant dense<1> : tensor<4x4x1x1xi8>
  %zacc = escalate.qconv %x, %v {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>, tensor<4x4x1x1xi8>) -> tensor<1x4x4x4xi32>
  %z = escalate.requant %zacc {bias = array<i32: 0, 0, 0, 0>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64} : tensor<1x4x4x4xi32> -> tensor<1x4x4x4x!a>
  %g = escalate.qpool %z {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 4, 4>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>) -> tensor<1x4x1x1x!a>
  %k = escalate.constant dense<1> : tensor<4x4x1x1xi8>
  %uacc = escalate.qconv %x, %k {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4x!a>, tensor<4x4x1x1xi8>) -> tensor<1x4x4x4xi32>
  %u = escalate.requant %uacc {bias = array<i32: 0, 0, 0, 0>, multiplier = array<i32: 1073741824, 1073741824, 1073741824, 1073741824>, shift = array<i32: 33, 33, 33, 33>, clamp_lo = -128 : i64, clamp_hi = 127 : i64} : tensor<1x4x4x4xi32> -> tensor<1x4x4x4x!a>
  %q = escalate.qpool %u {avg_multiplier = 0 : i64, avg_shift = 0 : i64, kernel_shape = array<i64: 3, 3>, kind = #escalate<pool_kind max>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x4x4x!a>) -> tensor<1x4x2x2x!a>
  return %p, %g, %q : tensor<1x4x2x2x!a>, tensor<1x4x1x1x!a>, tensor<1x4x2x2x!a>
}
