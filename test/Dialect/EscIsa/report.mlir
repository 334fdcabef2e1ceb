// RUN: escalate-opt %s --escisa-report=report=%t.json | FileCheck %s --check-prefix=IR
// RUN: FileCheck %s --input-file %t.json
// RUN: escalate-opt %s --escisa-report | FileCheck %s --check-prefix=IR
// RUN: not escalate-opt %s --escisa-report=report=%t.missing/r.json 2>&1 | FileCheck %s --check-prefix=ERR

// The records convert-escalate-to-escisa leaves are consumed whether or not
// a report is written, so the program prints the same either way.
// IR: escisa.program attributes {dram_bytes = 320 : i64} {
// IR-NOT: escisa.layers
// IR-NOT: escisa.arena

// Totals are counted from the program: 3 instructions (halt included);
// constants 128 + 64 bytes (each segment rounded up to 64); peak buffer use
// the largest over the layers.
// CHECK:      "dram": {
// CHECK-NEXT:   "activation_arena_bytes": 128,
// CHECK-NEXT:   "activation_buffers": 2,
// CHECK-NEXT:   "activation_bytes_without_reuse": 192,
// CHECK-NEXT:   "constant_bytes": 192,
// CHECK-NEXT:   "total_bytes": 320
// CHECK-NEXT: },
// CHECK-NEXT: "hw": "escalate-default",
// CHECK-NEXT: "instructions": 3,
// CHECK-NEXT: "layers": [
// CHECK-NEXT:   {
// CHECK-NEXT:     "constant_bytes": 100,
// CHECK-NEXT:     "double_buffer": true,
// CHECK-NEXT:     "kind": "conv",
// CHECK-NEXT:     "name": "a",
// CHECK-NEXT:     "sram_bytes": {
// CHECK-NEXT:       "act": 10
// CHECK-NEXT:     },
// CHECK-NEXT:     "weight_sparsity": 0.25
// CHECK-NEXT:   },
// CHECK-NEXT:   {
// CHECK:          "name": "b",
// CHECK-NEXT:     "sram_bytes": {
// CHECK-NEXT:       "act": 4,
// CHECK-NEXT:       "coef": 7
// CHECK-NEXT:     }
// CHECK-NEXT:   }
// CHECK-NEXT: ],
// CHECK-NEXT: "sram_peak_bytes": {
// CHECK-NEXT:   "accum": 0,
// CHECK-NEXT:   "act": 10,
// CHECK-NEXT:   "basis": 0,
// CHECK-NEXT:   "coef": 7,
// CHECK-NEXT:   "stream": 0
// CHECK-NEXT: }
// ERR: error: {{.*}}r.json: cannot create
escisa.program attributes {dram_bytes = 320 : i64, escisa.arena = {activation_arena_bytes = 128 : i64, activation_buffers = 2 : i64, activation_bytes_without_reuse = 192 : i64}, escisa.layers = [{constant_bytes = 100 : i64, double_buffer = true, kind = "conv", name = "a", sram_bytes = {act = 10 : i64}, weight_sparsity = 2.500000e-01 : f64}, {constant_bytes = 20 : i64, kind = "qpool", name = "b", sram_bytes = {act = 4 : i64, coef = 7 : i64}}]} {
  escisa.segment "a" at 128 = dense<1> : tensor<100xi8>
  escisa.segment "b" at 256 = dense<2> : tensor<20xi8>
  escisa.load buf = act, sram = 0, dram = 0, c = 1, h = 1, w = 16, stride_c = 16, stride_h = 16, pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0, pad_value = 0, elem_bytes = 1
  escisa.store buf = act, sram = 0, dram = 64, c = 1, h = 1, w = 16, stride_c = 16, stride_h = 16, elem_bytes = 1
  escisa.halt
}
