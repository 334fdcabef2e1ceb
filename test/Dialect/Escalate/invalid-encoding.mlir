// An escalate.encoding that does not describe its weights is rejected.
// RUN: escalate-opt %s --split-input-file --verify-diagnostics

func.func @missing_nonzero(%x: tensor<1x4x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = escalate.constant dense<[[[[1.0]], [[0.0]], [[2.0]], [[0.0]]]]> : tensor<1x4x1x1xf32>
  // expected-error@+1 {{nonzero at row 0 column 2 is missing from the encoding}}
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1, escalate.encoding = #escalate.sparse<bitmap, index_bits = 0, shape = 1 x 4, row_ptr = [0, 1], positions = [0]>} : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x1x2x2xf32>
  return %c : tensor<1x1x2x2xf32>
}

// -----

func.func @bitmap_zero(%x: tensor<1x4x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = escalate.constant dense<[[[[1.0]], [[0.0]], [[2.0]], [[0.0]]]]> : tensor<1x4x1x1xf32>
  // expected-error@+1 {{row 0 column 1 holds a zero the encoding does not need}}
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1, escalate.encoding = #escalate.sparse<bitmap, index_bits = 0, shape = 1 x 4, row_ptr = [0, 3], positions = [0, 1, 2]>} : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x1x2x2xf32>
  return %c : tensor<1x1x2x2xf32>
}

// -----

func.func @delta_gap(%x: tensor<1x8x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = escalate.constant dense<[[[[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[1.0]]]]> : tensor<1x8x1x1xf32>
  // expected-error@+1 {{row 0 gap 8 exceeds what 2 index bits reach}}
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1, escalate.encoding = #escalate.sparse<delta, index_bits = 2, shape = 1 x 8, row_ptr = [0, 1], positions = [7]>} : (tensor<1x8x2x2xf32>, tensor<1x8x1x1xf32>) -> tensor<1x1x2x2xf32>
  return %c : tensor<1x1x2x2xf32>
}

// -----

func.func @delta_width(%x: tensor<1x8x2x2xf32>, %w: tensor<1x8x1x1xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error@+1 {{index_bits 3 is invalid for delta (delta takes 2, 4, 8 or 16; bitmap 0)}}
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1, escalate.encoding = #escalate.sparse<delta, index_bits = 3, shape = 1 x 8, row_ptr = [0, 1], positions = [7]>} : (tensor<1x8x2x2xf32>, tensor<1x8x1x1xf32>) -> tensor<1x1x2x2xf32>
  return %c : tensor<1x1x2x2xf32>
}

// -----

func.func @row_ptr(%x: tensor<1x8x2x2xf32>, %w: tensor<2x8x1x1xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error@+1 {{row_ptr must have rows + 1 entries from 0 to the number of positions}}
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1, escalate.encoding = #escalate.sparse<bitmap, index_bits = 0, shape = 2 x 8, row_ptr = [0, 1], positions = [7]>} : (tensor<1x8x2x2xf32>, tensor<2x8x1x1xf32>) -> tensor<1x2x2x2xf32>
  return %c : tensor<1x2x2x2xf32>
}

// -----

func.func @dense_with_data(%x: tensor<1x8x2x2xf32>, %w: tensor<1x8x1x1xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error@+1 {{dense encoding takes no index data}}
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1, escalate.encoding = #escalate.sparse<dense, index_bits = 0, shape = 1 x 8, row_ptr = [0, 1], positions = [7]>} : (tensor<1x8x2x2xf32>, tensor<1x8x1x1xf32>) -> tensor<1x1x2x2xf32>
  return %c : tensor<1x1x2x2xf32>
}

// -----

func.func @shape(%x: tensor<1x8x2x2xf32>, %w: tensor<1x8x1x1xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error@+1 {{encoding shape 2x4 does not match 'tensor<1x8x1x1xf32>'}}
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1, escalate.encoding = #escalate.sparse<dense, index_bits = 0, shape = 2 x 4, row_ptr = [], positions = []>} : (tensor<1x8x2x2xf32>, tensor<1x8x1x1xf32>) -> tensor<1x1x2x2xf32>
  return %c : tensor<1x1x2x2xf32>
}

// -----

func.func @wrong_op(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{escalate.encoding must be an #escalate.sparse on a (q)conv or (q)decomposed_conv}}
  %r = escalate.relu %x {escalate.encoding = #escalate.sparse<dense, index_bits = 0, shape = 1 x 4, row_ptr = [], positions = []>} : tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// Delta entries may be zero only where a gap needs padding.
func.func @extra_padding(%x: tensor<1x8x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = escalate.constant dense<[[[[1.0]], [[0.0]], [[2.0]], [[0.0]], [[0.0]], [[0.0]], [[0.0]], [[3.0]]]]> : tensor<1x8x1x1xf32>
  // expected-error@+1 {{row 0 column 1 holds a zero the encoding does not need}}
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1, escalate.encoding = #escalate.sparse<delta, index_bits = 4, shape = 1 x 8, row_ptr = [0, 8], positions = [0, 1, 2, 3, 4, 5, 6, 7]>} : (tensor<1x8x2x2xf32>, tensor<1x8x1x1xf32>) -> tensor<1x1x2x2xf32>
  return %c : tensor<1x1x2x2xf32>
}

// -----

// rows x cols must not wrap around to the weights' element count.
func.func @shape_overflow(%x: tensor<1x4x2x2xf32>, %w: tensor<4x4x1x1xf32>) -> tensor<1x4x2x2xf32> {
  // expected-error@+1 {{sparse encoding shape must be non-negative and its element count must fit in 64 bits}}
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1, escalate.encoding = #escalate.sparse<dense, index_bits = 0, shape = 4 x 4611686018427387908, row_ptr = [], positions = []>} : (tensor<1x4x2x2xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x2x2xf32>
  return %c : tensor<1x4x2x2xf32>
}
