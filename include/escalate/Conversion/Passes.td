//===- Passes.td - conversions between the dialects -------*- tablegen -*-===//
#ifndef ESCALATE_CONVERSION_PASSES_TD
#define ESCALATE_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertEscalateToEscIsa
    : Pass<"convert-escalate-to-escisa", "mlir::ModuleOp"> {
  let summary = "Lower the tiled, quantized @main to an escisa.program";
  let description = [{
    A dialect conversion with one pattern per family of quantized ops; every
    op of the function is illegal and the function is replaced by the
    program. Run `escalate-tile` and `escalate-plan-dram` first: the
    patterns read each layer's `#escalate.tile` and each activation's
    `#escalate.dram`.
    - Graph inputs (after their `quantize`) and outputs (before their
      `dequantize`) become `escisa.tensor` declarations carrying scale and
      zero point.
    - Constants, reshapes and concats are placement only (DRAM planning put
      them in place); a requant is lowered with the conv it follows.
    - Each layer's constants (bases, coefficient blocks encoded per tile,
      requant records, eltwise records, lookup tables) become one
      `escisa.segment`, placed after the activation arena.
    - Each layer becomes the instruction stream of its tile (the code
      generator's builders), in a debug range named after the layer;
      Softmax becomes a host op.
    - Float ops left by `escalate-quantize` have no lowering: the conversion
      fails on the first, naming it.
    The program carries `escisa.layers` (one record per layer: tiling,
    estimates, weights and buffer use) and `escisa.arena` for
    `escisa-report`, which consumes them.
  }];
  let dependentDialects = ["::escalate::escisa::EscIsaDialect"];
  let options = [
    Option<"hwFile", "hw", "std::string", /*default=*/"\"\"",
           "Hardware description (default: the built-in one)">,
    Option<"maxInstructions", "max-instructions", "uint64_t",
           /*default=*/"::escalate::kDefaultMaxInstructions",
           "Refuse programs longer than this many instructions">,
  ];
}

#endif // ESCALATE_CONVERSION_PASSES_TD
