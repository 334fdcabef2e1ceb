//===- EscIsaDialect.td - the instruction-level dialect ----*- tablegen -*-===//
#ifndef ESCISA_DIALECT_TD
#define ESCISA_DIALECT_TD

include "mlir/IR/OpBase.td"

def EscIsa_Dialect : Dialect {
  let name = "escisa";
  let summary = "One op per ESCALATE instruction, mapping 1:1 to the binary";
  let description = [{
    An `escisa.program` holds a program as the binary does: tensor
    descriptors, constant DRAM segments and the instruction stream in
    order. Instruction ops carry exactly the fields of their 256-bit word,
    printed as `name = value` in encoding order (enumerated fields as
    keywords); the field table `escalate/Hardware/Instructions.def` defines
    them, and their ODS here is generated from it, for the assembler, the
    disassembler, the verifiers and the simulator alike. An instruction's location names its layer: consecutive
    instructions with the same `loc("name")` form one debug range.
  }];
  let cppNamespace = "::escalate::escisa";
  let usePropertiesForAttributes = 0;
  let useDefaultAttributePrinterParser = 1;
}

#endif // ESCISA_DIALECT_TD
