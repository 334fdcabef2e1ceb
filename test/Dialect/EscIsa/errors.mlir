// Verifier errors: field ranges and the hardware description's limits.
// RUN: escalate-opt %s -split-input-file -escisa-validate -verify-diagnostics

escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+1 {{field 'w' = 5000 is outside [0, 4095]}}
  escisa.load buf = act, sram = 0, dram = 0, c = 1, h = 1, w = 5000, stride_c = 0, stride_h = 0, pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0, pad_value = 0, elem_bytes = 1
  escisa.halt
}

// -----

escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+1 {{expected field 'sram', found 'dram'}}
  escisa.load buf = act, dram = 0
}

// -----

escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+1 {{field 'buf' must be one of: act,basis,coef,stream,accum}}
  escisa.load buf = dram, sram = 0
}

// -----

escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+1 {{writes act [520000, 530000) is outside the 524288 bytes of act}}
  escisa.load buf = act, sram = 520000, dram = 0, c = 1, h = 10, w = 1000, stride_c = 0, stride_h = 0, pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0, pad_value = 0, elem_bytes = 1
  escisa.halt
}

// -----

escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+1 {{reads dram [4000, 4100) is outside the 4096 bytes of dram}}
  escisa.load buf = act, sram = 0, dram = 4000, c = 1, h = 1, w = 100, stride_c = 0, stride_h = 0, pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0, pad_value = 0, elem_bytes = 1
  escisa.halt
}

// -----

escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+1 {{the stream buffer is private to the conv engines}}
  escisa.store buf = stream, sram = 0, dram = 0, c = 1, h = 1, w = 1, stride_c = 0, stride_h = 0, elem_bytes = 1
  escisa.halt
}

// -----

escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+1 {{coef_bits = 2 is not supported by the hardware (supported: 4, 8, 16)}}
  escisa.conv mode = basis, format = dense, index_bits = 0, input = 0, in_c = 1, in_h = 3, in_w = 3, kernel_h = 3, kernel_w = 3, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1, out_c = 1, groups = 1, bases = 1, basis = 0, coef = 0, act_bits = 8, basis_bits = 8, coef_bits = 2, acc = 0, accumulate = overwrite
  escisa.halt
}

// -----

escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+1 {{window mode forwards kernel_h*kernel_w = 9 windows, but bases = 5}}
  escisa.conv mode = window, format = dense, index_bits = 0, input = 0, in_c = 1, in_h = 3, in_w = 3, kernel_h = 3, kernel_w = 3, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1, out_c = 1, groups = 1, bases = 5, basis = 0, coef = 0, act_bits = 8, basis_bits = 0, coef_bits = 8, acc = 0, accumulate = overwrite
  escisa.halt
}

// -----

escisa.program attributes {dram_bytes = 4096} {
  // The basis-first stream holds two channels' M maps: 2 x 16 maps x 64 x 64 pixels x 4 bytes.
  // expected-error @+1 {{writes stream [0, 524288) is outside the 65536 bytes of stream}}
  escisa.conv mode = basis, format = dense, index_bits = 0, input = 0, in_c = 1, in_h = 66, in_w = 66, kernel_h = 3, kernel_w = 3, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1, out_c = 1, groups = 1, bases = 16, basis = 0, coef = 0, act_bits = 8, basis_bits = 8, coef_bits = 8, acc = 0, accumulate = overwrite
  escisa.halt
}

// -----

escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+1 {{groups = 3 must divide in_c = 4 and out_c = 6}}
  escisa.conv mode = window, format = dense, index_bits = 0, input = 0, in_c = 4, in_h = 3, in_w = 3, kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1, out_c = 6, groups = 3, bases = 1, basis = 0, coef = 0, act_bits = 8, basis_bits = 0, coef_bits = 8, acc = 0, accumulate = overwrite
  escisa.halt
}

// -----

escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+1 {{clamp [-200, 127] must be ordered and within the 8-bit range [-128, 127]}}
  escisa.requant src = 0, dst = 0, c = 1, h = 1, w = 1, params = 0, out_bits = 8, zero_point = 0, clamp_lo = -200, clamp_hi = 127, neg_mult = 1, neg_shift = 0
  escisa.halt
}

// -----

