// Pruning drops bases whose coefficients are all zero; the layer still
// computes the same as before pruning when only zeros were removed.
// RUN: escalate-opt %s '--escalate-prune-coefficients=sparsity=0.5' | FileCheck %s
// RUN: escalate-opt %s '--escalate-prune-coefficients=sparsity=0.5' -o %t.mlir
// RUN: %python -c "import numpy as np; np.save('%t.x.npy', np.random.default_rng(0).standard_normal((1, 2, 5, 5)).astype(np.float32))"
// RUN: escalate-run %s --input %t.x.npy --output-dir %t.ref
// RUN: escalate-run %t.mlir --input %t.x.npy --expected %t.ref/output0.npy --rtol 1e-6 --atol 1e-6 | FileCheck %s --check-prefix=SAME

// Basis 1's coefficients are all zero, so pruning half of the 16 leaves it
// unused: it is dropped and M goes from 2 to 1.
// CHECK-DAG: %[[B:.*]] = escalate.constant dense<{{.*}}> : tensor<1x3x3xf32>
// CHECK-DAG: %[[C:.*]] = escalate.constant dense<{{\[\[\[}}1.000000e+00], [2.000000e+00]], {{\[\[}}3.000000e+00], [4.000000e+00]], {{\[\[}}5.000000e+00], [6.000000e+00]], {{\[\[}}7.000000e+00], [8.000000e+00]]]> : tensor<4x2x1xf32>
// CHECK: escalate.decomposed_conv %arg0, %[[B]], %[[C]] {{.*}}: (tensor<1x2x5x5xf32>, tensor<1x3x3xf32>, tensor<4x2x1xf32>) -> tensor<1x4x5x5xf32>
// SAME: output 'output0': max abs error {{.*}}, ok

func.func @main(%x: tensor<1x2x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %b = escalate.constant dense<[[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]]> : tensor<2x3x3xf32>
  %c = escalate.constant dense<[[[1.0, 0.0], [2.0, 0.0]], [[3.0, 0.0], [4.0, 0.0]], [[5.0, 0.0], [6.0, 0.0]], [[7.0, 0.0], [8.0, 0.0]]]> : tensor<4x2x2xf32>
  %y = escalate.decomposed_conv %x, %b, %c {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : (tensor<1x2x5x5xf32>, tensor<2x3x3xf32>, tensor<4x2x2xf32>) -> tensor<1x4x5x5xf32>
  return %y : tensor<1x4x5x5xf32>
}
