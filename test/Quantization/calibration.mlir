// Calibration methods on a distribution with known answers: uniform in
// [-1, 1] plus ten outliers at +-10. Min-max keeps the outliers, the 99.9th
// percentile and KL clip them near 1. The table round-trips: reading it back
// and writing it again gives the same file and the same quantized IR.
// RUN: rm -rf %t && mkdir -p %t/cal
// RUN: %python -c "import numpy as np; x = np.random.default_rng(1).uniform(-1, 1, 100000).astype(np.float32); x[:10] = [10, -10] * 5; np.save('%t/cal/s0.npy', x.reshape(1, 1, 100, 1000))"
// RUN: escalate-opt %s --escalate-quantize="calib-dir=%t/cal write-calib-table=%t/minmax.txt" -o %t/minmax.mlir
// RUN: escalate-opt %s --escalate-quantize="calib-dir=%t/cal calib-method=percentile percentile=99.9 write-calib-table=%t/pct.txt" -o /dev/null
// RUN: escalate-opt %s --escalate-quantize="calib-dir=%t/cal calib-method=kl write-calib-table=%t/kl.txt" -o /dev/null
// RUN: FileCheck %s --check-prefix=MINMAX < %t/minmax.txt
// RUN: %python %S/Inputs/check_ranges.py %t/pct.txt 0.95 1.05 | FileCheck %s --check-prefix=CLIPPED
// RUN: %python %S/Inputs/check_ranges.py %t/kl.txt 0.95 1.05 | FileCheck %s --check-prefix=CLIPPED
// MINMAX: # escalate calibration table: method=minmax samples=1
// MINMAX: x -10 10
// MINMAX: act 0 10
// CLIPPED: x within bounds
// CLIPPED: act within bounds

// RUN: escalate-opt %s --escalate-quantize="calib-table=%t/minmax.txt write-calib-table=%t/again.txt" -o %t/from-table.mlir
// RUN: diff %t/minmax.txt %t/again.txt
// RUN: diff %t/minmax.mlir %t/from-table.mlir

// Without data the pass says so, and calibrates on synthetic inputs.
// RUN: escalate-opt %s --escalate-quantize -o /dev/null 2>&1 | FileCheck %s --check-prefix=SYNTH
// SYNTH: warning: escalate-quantize: no calibration data (calib-dir): calibrating on 8 synthetic N(0, 1) inputs

// Bad tables and options are reported with the file, line or option.
// RUN: printf 'x -1 1\nact 1.0\n' > %t/bad.txt
// RUN: not escalate-opt %s --escalate-quantize="calib-table=%t/bad.txt" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: bad.txt:2: expected '<tensor> <min> <max>'
// RUN: printf 'x -1 1\n' > %t/partial.txt
// RUN: not escalate-opt %s --escalate-quantize="calib-table=%t/partial.txt" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: {{.*}}escalate-quantize: no calibrated range for tensor 'act'
// RUN: not escalate-opt %s --escalate-quantize="calib-table=%t/minmax.txt act-bits=4" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BITS
// BITS: error: escalate-quantize: act-bits=4 is not supported by hardware 'escalate-default' (widths: 8, 16)
// RUN: not escalate-opt %s --escalate-quantize="calib-method=mse" -o /dev/null 2>&1 | FileCheck %s --check-prefix=METHOD
// METHOD: calib-method 'mse' is not minmax, percentile or kl

func.func @main(%x: tensor<1x1x100x1000xf32> {escalate.name = "x"}) -> tensor<1x1x100x1000xf32> {
  %r = escalate.relu %x : tensor<1x1x100x1000xf32> loc("act")
  return %r : tensor<1x1x100x1000xf32>
}
