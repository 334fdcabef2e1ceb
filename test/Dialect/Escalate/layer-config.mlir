// Per-layer settings from a JSON file land on the layer of that name (its
// ONNX node): a convolution or a Gemm. Other top-level keys (escalate-search
// writes "search") are ignored; wrong names, settings and values are errors
// naming them, and nothing is attached.
// RUN: echo '{"layers": {"conv1": {"bases": 2, "coef_bits": 4}, "conv2": {"sparsity": 0.9}, "fc": {"weight_bits": 4}}, "search": {"ignored": true}}' > %t.json
// RUN: escalate-opt %s --escalate-layer-config=config=%t.json | FileCheck %s
// CHECK: escalate.conv {{.*}}escalate.layer_config = {bases = 2 : i64, coef_bits = 4 : i64}
// CHECK: escalate.conv {{.*}}escalate.layer_config = {sparsity = 9.000000e-01 : f64}
// CHECK: escalate.gemm {{.*}}escalate.layer_config = {weight_bits = 4 : i64}

// RUN: echo '{"layers": {"conv9": {"bases": 2}}}' > %t.name.json
// RUN: not escalate-opt %s --escalate-layer-config=config=%t.name.json 2>&1 | FileCheck %s --check-prefix=NAME
// NAME: error: escalate-layer-config: {{.*}}.name.json: layer 'conv9' names no convolution or Gemm in the model
// RUN: echo '{"layers": {"conv1": {"basez": 2}}}' > %t.setting.json
// RUN: not escalate-opt %s --escalate-layer-config=config=%t.setting.json 2>&1 | FileCheck %s --check-prefix=SETTING
// SETTING: error: escalate-layer-config: {{.*}}: layer 'conv1': unknown setting 'basez' (bases, energy, sparsity, weight_bits, basis_bits, coef_bits)
// RUN: echo '{"layers": {"conv1": {"sparsity": 1.5}}}' > %t.range.json
// RUN: not escalate-opt %s --escalate-layer-config=config=%t.range.json 2>&1 | FileCheck %s --check-prefix=RANGE
// RANGE: error: escalate-layer-config: {{.*}}: layer 'conv1': 'sparsity' must be a number in [0, 1]
// RUN: echo '{"layers": {"conv1": {"bases": 0}}}' > %t.bases.json
// RUN: not escalate-opt %s --escalate-layer-config=config=%t.bases.json 2>&1 | FileCheck %s --check-prefix=BASES
// BASES: error: escalate-layer-config: {{.*}}: layer 'conv1': 'bases' must be an integer >= 1
// RUN: echo '{"layers": 3}' > %t.shape.json
// RUN: not escalate-opt %s --escalate-layer-config=config=%t.shape.json 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: error: escalate-layer-config: {{.*}}: expected an object with a "layers" object
// RUN: not escalate-opt %s --escalate-layer-config=config=%t.missing.json 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: escalate-layer-config: {{.*}}missing.json: No such file or directory

func.func @main(%x: tensor<1x2x5x5xf32>) -> tensor<1x2xf32> {
  %w = escalate.constant dense<0.5> : tensor<4x2x3x3xf32>
  %c = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x5xf32> loc("conv1")
  %w2 = escalate.constant dense<0.25> : tensor<2x4x3x3xf32>
  %d = escalate.conv %c, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x4x5x5xf32>, tensor<2x4x3x3xf32>) -> tensor<1x2x3x3xf32> loc("conv2")
  %f = escalate.reshape %d {shape = array<i64: 1, 18>} : tensor<1x2x3x3xf32>
  %g = escalate.constant dense<0.1> : tensor<18x2xf32>
  %h = escalate.gemm %f, %g {alpha = 1.0 : f32, beta = 1.0 : f32, trans_a = false, trans_b = false} : (tensor<1x18xf32>, tensor<18x2xf32>) -> tensor<1x2xf32> loc("fc")
  return %h : tensor<1x2xf32>
}
