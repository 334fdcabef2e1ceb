// The quantized ops reject what one ISA instruction cannot encode.
// RUN: escalate-opt %s -split-input-file -verify-diagnostics

func.func @unsigned_activation(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<u8:f32, 0.1>> {
  // expected-error@+1 {{quantize result must be signed 8- or 16-bit, got unsigned 8-bit}}
  %q = escalate.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  return %q : tensor<4x!quant.uniform<u8:f32, 0.1>>
}

// -----

func.func @shape(%x: tensor<4xf32>) -> tensor<5x!quant.uniform<i8:f32, 0.1>> {
  // expected-error@+1 {{result shape [5] differs from operand shape [4]}}
  %q = escalate.quantize %x : tensor<4xf32> -> tensor<5x!quant.uniform<i8:f32, 0.1>>
  return %q : tensor<5x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @requant_channels(%a: tensor<1x2x1x1xi32>) -> tensor<1x2x1x1x!quant.uniform<i8:f32, 0.1>> {
  // expected-error@+1 {{multiplier has 1 entries for 2 channels}}
  %r = escalate.requant %a {bias = array<i32: 0, 0>, multiplier = array<i32: 1>, shift = array<i32: 0, 0>, clamp_lo = -128, clamp_hi = 127} : tensor<1x2x1x1xi32> -> tensor<1x2x1x1x!quant.uniform<i8:f32, 0.1>>
  return %r : tensor<1x2x1x1x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @requant_shift(%a: tensor<1x1xi32>) -> tensor<1x1x!quant.uniform<i8:f32, 0.1>> {
  // expected-error@+1 {{shift 64 is outside [0, 63]}}
  %r = escalate.requant %a {bias = array<i32: 0>, multiplier = array<i32: 1>, shift = array<i32: 64>, clamp_lo = -128, clamp_hi = 127} : tensor<1x1xi32> -> tensor<1x1x!quant.uniform<i8:f32, 0.1>>
  return %r : tensor<1x1x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @requant_clamp(%a: tensor<1x1xi32>) -> tensor<1x1x!quant.uniform<i8:f32, 0.1>> {
  // expected-error@+1 {{clamp_hi 300 is outside [-128, 127]}}
  %r = escalate.requant %a {bias = array<i32: 0>, multiplier = array<i32: 1>, shift = array<i32: 0>, clamp_lo = -128, clamp_hi = 300} : tensor<1x1xi32> -> tensor<1x1x!quant.uniform<i8:f32, 0.1>>
  return %r : tensor<1x1x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @neg_multiplier(%a: tensor<1x1xi32>) -> tensor<1x1x!quant.uniform<i8:f32, 0.1>> {
  // expected-error@+1 {{neg_multiplier 40000 is outside [-32768, 32767]}}
  %r = escalate.requant %a {bias = array<i32: 0>, multiplier = array<i32: 1>, shift = array<i32: 0>, clamp_lo = -128, clamp_hi = 127, neg_multiplier = 40000} : tensor<1x1xi32> -> tensor<1x1x!quant.uniform<i8:f32, 0.1>>
  return %r : tensor<1x1x!quant.uniform<i8:f32, 0.1>>
}

// -----

func.func @conv_weights(%x: tensor<1x1x4x4x!quant.uniform<i8:f32, 0.1>>, %w: tensor<1x1x3x3xi32>) -> tensor<1x1x2x2xi32> {
  // expected-error@+2 {{failed to infer returned types}}
  // expected-error@+1 {{qconv weights must be 2- to 16-bit integers, got 32-bit}}
  %a = escalate.qconv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1, acc_bits = 32} : (tensor<1x1x4x4x!quant.uniform<i8:f32, 0.1>>, tensor<1x1x3x3xi32>) -> tensor<1x1x2x2xi32>
  return %a : tensor<1x1x2x2xi32>
}

// -----

func.func @conv_zero_point(%x: tensor<1x1x4x4x!quant.uniform<i8:f32, 0.1:200>>, %w: tensor<1x1x3x3xi8>) -> tensor<1x1x2x2xi32> {
  // expected-error@+2 {{failed to infer returned types}}
  // expected-error@+1 {{qconv input zero point 200 is outside its 8-bit storage}}
  %a = escalate.qconv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1, acc_bits = 32} : (tensor<1x1x4x4x!quant.uniform<i8:f32, 0.1:200>>, tensor<1x1x3x3xi8>) -> tensor<1x1x2x2xi32>
  return %a : tensor<1x1x2x2xi32>
}

// -----

!q = !quant.uniform<i8:f32, 0.1>
func.func @eltwise_broadcast(%a: tensor<1x4x2x2x!q>, %b: tensor<1x4x2x1x!q>) -> tensor<1x4x2x2x!q> {
  // expected-error@+1 {{rhs [1,4,2,1] is neither lhs's shape [1,4,2,2], one value per channel, one per pixel, nor a scalar}}
  %c = escalate.qadd %a, %b {lhs_multiplier = 1 : i32, rhs_multiplier = 1 : i32, shift = 0 : i32, clamp_lo = -128, clamp_hi = 127} : (tensor<1x4x2x2x!q>, tensor<1x4x2x1x!q>) -> tensor<1x4x2x2x!q>
  return %c : tensor<1x4x2x2x!q>
}

// -----

!q = !quant.uniform<i8:f32, 0.1>
!w = !quant.uniform<i16:f32, 0.1>
func.func @eltwise_widths(%a: tensor<1x4x!q>, %b: tensor<1x4x!w>) -> tensor<1x4x!q> {
  // expected-error@+1 {{operands and result must share one storage width}}
  %c = escalate.qmul %a, %b {multiplier = 1 : i32, shift = 0 : i32, clamp_lo = -128, clamp_hi = 127} : (tensor<1x4x!q>, tensor<1x4x!w>) -> tensor<1x4x!q>
  return %c : tensor<1x4x!q>
}

// -----

!w = !quant.uniform<i16:f32, 0.1>
func.func @lut_width(%a: tensor<4x!w>) -> tensor<4x!w> {
  // expected-error@+1 {{looks up 8-bit values only}}
  %c = escalate.qlut %a {table = array<i8: 0>} : tensor<4x!w> -> tensor<4x!w>
  return %c : tensor<4x!w>
}

// -----

func.func @fake_quant_zero_point(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{zero point -3 must lie in [qmin, qmax] = [0, 255]}}
  %y = escalate.fake_quant %x {scale = 0.5 : f64, zero_point = -3 : i64, qmin = 0 : i64, qmax = 255 : i64} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @fake_quant_scale(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{scale must be positive and finite}}
  %y = escalate.fake_quant %x {scale = 0.0 : f64, zero_point = 0 : i64, qmin = -128 : i64, qmax = 127 : i64} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

!a = !quant.uniform<i8:f32, 0.1>
func.func @band_outside_padding(%x: tensor<1x2x4x4x!a>) -> tensor<1x2x4x4x!a> {
  // expected-error@+2 {{failed to infer returned types}}
  // expected-error@+1 {{qpool uncounted band 2 lies outside its padding of 1}}
  %p = escalate.qpool %x {kind = #escalate<pool_kind avg>, kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, avg_multiplier = 1, avg_shift = 30, uncounted = array<i64: 2, 1, 1, 1>, divisors = array<i64: 1, 2, 3, 4, 5, 6, 7, 8, 9>} : (tensor<1x2x4x4x!a>) -> tensor<1x2x4x4x!a>
  return %p : tensor<1x2x4x4x!a>
}

// -----

!a = !quant.uniform<i8:f32, 0.1>
func.func @divisor_count(%x: tensor<1x2x4x4x!a>) -> tensor<1x2x4x4x!a> {
  // expected-error@+2 {{failed to infer returned types}}
  // expected-error@+1 {{qpool needs 9 divisors (one per window size), not 4}}
  %p = escalate.qpool %x {kind = #escalate<pool_kind avg>, kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, avg_multiplier = 1, avg_shift = 30, uncounted = array<i64: 1, 1, 1, 1>, divisors = array<i64: 1, 2, 3, 4>} : (tensor<1x2x4x4x!a>) -> tensor<1x2x4x4x!a>
  return %p : tensor<1x2x4x4x!a>
}

// -----

!a = !quant.uniform<i8:f32, 0.1>
func.func @window_in_band(%x: tensor<1x2x4x4x!a>) -> tensor<1x2x4x4x!a> {
  // expected-error@+2 {{failed to infer returned types}}
  // expected-error@+1 {{a qpool window lies wholly in the uncounted padding}}
  %p = escalate.qpool %x {kind = #escalate<pool_kind avg>, kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 2, 0, 0, 0>, avg_multiplier = 1, avg_shift = 30, uncounted = array<i64: 2, 0, 0, 0>, divisors = array<i64: 1, 2, 3, 4>} : (tensor<1x2x4x4x!a>) -> tensor<1x2x5x3x!a>
  return %p : tensor<1x2x5x3x!a>
}

// -----

!a = !quant.uniform<i8:f32, 0.1>
func.func @bands_on_max(%x: tensor<1x2x4x4x!a>) -> tensor<1x2x4x4x!a> {
  // expected-error@+2 {{failed to infer returned types}}
  // expected-error@+1 {{qpool takes uncounted and divisors together, for average pooling only}}
  %p = escalate.qpool %x {kind = #escalate<pool_kind max>, kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, avg_multiplier = 0, avg_shift = 0, uncounted = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4x!a>) -> tensor<1x2x4x4x!a>
  return %p : tensor<1x2x4x4x!a>
}
