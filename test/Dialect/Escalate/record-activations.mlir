// escalate-record-activations writes each convolution's input and output on
// every calibration sample, one folder per sample, under escalate-run
// --dump-dir's names; the IR is unchanged.
// RUN: rm -rf %t && mkdir -p %t/cal
// RUN: %python -c "import numpy as np; [np.save('%t/cal/%%d.npy' %% i, np.full((1, 1, 4, 4), i + 1, np.float32)) for i in range(3)]"
// RUN: escalate-opt %s '--escalate-record-activations=calib=%t/cal samples=2 out=%t/rec' | FileCheck %s --check-prefix=IR
// RUN: ls %t/rec %t/rec/sample0000 | FileCheck %s --check-prefix=FILES
// RUN: %python -c "import numpy as np; a = np.load('%t/rec/sample0001/conv.npy'); b = np.load('%t/rec/sample0001/input0.npy'); print(a.shape, a.min(), a.max(), b.shape, b.max())" | FileCheck %s --check-prefix=VALUES
// RUN: not escalate-opt %s '--escalate-record-activations=out=%t/rec' 2>&1 | FileCheck %s --check-prefix=ERR
// IR: escalate.conv
// Two of the three samples; the graph input (the conv's input) and the
// conv's output, but not the ReLU's.
// FILES: sample0000
// FILES-NEXT: sample0001
// FILES-NOT: sample0002
// FILES: conv.npy
// FILES-NEXT: input0.npy
// FILES-NOT: relu
// Sample 2 is all 2s; the 2x2 kernel of ones sums four of them.
// VALUES: (1, 1, 3, 3) 8.0 8.0 (1, 1, 4, 4) 2.0
// ERR: escalate-record-activations needs a func.func @main, calib=DIR and out=DIR
func.func @main(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  %w = escalate.constant dense<1.0> : tensor<1x1x2x2xf32>
  %y = escalate.conv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1} : (tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32> loc("conv")
  %r = escalate.relu %y : tensor<1x1x3x3xf32> loc("relu")
  return %r : tensor<1x1x3x3xf32>
}
