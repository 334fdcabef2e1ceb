// escalate-layer-stats counts parameters (constant weight/bias operands) and
// MACs per layer, leaves the IR unchanged, and writes the same as JSON.
// RUN: escalate-opt %s --escalate-layer-stats=json=%t.json 2>%t.table | FileCheck %s --check-prefix=IR
// RUN: FileCheck %s --check-prefix=TABLE < %t.table
// RUN: FileCheck %s --check-prefix=JSON < %t.json

// IR: escalate.conv
// TABLE: layer op output params MACs
// 3x3 conv 4->8 on 6x6 (pad 1): 8*36 outputs x 4*9 MACs; 8*4*9 + 8 params.
// TABLE-NEXT: conv1 conv 1x8x6x6 296 10368
// Depthwise 3x3 stride 2: 8*9 outputs x 9 MACs.
// TABLE-NEXT: dw conv 1x8x3x3 72 648
// TABLE-NEXT: pool max_pool 1x8x1x1 0 72
// TABLE-NEXT: fc gemm 1x10 90 80
// TABLE-NEXT: total 458 11168
// JSON: "layers": [
// JSON: "macs": 10368,
// JSON-NEXT: "name": "conv1",
// JSON: "total_macs": 11168,
// JSON-NEXT: "total_params": 458

func.func @main(%x: tensor<1x4x6x6xf32>) -> tensor<1x10xf32> {
  %w = escalate.constant dense<0.1> : tensor<8x4x3x3xf32>
  %b = escalate.constant dense<0.0> : tensor<8xf32>
  %c = escalate.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32> loc("conv1")
  %dw = escalate.constant dense<0.1> : tensor<8x1x3x3xf32>
  %d = escalate.conv %c, %dw {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 8} : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x3x3xf32> loc("dw")
  %p = escalate.max_pool %d {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false} : (tensor<1x8x3x3xf32>) -> tensor<1x8x1x1xf32> loc("pool")
  %f = escalate.reshape %p {shape = array<i64: 1, 8>} : tensor<1x8x1x1xf32>
  %fw = escalate.constant dense<0.1> : tensor<10x8xf32>
  %fb = escalate.constant dense<0.0> : tensor<10xf32>
  %y = escalate.gemm %f, %fw, %fb {alpha = 1.0 : f32, beta = 1.0 : f32, trans_a = false, trans_b = true} : (tensor<1x8xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<1x10xf32> loc("fc")
  return %y : tensor<1x10xf32>
}
