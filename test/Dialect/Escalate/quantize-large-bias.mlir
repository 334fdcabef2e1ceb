// A bias too large for its layer's weight scale (GoogLeNet's classifier
// with untrained weights: tiny inputs, a bias of ordinary size): the
// weight scale of that output channel is raised until the integer bias is
// 2^29, with a warning naming the layer; the other channel keeps its own.
// RUN: printf '# escalate calibration table: method=minmax samples=1\nx -1 1\nfc -100000000 100000000\n' > %t.txt
// RUN: escalate-opt %s --escalate-quantize="calib-table=%t.txt" 2>&1 | FileCheck %s
// RUN: escalate-opt %s --escalate-quantize="calib-table=%t.txt per-channel=false" 2>&1 | FileCheck %s --check-prefix=TENSOR

// CHECK: warning: loc("fc"): escalate-quantize: the bias is too large for the weight scale: weights quantized up to 6.03e+03x more coarsely than their range needs
// Channel 0's scale is 1e8 / (sx * 2^29), so its weights round to 0 and
// its bias is exactly 2^29; channel 1 is as in quantize.mlir
// (-0.2 / (2/255/127) + 143 -> -3096).
// CHECK: escalate.constant dense<{{\[\[\[\[}}0]], {{\[\[}}0]]], {{\[\[\[}}127]], {{\[\[}}16]]]]> : tensor<2x2x1x1xi8>
// CHECK: escalate.requant {{.*}}bias = array<i32: 536870912, -3096>

// One scale for the tensor: both channels take channel 0's floor.
// TENSOR: warning: loc("fc"): escalate-quantize: the bias is too large for the weight scale: weights quantized up to 3.02e+03x
// TENSOR: escalate.constant dense<0> : tensor<2x2x1x1xi8>
// TENSOR: escalate.requant {{.*}}bias = array<i32: 536870912, -1>

func.func @main(%x: tensor<1x2x4x4xf32> {escalate.name = "x"}) -> (tensor<1x2x4x4xf32> {escalate.name = "y"}) {
  %w = escalate.constant dense<[[[[0.5]], [[-0.25]]], [[[1.0]], [[0.125]]]]> : tensor<2x2x1x1xf32>
  %b = escalate.constant dense<[1.0e8, -0.2]> : tensor<2xf32>
  %c = escalate.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32> loc("fc")
  return %c : tensor<1x2x4x4xf32>
}
