// RUN: escalate-opt %s --convert-escalate-to-escisa --split-input-file --verify-diagnostics --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s
// RUN: not escalate-opt %s --convert-escalate-to-escisa=max-instructions=3 --split-input-file 2>&1 | FileCheck %s --check-prefix=LIMIT

// One conv layer on its #escalate.tile at the planned addresses: the
// weights and requant records become one segment after the 128-byte arena,
// the layer the load / conv / requant / store of its single tile, named
// after it; the program ends with halt, and carries the records
// escisa-report reads.
// CHECK-LABEL: escisa.program
// CHECK-SAME: dram_bytes = 320
// CHECK-SAME: escisa.arena = {activation_arena_bytes = 128 : i64, activation_buffers = 2 : i64, activation_bytes_without_reuse = 128 : i64}
// CHECK-SAME: escisa.layers = [{constant_bytes = 176 : i64, estimated_cycles = 456 : i64, estimated_dram_bytes = 206 : i64, in_channels = 2 : i64, instructions = 6 : i64, kind = "conv", name = "conv0", out_channels = 4 : i64, sram_bytes = {{{.*}}}, tile = {cols = 3 : i64, double_buffer = true, in_channels = 2 : i64, order = "spatial_outer", out_channels = 4 : i64, rows = 3 : i64}, weights = {nonzero_weights = 51 : i64, weight_sparsity = {{.*}} : f64}}]
// CHECK: escisa.tensor input "x" <dram = 0, shape = [1, 2, 5, 5], bits = 8,
// CHECK: escisa.tensor output "y" <dram = 64,
// CHECK: escisa.segment "conv0" at 128 =
// CHECK: escisa.load buf = act, {{.*}}dram = 0, c = 2, h = 5, w = 5, {{.*}}pad_top = 1, pad_bottom = 1, pad_left = 1, pad_right = 1, pad_value = -3, elem_bytes = 1 loc("conv0")
// CHECK: escisa.load buf = coef, {{.*}}w = 72, {{.*}}loc("conv0")
// CHECK: escisa.load buf = coef, {{.*}}w = 48, {{.*}}loc("conv0")
// CHECK: escisa.conv mode = window, format = dense, index_bits = 0, {{.*}}in_c = 2, in_h = 7, in_w = 7, kernel_h = 3, kernel_w = 3, stride_h = 2, stride_w = 2, {{.*}}out_c = 4, groups = 1, bases = 9,
// CHECK: escisa.requant {{.*}}c = 4, h = 3, w = 3, {{.*}}out_bits = 8, zero_point = 1, clamp_lo = 1, clamp_hi = 127
// CHECK: escisa.store buf = act, {{.*}}dram = 64, c = 4, h = 3, w = 3, {{.*}}loc("conv0")
// CHECK-NEXT: escisa.halt loc(unknown)
// LIMIT: error: loc("conv0"): 'escalate.qconv' op brings the program past the limit of 3 instructions; raise it with --max-instructions
!a = !quant.uniform<i8:f32, 0.5:-3>
!b = !quant.uniform<i8:f32, 0.25:1>
func.func @main(%x: tensor<1x2x5x5xf32> {escalate.name = "x"}) -> (tensor<1x4x3x3xf32> {escalate.name = "y"}) attributes {escalate.dram_plan = #escalate.dram_plan<arena_bytes = 128, unshared_bytes = 128, buffers = 2>} {
  %w = escalate.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]]], [[[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[0, 0, 0], [0, 2, 0], [0, 0, 0]]], [[[3, 3, 3], [3, 3, 3], [3, 3, 3]], [[1, 1, 1], [1, 1, 1], [1, 1, 1]]], [[[0, 1, 0], [1, -4, 1], [0, 1, 0]], [[2, 0, -2], [2, 0, -2], [2, 0, -2]]]]> : tensor<4x2x3x3xi8>
  %q = escalate.quantize %x {escalate.dram = #escalate.dram<base = 0, image_stride = 50>} : tensor<1x2x5x5xf32> -> tensor<1x2x5x5x!a>
  %acc = escalate.qconv %q, %w {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, escalate.tile = #escalate.tile<rows = 3, cols = 3, in_channels = 2, out_channels = 4, order = spatial_outer, double_buffer = true, cycles = 456, dram_bytes = 206>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5x!a>, tensor<4x2x3x3xi8>) -> tensor<1x4x3x3xi32> loc("conv0")
  %y = escalate.requant %acc {bias = array<i32: 5, -7, 11, 0>, clamp_hi = 127 : i64, clamp_lo = 1 : i64, escalate.dram = #escalate.dram<base = 64, image_stride = 36>, multiplier = array<i32: 1518500250, 1518500250, 1518500250, 1518500250>, shift = array<i32: 36, 36, 36, 36>} : tensor<1x4x3x3xi32> -> tensor<1x4x3x3x!b>
  %d = escalate.dequantize %y : tensor<1x4x3x3x!b> -> tensor<1x4x3x3xf32>
  return %d : tensor<1x4x3x3xf32>
}

// -----

// A conv with a fused epilogue (escalate-fuse-epilogues): the add is part
// of the conv's layer, named after the conv. The residual tile is loaded
// into the second half of the output slot after the conv's own loads; the
// eltwise combines it with the requant's result in place before the store
// sends the sum to the add's address. The requant's result has no DRAM.
// The conv's output is the add's rhs, so the eltwise's records put it
// first: {za, zb, zo, ma = the rhs multiplier 2^29, mb = 2^30, shift 30,
// lo -3, hi 127}, after the two requant records.
// CHECK-LABEL: escisa.program
// CHECK-SAME: instructions = 8 : i64, kind = "conv + qadd", name = "conv"
// CHECK: escisa.segment "conv" at 128 = dense<"0x0102FF03{{0+}}01000000000000401F000000FFFFFFFF000000401F000000FDFFFFFFFDFFFFFFFDFFFFFF00000020000000401E000000FDFFFFFF7F000000">
// CHECK: escisa.load buf = act, sram = 131072, dram = 0, c = 2, h = 3, w = 3,
// CHECK-NEXT: escisa.load buf = coef, sram = 98304, dram = 128, {{.*}}w = 4,
// CHECK-NEXT: escisa.load buf = coef, sram = 229376, dram = 192, {{.*}}w = 56,
// CHECK-NEXT: escisa.load buf = act, sram = 327680, dram = 0, c = 2, h = 3, w = 3,
// CHECK-NEXT: escisa.conv
// CHECK-NEXT: escisa.requant src = 0, dst = 262144, c = 2, h = 3, w = 3, params = 229376,
// CHECK-NEXT: escisa.eltwise op = add, broadcast = none, a = 262144, b = 327680, dst = 262144, c = 2, h = 3, w = 3, params = 229400, bits = 8 loc("conv")
// CHECK-NEXT: escisa.store buf = act, sram = 262144, dram = 64, c = 2, h = 3, w = 3,
// CHECK-NEXT: escisa.halt
!a = !quant.uniform<i8:f32, 0.5:-3>
func.func @main(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> attributes {escalate.dram_plan = #escalate.dram_plan<arena_bytes = 128, unshared_bytes = 128, buffers = 2>} {
  %w = escalate.constant dense<[[[[1]], [[2]]], [[[-1]], [[3]]]]> : tensor<2x2x1x1xi8>
  %q = escalate.quantize %x {escalate.dram = #escalate.dram<base = 0, image_stride = 18>} : tensor<1x2x3x3xf32> -> tensor<1x2x3x3x!a>
  %acc = escalate.qconv %q, %w {acc_bits = 32 : i64, dilations = array<i64: 1, 1>, escalate.epilogue, escalate.tile = #escalate.tile<rows = 3, cols = 3, in_channels = 2, out_channels = 2, order = spatial_outer, double_buffer = true, cycles = 0, dram_bytes = 0>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3x!a>, tensor<2x2x1x1xi8>) -> tensor<1x2x3x3xi32> loc("conv")
  %y = escalate.requant %acc {bias = array<i32: 1, -1>, clamp_hi = 127 : i64, clamp_lo = -128 : i64, multiplier = array<i32: 1073741824, 1073741824>, shift = array<i32: 31, 31>} : tensor<1x2x3x3xi32> -> tensor<1x2x3x3x!a>
  %s = escalate.qadd %q, %y {clamp_hi = 127 : i64, clamp_lo = -3 : i64, escalate.dram = #escalate.dram<base = 64, image_stride = 18>, lhs_multiplier = 1073741824 : i32, rhs_multiplier = 536870912 : i32, shift = 30 : i32} : (tensor<1x2x3x3x!a>, tensor<1x2x3x3x!a>) -> tensor<1x2x3x3x!a> loc("add")
  %d = escalate.dequantize %s : tensor<1x2x3x3x!a> -> tensor<1x2x3x3xf32>
  return %d : tensor<1x2x3x3xf32>
}

// -----

// A post-processing layer (max pool 2x2) and a host op (softmax, reading
// and writing DRAM): the pool has no constants, so no segment.
// CHECK-LABEL: escisa.program
// CHECK-SAME: dram_bytes = 128
// CHECK-NOT: escisa.segment
// CHECK: escisa.load buf = act, {{.*}}dram = 0, c = 3, h = 4, w = 4, {{.*}}loc("pool")
// CHECK: escisa.pool kind = max, {{.*}}c = 3, in_h = 4, in_w = 4, kernel_h = 2, kernel_w = 2, stride_h = 2, stride_w = 2, {{.*}}loc("pool")
// CHECK: escisa.store buf = act, {{.*}}dram = 64, c = 3, h = 2, w = 2, {{.*}}loc("pool")
// CHECK-NEXT: escisa.host index = 0 {axis = 1 : i64, inputs = [#escisa.tensor<dram = 64, {{.*}}>], kind = #escisa<host_kind softmax>, output = #escisa.tensor<dram = 96, {{.*}}>} loc("softmax")
// CHECK-NEXT: escisa.halt
// The pool's three instructions fit a limit of three; the host op does not.
// LIMIT: error: loc("softmax"): 'escalate.qsoftmax' op brings the program past the limit of 3 instructions
!a = !quant.uniform<i8:f32, 0.5:0>
!s = !quant.uniform<i8:f32, 0.0078125:-128>
func.func @main(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x2x2xf32> attributes {escalate.dram_plan = #escalate.dram_plan<arena_bytes = 128, unshared_bytes = 192, buffers = 3>} {
  %q = escalate.quantize %x {escalate.dram = #escalate.dram<base = 0, image_stride = 48>} : tensor<1x3x4x4xf32> -> tensor<1x3x4x4x!a>
  %p = escalate.qpool %q {avg_multiplier = 0 : i64, avg_shift = 0 : i64, escalate.dram = #escalate.dram<base = 64, image_stride = 12>, escalate.tile = #escalate.tile<rows = 2, cols = 2, in_channels = 3, out_channels = 3, order = spatial_outer, double_buffer = false, cycles = 10, dram_bytes = 60>, kernel_shape = array<i64: 2, 2>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x4x4x!a>) -> tensor<1x3x2x2x!a> loc("pool")
  %sm = escalate.qsoftmax %p {axis = 1, escalate.dram = #escalate.dram<base = 96, image_stride = 12>} : tensor<1x3x2x2x!a> -> tensor<1x3x2x2x!s> loc("softmax")
  %d = escalate.dequantize %sm : tensor<1x3x2x2x!s> -> tensor<1x3x2x2xf32>
  return %d : tensor<1x3x2x2xf32>
}

// -----

// An average pool that does not count its padding (3x3, padding 1, in two
// tiles of two rows): its multipliers by window size (2^30 / n) are a
// segment loaded into coef; each tile's pool leaves out the side columns
// and, of the rows, the padding that tile loads (the first tile's top row,
// the last tile's bottom row).
// CHECK-LABEL: escisa.program
// CHECK: escisa.segment "pool" at 128 = dense<[0, 0, 0, 64, 0, 0, 0, 32, 85, 85, 85, 21, {{.*}}]> : tensor<36xi8>
// CHECK-NEXT: escisa.load buf = coef, sram = [[D:[0-9]+]], dram = 128, c = 1, h = 1, w = 36,
// CHECK-NEXT: escisa.load buf = act, {{.*}}h = 3, w = 4, {{.*}}pad_top = 1, pad_bottom = 0, pad_left = 1, pad_right = 1,
// CHECK-NEXT: escisa.pool kind = avg, {{.*}}in_h = 4, in_w = 6, kernel_h = 3, kernel_w = 3, {{.*}}avg_shift = 30, zero_point = 0, uncounted_top = 1, uncounted_left = 1, uncounted_bottom = 0, uncounted_right = 1, divisors = [[D]] loc("pool")
// CHECK-NEXT: escisa.store
// CHECK-NEXT: escisa.load buf = act, {{.*}}h = 3, w = 4, {{.*}}pad_top = 0, pad_bottom = 1, pad_left = 1, pad_right = 1,
// CHECK-NEXT: escisa.pool kind = avg, {{.*}}uncounted_top = 0, uncounted_left = 1, uncounted_bottom = 1, uncounted_right = 1, divisors = [[D]] loc("pool")
!a = !quant.uniform<i8:f32, 0.5:0>
func.func @main(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4x!a> attributes {escalate.dram_plan = #escalate.dram_plan<arena_bytes = 128, unshared_bytes = 128, buffers = 2>} {
  %q = escalate.quantize %x {escalate.dram = #escalate.dram<base = 0, image_stride = 48>} : tensor<1x3x4x4xf32> -> tensor<1x3x4x4x!a>
  %p = escalate.qpool %q {avg_multiplier = 119304647 : i64, avg_shift = 30 : i64, divisors = array<i64: 1073741824, 536870912, 357913941, 268435456, 214748365, 178956971, 153391689, 134217728, 119304647>, escalate.dram = #escalate.dram<base = 64, image_stride = 48>, escalate.tile = #escalate.tile<rows = 2, cols = 4, in_channels = 3, out_channels = 3, order = spatial_outer, double_buffer = false, cycles = 10, dram_bytes = 96>, kernel_shape = array<i64: 3, 3>, kind = #escalate<pool_kind avg>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>, uncounted = array<i64: 1, 1, 1, 1>} : (tensor<1x3x4x4x!a>) -> tensor<1x3x4x4x!a> loc("pool")
  return %p : tensor<1x3x4x4x!a>
}

// -----

// A layer needs its tiling.
!a = !quant.uniform<i8:f32, 0.5:0>
func.func @main(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x2x2x!a> attributes {escalate.dram_plan = #escalate.dram_plan<arena_bytes = 128, unshared_bytes = 128, buffers = 2>} {
  %q = escalate.quantize %x {escalate.dram = #escalate.dram<base = 0, image_stride = 48>} : tensor<1x3x4x4xf32> -> tensor<1x3x4x4x!a>
  // expected-error @+1 {{has no #escalate.tile: run escalate-tile first}}
  %p = escalate.qpool %q {avg_multiplier = 0 : i64, avg_shift = 0 : i64, escalate.dram = #escalate.dram<base = 64, image_stride = 12>, kernel_shape = array<i64: 2, 2>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x4x4x!a>) -> tensor<1x3x2x2x!a>
  return %p : tensor<1x3x2x2x!a>
}

// -----

// A tiling the hardware cannot hold (a 4096 x 4096 tile) is refused with the
// code generator's reason.
!a = !quant.uniform<i8:f32, 0.5:0>
func.func @main(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x2x2x!a> attributes {escalate.dram_plan = #escalate.dram_plan<arena_bytes = 128, unshared_bytes = 128, buffers = 2>} {
  %q = escalate.quantize %x {escalate.dram = #escalate.dram<base = 0, image_stride = 48>} : tensor<1x3x4x4xf32> -> tensor<1x3x4x4x!a>
  // expected-error @+1 {{tile does not fit hardware 'escalate-default':}}
  %p = escalate.qpool %q {avg_multiplier = 0 : i64, avg_shift = 0 : i64, escalate.dram = #escalate.dram<base = 64, image_stride = 12>, escalate.tile = #escalate.tile<rows = 4096, cols = 4096, in_channels = 3, out_channels = 3, order = spatial_outer, double_buffer = false, cycles = 10, dram_bytes = 60>, kernel_shape = array<i64: 2, 2>, kind = #escalate<pool_kind max>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x3x4x4x!a>) -> tensor<1x3x2x2x!a>
  return %p : tensor<1x3x2x2x!a>
}
