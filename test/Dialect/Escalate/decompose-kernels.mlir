// escalate-decompose-kernels: eligible convolutions become decomposed_conv
// with M layer-shared bases; 1x1 and depthwise convolutions stay as they are.
// RUN: escalate-opt %s --escalate-decompose-kernels=bases=4 | FileCheck %s --check-prefix=FIXED
// RUN: escalate-opt %s --escalate-decompose-kernels=bases=20 | FileCheck %s --check-prefix=CAPPED
// RUN: escalate-opt %s --escalate-decompose-kernels=energy=0.999999 --escalate-decomposition-report=json=%t.json -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: %python -c "import json; r = json.load(open('%t.json'))['layers'][0]; print(r['name'], r['bases'], r['kernel_relative_error'] < 1e-6)" | FileCheck %s --check-prefix=EXACT
// RUN: not escalate-opt %s '--escalate-decompose-kernels=bases=0 energy=1.5' 2>&1 | FileCheck %s --check-prefix=BADOPT

// FIXED-LABEL: func.func @main
// FIXED: %[[B:.*]] = escalate.constant {{.*}} : tensor<4x3x3xf32>
// FIXED: %[[C:.*]] = escalate.constant {{.*}} : tensor<4x2x4xf32>
// FIXED: escalate.decomposed_conv %arg0, %[[B]], %[[C]], %{{.*}} {dilations = array<i64: 1, 1>, escalate.kernel_energy = {{.*}} : f64, escalate.residual_energy = {{.*}} : f64, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>, tensor<4x3x3xf32>, tensor<4x2x4xf32>, tensor<4xf32>) -> tensor<1x4x5x5xf32>
// FIXED: escalate.conv {{.*}} group = 4 : i64
// FIXED: escalate.conv {{.*}} : (tensor<1x4x5x5xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x5x5xf32>
// CAPPED: tensor<9x3x3xf32>

// Weights built from exactly two bases: the energy criterion finds M = 2 and
// reconstructs them exactly (the same subspace).
// REPORT: layer M sparsity params params' MACs MACs' kern.err
// REPORT-NEXT: sheared 2 0.0% 76 38 1800 1300
// EXACT: sheared 2 True
// BADOPT: error: escalate-decompose-kernels: bases must be >= 0 and energy in (0, 1]

func.func @main(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32> {
  %w = escalate.constant dense<[[[[1.290766, -2.492823, 0.470894], [-0.487584, -0.300052, 0.004331], [-1.856576, -0.318429, -0.781002]], [[5.186274, 0.287026, -0.534961], [-0.448594, -1.043661, -1.636304], [-0.653112, 0.739375, -0.389751]]], [[[-0.566359, -1.507181, 0.406067], [-0.167380, 0.090775, 0.415569], [-0.903662, -0.369920, -0.351108]], [[1.423005, 0.589319, -0.267051], [-0.048233, -0.278334, -0.530916], [0.158094, 0.302910, 0.029250]]], [[[3.053410, -5.006313, 0.904135], [-1.022843, -0.695797, -0.132709], [-3.803483, -0.578752, -1.609945]], [[2.833604, 0.848763, -0.455278], [-0.143653, -0.559345, -1.005081], [0.100280, 0.539550, -0.028375]]], [[[-2.778579, 2.199628, -0.267758], [0.585362, 0.596138, 0.498927], [1.904641, 0.065006, 0.836568]], [[3.729693, -2.124439, 0.164339], [-0.664324, -0.787181, -0.802630], [-2.009518, 0.075008, -0.902029]]]]> : tensor<4x2x3x3xf32>
  %b = escalate.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  %c = escalate.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>) -> tensor<1x4x5x5xf32> loc("sheared")
  %dw = escalate.constant dense<0.5> : tensor<4x1x3x3xf32>
  %d = escalate.conv %c, %dw {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 4} : (tensor<1x4x5x5xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x5x5xf32>
  %pw = escalate.constant dense<0.25> : tensor<2x4x1x1xf32>
  %p = escalate.conv %d, %pw {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x4x5x5xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x5x5xf32>
  return %p : tensor<1x2x5x5xf32>
}
