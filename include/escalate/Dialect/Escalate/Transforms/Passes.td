//===- Passes.td - escalate dialect passes ----------------*- tablegen -*-===//
#ifndef ESCALATE_TRANSFORMS_PASSES_TD
#define ESCALATE_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def LayerStats : Pass<"escalate-layer-stats", "mlir::ModuleOp"> {
  let summary = "Report parameters and MACs of every layer";
  let description = [{
    Walks every compute op (conv, gemm, matmul, pooling, batch_norm) and
    reports its ONNX name, output shape, parameter count (elements of its
    constant weight and bias operands) and multiply-accumulates for one
    inference, with totals. The table goes to stderr so the IR on stdout
    stays intact; `json=FILE` also writes it as JSON. The IR is unchanged.
  }];
  let options = [
    Option<"jsonFile", "json", "std::string", /*default=*/"\"\"",
           "Also write the statistics as JSON to this file">,
  ];
}

#endif // ESCALATE_TRANSFORMS_PASSES_TD
