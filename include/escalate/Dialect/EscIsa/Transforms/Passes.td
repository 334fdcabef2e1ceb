//===- Passes.td - escisa dialect passes -------------------*- tablegen -*-===//
#ifndef ESCISA_TRANSFORMS_PASSES_TD
#define ESCISA_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def Validate : Pass<"escisa-validate", "mlir::ModuleOp"> {
  let summary = "Check each program as the binary loader will";
  let description = [{
    The op verifiers check each op alone (field widths, enumerations); this
    pass checks each `escisa.program` as a whole, with the rules the `.escb`
    loader applies before anything runs: every instruction against the
    hardware description (supported widths, buffer regions, DRAM bounds),
    tensor declarations and segments against `dram_bytes` and each other,
    host-op indices numbered by first use. The compile pipeline runs it
    after `convert-escalate-to-escisa`; the `.escb` translation applies the
    same rules before writing.
  }];
}

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
