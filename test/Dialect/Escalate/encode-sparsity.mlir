// escalate-encode-sparsity picks each layer's smallest format; encodings
// round-trip through text and are checked against the weights they encode.
// RUN: escalate-opt %s --escalate-encode-sparsity | escalate-opt | FileCheck %s --check-prefix=AUTO
// RUN: escalate-opt %s '--escalate-encode-sparsity=format=delta index-bits=2' | escalate-opt | FileCheck %s --check-prefix=DELTA2
// RUN: escalate-opt %s '--escalate-encode-sparsity=format=bitmap' | escalate-opt | FileCheck %s --check-prefix=BITMAP
// RUN: escalate-opt %s '--escalate-encode-sparsity=value-bits=4' | FileCheck %s --check-prefix=NARROW
// RUN: not escalate-opt %s '--escalate-encode-sparsity=format=csc' 2>&1 | FileCheck %s --check-prefix=BADFMT

// A dense conv stays dense; a 1-in-16 sparse coefficient matrix takes delta
// with the narrowest index that keeps padding rare.
// AUTO: escalate.conv {{.*}}escalate.encoding = #escalate.sparse<dense, index_bits = 0, shape = 2 x 4, row_ptr = [], positions = []>
// AUTO: escalate.decomposed_conv {{.*}}escalate.encoding = #escalate.sparse<delta, index_bits = 4, shape = 2 x 16, row_ptr = [0, 1, 2], positions = [3, 15]>
// Two index bits reach 4 columns: padding entries bridge the gaps.
// DELTA2: #escalate.sparse<delta, index_bits = 2, shape = 2 x 16, row_ptr = [0, 1, 5], positions = [3, 3, 7, 11, 15]>
// BITMAP: #escalate.sparse<bitmap, index_bits = 0, shape = 2 x 16, row_ptr = [0, 1, 2], positions = [3, 15]>
// With 4-bit values the 2x4 dense weights are smallest as dense, and the
// coefficients as 4-bit deltas.
// NARROW: #escalate.sparse<dense
// NARROW: #escalate.sparse<delta, index_bits = 4
// BADFMT: error: escalate-encode-sparsity: format 'csc' is not auto, dense, bitmap or delta

func.func @main(%x: tensor<1x4x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = escalate.constant dense<[[[[1.0]], [[2.0]], [[3.0]], [[4.0]]], [[[5.0]], [[6.0]], [[7.0]], [[8.0]]]]> : tensor<2x4x1x1xf32>
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x4x4x4xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x4x4xf32>
  %b = escalate.constant dense<0.5> : tensor<4x3x3xf32>
  %k = escalate.constant dense<[[[0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 2.0]]]> : tensor<2x4x4xf32>
  %d = escalate.decomposed_conv %x, %b, %k {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : (tensor<1x4x4x4xf32>, tensor<4x3x3xf32>, tensor<2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %c, %d : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
