// escalate-prune-coefficients: each criterion, and least-squares refit.
// The bases here are not orthonormal (as in an imported PENNI model), so
// refitting the surviving coefficients changes them.
// RUN: escalate-opt %s '--escalate-prune-coefficients=sparsity=0.5' --escalate-decomposition-report=json=%t.half.json -o /dev/null 2>/dev/null
// RUN: escalate-opt %s '--escalate-prune-coefficients=sparsity=0.5 refit=false' --escalate-decomposition-report=json=%t.norefit.json -o /dev/null 2>/dev/null
// RUN: escalate-opt %s '--escalate-prune-coefficients=std-threshold=1.0' --escalate-decomposition-report=json=%t.std.json -o /dev/null 2>/dev/null
// RUN: escalate-opt %s '--escalate-prune-coefficients=error-budget=0.5' --escalate-decomposition-report=json=%t.budget.json -o /dev/null 2>/dev/null
// RUN: escalate-opt %s '--escalate-prune-coefficients=sparsity=0' --escalate-decomposition-report=json=%t.none.json -o /dev/null 2>/dev/null
// RUN: %python %S/Inputs/check_prune.py %t %s | FileCheck %s
// Half the 24 coefficients are gone, with or without refit.
// CHECK: half: sparsity 0.5
// CHECK: norefit: sparsity 0.5
// Refit never makes the kernels worse, and here makes them better.
// CHECK: refit error < no-refit error: True
// std-threshold keeps exactly the coefficients with |c| >= std.
// CHECK: std: kept {{[0-9]+}} of 24, matches |c| >= std: True
// The budget holds with some coefficients pruned.
// CHECK: budget: error <= 0.5: True sparsity > 0: True
// No pruning is exact.
// CHECK: none: error 0.0
// RUN: not escalate-opt %s '--escalate-prune-coefficients=sparsity=0.5 std-threshold=1' 2>&1 | FileCheck %s --check-prefix=TWO
// TWO: error: escalate-prune-coefficients: give exactly one of sparsity (in [0, 1]), std-threshold or error-budget

func.func @main(%x: tensor<1x2x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %b = escalate.constant dense<[[[0.034193, 1.359748, 1.224721], [-0.510307, -0.297970, -0.527384], [0.569726, -0.056064, 0.746886]], [[-1.847325, 1.566549, -0.096432], [0.680378, -0.136566, -0.379099], [0.463110, 0.824514, -0.202530]], [[-0.152786, 0.685699, -0.870341], [-1.514384, 0.394982, -0.670566], [-1.920341, -0.814054, -0.467598]]]> : tensor<3x3x3xf32>
  %c = escalate.constant dense<[[[-1.193202, -1.492464, 0.036638], [0.897249, -0.233132, -0.743596]], [[0.384994, 0.717236, -0.300011], [0.544668, 1.042875, -0.206956]], [[-0.813516, 0.347651, 0.247546], [1.098813, -1.284581, -0.661613]], [[-0.838167, -1.734015, 0.126435], [0.527804, -0.738790, 1.385647]]]> : tensor<4x2x3xf32>
  %y = escalate.decomposed_conv %x, %b, %c {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, group = 1} : (tensor<1x2x6x6xf32>, tensor<3x3x3xf32>, tensor<4x2x3xf32>) -> tensor<1x4x6x6xf32> loc("layer")
  return %y : tensor<1x4x6x6xf32>
}
