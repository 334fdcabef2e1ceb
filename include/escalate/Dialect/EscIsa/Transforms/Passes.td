//===- Passes.td - escisa dialect passes -------------------*- tablegen -*-===//
#ifndef ESCISA_TRANSFORMS_PASSES_TD
#define ESCISA_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def Report : Pass<"escisa-report", "mlir::ModuleOp"> {
  let summary = "Write the program's memory plan and per-layer estimates";
  let description = [{
    Reads each `escisa.program` with the records `convert-escalate-to-escisa`
    left on it (`escisa.layers`, `escisa.arena`) and, when `report` is set,
    writes a JSON file: the hardware's name; DRAM (activation arena, what
    the activations would take without reuse, the number of activation
    buffers, constant bytes and the program's total); the peak bytes of
    every on-chip buffer; the instruction count; and per layer its kind,
    channels, instructions, tiling, estimated cycles and DRAM traffic,
    constant bytes, weight statistics and buffer use. Totals are counted
    from the program itself (instructions, segments, `dram_bytes`). The
    records are removed whether or not a report is written, so the program
    prints and serializes the same either way.
  }];
  let options = [
    Option<"reportFile", "report", "std::string", /*default=*/"\"\"",
           "Write the memory plan and per-layer estimates as JSON">,
  ];
}

#endif // ESCISA_TRANSFORMS_PASSES_TD