// expected-error @+1 {{the code section must end with a halt instruction}}
escisa.program attributes {dram_bytes = 4096} {
  escisa.lut src = 0, dst = 0, count = 1, table = 0
}

// -----

// A splat segment is checked against DRAM before it is expanded (this one
// would be 2^62 bytes).
escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+1 {{constant segment 'huge' is outside DRAM}}
  escisa.segment "huge" at 0 = dense<0> : tensor<4611686018427387904xi8>
  escisa.halt
}

// -----

// expected-error @+1 {{constant segments 'a' and 'b' overlap}}
escisa.program attributes {dram_bytes = 4096} {
  escisa.segment "a" at 0 = dense<1> : tensor<8xi8>
  escisa.segment "b" at 4 = dense<1> : tensor<8xi8>
  escisa.halt
}

// -----

// expected-error @+1 {{input 'x': [4000, 4192) is outside the 4096 bytes of DRAM}}
escisa.program attributes {dram_bytes = 4096} {
  escisa.tensor input "x" <dram = 4000, shape = [1, 3, 8, 8], bits = 8, scale = 1.0, zero_point = 0>
  escisa.halt
}

// -----

escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+1 {{index 1 skips 0; indices are numbered by first use}}
  escisa.host index = 1 {axis = 1, inputs = [#escisa.tensor<dram = 0, shape = [1, 10], bits = 8, scale = 0.1, zero_point = 0>], kind = #escisa<host_kind softmax>, output = #escisa.tensor<dram = 64, shape = [1, 10], bits = 8, scale = 0.1, zero_point = 0>}
  escisa.halt
}

// -----

// Host-op entries are checked kind by kind (lib/Hardware/HostOps.cpp): a
// transpose's ints must permute the input's axes, a slice may not read
// outside its input, a binary op's inputs must broadcast to its output, and
// an input without a scale must be 32-bit floats.
// expected-error @+1 {{host op 0 ('transpose'): ints must be a permutation of the input's axes}}
escisa.program attributes {dram_bytes = 4096} {
  escisa.host index = 0 {axis = -1, inputs = [#escisa.tensor<dram = 0, shape = [2, 3], bits = 8, scale = 0.1, zero_point = 0>], ints = array<i64: 0, 0>, kind = #escisa<host_kind transpose>, output = #escisa.tensor<dram = 64, shape = [2, 2], bits = 8, scale = 0.1, zero_point = 0>}
  escisa.halt
}

// -----

// expected-error @+1 {{host op 0 ('slice'): axis 1: start 1, step 2 and 3 outputs leave the input's 4}}
escisa.program attributes {dram_bytes = 4096} {
  escisa.host index = 0 {axis = -1, inputs = [#escisa.tensor<dram = 0, shape = [2, 4], bits = 8, scale = 0.1, zero_point = 0>], ints = array<i64: 0, 1, 1, 2>, kind = #escisa<host_kind slice>, output = #escisa.tensor<dram = 64, shape = [2, 3], bits = 8, scale = 0.1, zero_point = 0>}
  escisa.halt
}

// -----

// expected-error @+1 {{host op 0 ('add'): the output's shape is not the one its inputs and parameters give}}
escisa.program attributes {dram_bytes = 4096} {
  escisa.host index = 0 {axis = -1, inputs = [#escisa.tensor<dram = 0, shape = [2, 4], bits = 8, scale = 0.1, zero_point = 0>, #escisa.tensor<dram = 64, shape = [4], bits = 8, scale = 0.1, zero_point = 0>], kind = #escisa<host_kind add>, output = #escisa.tensor<dram = 128, shape = [4, 4], bits = 8, scale = 0.1, zero_point = 0>}
  escisa.halt
}

// -----

// expected-error @+1 {{host op 0 ('mul'): input 1 has no scale, so it must be 32-bit floats}}
escisa.program attributes {dram_bytes = 4096} {
  escisa.host index = 0 {axis = -1, inputs = [#escisa.tensor<dram = 0, shape = [2, 4], bits = 8, scale = 0.1, zero_point = 0>, #escisa.tensor<dram = 64, shape = [4], bits = 8, scale = 0.0, zero_point = 0>], kind = #escisa<host_kind mul>, output = #escisa.tensor<dram = 128, shape = [2, 4], bits = 8, scale = 0.1, zero_point = 0>}
  escisa.halt
}

// -----

// Conv, transposed conv and pool entries: the weight's channels must match
// the input's and the group, the output must be the window's, an output
// padding must stay below the stride, and a gather's indices inside the
// axis.
// expected-error @+1 {{host op 0 ('conv'): the weight's channels do not match the input's and group}}
escisa.program attributes {dram_bytes = 65536} {
  escisa.host index = 0 {axis = -1, inputs = [#escisa.tensor<dram = 0, shape = [1, 4, 6, 6], bits = 8, scale = 0.1, zero_point = 0>, #escisa.tensor<dram = 4096, shape = [8, 3, 3, 3], bits = 32, scale = 0.0, zero_point = 0>], ints = array<i64: 1, 1, 1, 1, 1, 0, 0, 0, 0>, kind = #escisa<host_kind conv>, output = #escisa.tensor<dram = 8192, shape = [1, 8, 4, 4], bits = 8, scale = 0.1, zero_point = 0>}
  escisa.halt
}

// -----

// expected-error @+1 {{host op 0 ('conv'): the output's shape is not the one its inputs and parameters give}}
escisa.program attributes {dram_bytes = 65536} {
  escisa.host index = 0 {axis = -1, inputs = [#escisa.tensor<dram = 0, shape = [1, 4, 6, 6], bits = 8, scale = 0.1, zero_point = 0>, #escisa.tensor<dram = 4096, shape = [8, 2, 3, 3], bits = 32, scale = 0.0, zero_point = 0>], ints = array<i64: 2, 1, 1, 1, 1, 0, 0, 0, 0>, kind = #escisa<host_kind conv>, output = #escisa.tensor<dram = 8192, shape = [1, 8, 6, 6], bits = 8, scale = 0.1, zero_point = 0>}
  escisa.halt
}

// -----

// expected-error @+1 {{host op 0 ('conv_transpose'): axis 2: the output's extent is not the transposed conv's 12 plus an output padding below the stride}}
escisa.program attributes {dram_bytes = 65536} {
  escisa.host index = 0 {axis = -1, inputs = [#escisa.tensor<dram = 0, shape = [1, 4, 6, 6], bits = 8, scale = 0.1, zero_point = 0>, #escisa.tensor<dram = 4096, shape = [4, 2, 4, 4], bits = 32, scale = 0.0, zero_point = 0>], ints = array<i64: 1, 2, 2, 1, 1, 1, 1, 1, 1>, kind = #escisa<host_kind conv_transpose>, output = #escisa.tensor<dram = 8192, shape = [1, 2, 14, 12], bits = 8, scale = 0.1, zero_point = 0>}
  escisa.halt
}

// -----

// expected-error @+1 {{host op 0 ('max_pool'): axis 3: the window gives 3 to 4 outputs, not 5}}
escisa.program attributes {dram_bytes = 65536} {
  escisa.host index = 0 {axis = -1, inputs = [#escisa.tensor<dram = 0, shape = [1, 4, 6, 7], bits = 8, scale = 0.1, zero_point = 0>], ints = array<i64: 2, 2, 2, 2, 1, 1, 0, 0, 0, 0>, kind = #escisa<host_kind max_pool>, output = #escisa.tensor<dram = 8192, shape = [1, 4, 3, 5], bits = 8, scale = 0.1, zero_point = 0>}
  escisa.halt
}

// -----

// expected-error @+1 {{host op 0 ('average_pool'): ints[0] (count_include_pad) must be 0 or 1}}
escisa.program attributes {dram_bytes = 65536} {
  escisa.host index = 0 {axis = -1, inputs = [#escisa.tensor<dram = 0, shape = [1, 4, 6, 6], bits = 8, scale = 0.1, zero_point = 0>], ints = array<i64: 2, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0>, kind = #escisa<host_kind average_pool>, output = #escisa.tensor<dram = 8192, shape = [1, 4, 3, 3], bits = 8, scale = 0.1, zero_point = 0>}
  escisa.halt
}

// -----

// expected-error @+1 {{host op 0 ('gather'): index 4 is outside axis 1 of size 4}}
escisa.program attributes {dram_bytes = 65536} {
  escisa.host index = 0 {axis = -1, inputs = [#escisa.tensor<dram = 0, shape = [1, 4, 6, 6], bits = 8, scale = 0.1, zero_point = 0>], ints = array<i64: 1, 1, 2, 0, 4>, kind = #escisa<host_kind gather>, output = #escisa.tensor<dram = 8192, shape = [1, 2, 6, 6], bits = 8, scale = 0.1, zero_point = 0>}
  escisa.halt
}

// -----

// An indices shape whose product overflows 64 bits is refused, not wrapped.
// expected-error @+1 {{host op 0 ('gather'): the indices' shape does not match their count}}
escisa.program attributes {dram_bytes = 65536} {
  escisa.host index = 0 {axis = -1, inputs = [#escisa.tensor<dram = 0, shape = [1, 4, 6, 6], bits = 8, scale = 0.1, zero_point = 0>], ints = array<i64: 1, 4, 1048575, 1048575, 1048575, 1048575, 0, 1>, kind = #escisa<host_kind gather>, output = #escisa.tensor<dram = 8192, shape = [1, 2, 6, 6], bits = 8, scale = 0.1, zero_point = 0>}
  escisa.halt
}

// -----

// expected-error @+1 {{host op 0 ('pad'): reals must be [the constant]}}
escisa.program attributes {dram_bytes = 65536} {
  escisa.host index = 0 {axis = -1, inputs = [#escisa.tensor<dram = 0, shape = [1, 4, 6, 6], bits = 8, scale = 0.1, zero_point = 0>], ints = array<i64: 0, 0, 0, 1, 1, 0, 0, 1, 1>, kind = #escisa<host_kind pad>, output = #escisa.tensor<dram = 8192, shape = [1, 4, 8, 8], bits = 8, scale = 0.1, zero_point = 0>}
  escisa.halt
}

// -----

// expected-error @+1 {{host op 0 ('prelu'): the slope must broadcast to the input's shape}}
escisa.program attributes {dram_bytes = 65536} {
  escisa.host index = 0 {axis = -1, inputs = [#escisa.tensor<dram = 0, shape = [1, 4, 6, 6], bits = 8, scale = 0.1, zero_point = 0>, #escisa.tensor<dram = 4096, shape = [6, 1, 1], bits = 32, scale = 0.0, zero_point = 0>], kind = #escisa<host_kind prelu>, output = #escisa.tensor<dram = 8192, shape = [1, 4, 6, 6], bits = 8, scale = 0.1, zero_point = 0>}
  escisa.halt
}

// -----

escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+1 {{dram and bits must be non-negative}}
  escisa.tensor input "x" <dram = -64, shape = [1, 3], bits = 8, scale = 1.0, zero_point = 0>
  escisa.halt
}

// -----

escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+1 {{scale must be finite and non-negative}}
  escisa.tensor output "y" <dram = 0, shape = [1, 3], bits = 8, scale = -0.5, zero_point = 0>
  escisa.halt
}

// -----

escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+2 {{expected ::escalate::escisa::TensorKind to be one of: input, output}}
  // expected-error @+1 {{failed to parse EscIsa_TensorKindAttr parameter}}
  escisa.tensor inout "y" <dram = 0, shape = [1, 3], bits = 8, scale = 0.5, zero_point = 0>
  escisa.halt
}

// -----

escisa.program attributes {dram_bytes = 4096} {
  // expected-error @+1 {{attribute 'mode' failed to satisfy constraint}}
  "escisa.conv"() {mode = 7, format = 0, index_bits = 0, input = 0, in_c = 1, in_h = 3, in_w = 3, kernel_h = 3, kernel_w = 3, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1, out_c = 1, groups = 1, bases = 9, basis = 0, coef = 0, act_bits = 8, basis_bits = 0, coef_bits = 8, acc = 0, accumulate = 0} : () -> ()
  escisa.halt
}

// -----

// expected-error @+1 {{hardware description: hw.clock_mhz is missing}}
escisa.program attributes {dram_bytes = 4096, hw = "{\"name\": \"x\"}"} {
  escisa.halt
}

// -----

// expected-error @+1 {{the program needs 8589934592 bytes of DRAM; the hardware has 4294967296}}
escisa.program attributes {dram_bytes = 8589934592} {
  escisa.halt
}
