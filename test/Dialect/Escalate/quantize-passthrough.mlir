// An output that is a graph input as it is becomes that input's quantized
// tensor, dequantized: the program declares the output where the input
// lives (an Identity model; a pass-through second output).
// RUN: printf '# escalate calibration table: method=minmax samples=1\nx -1 1\nr 0 1\n' > %t.txt
// RUN: escalate-opt %s --escalate-quantize="calib-table=%t.txt" | FileCheck %s

// CHECK: %[[Q:.*]] = escalate.quantize %arg0
// CHECK: %[[L:.*]] = escalate.qlut %[[Q]]
// CHECK-DAG: %[[R:.*]] = escalate.dequantize %[[L]]
// CHECK-DAG: %[[X:.*]] = escalate.dequantize %[[Q]]
// CHECK: return %[[R]], %[[X]]
func.func @main(%x: tensor<1x2x4x4xf32> {escalate.name = "x"}) -> (tensor<1x2x4x4xf32> {escalate.name = "r"}, tensor<1x2x4x4xf32> {escalate.name = "y"}) {
  %r = escalate.relu %x : tensor<1x2x4x4xf32> loc("r")
  return %r, %x : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
