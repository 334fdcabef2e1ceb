//===- EscalateInterfaces.td - escalate op interfaces -----*- tablegen -*-===//
#ifndef ESCALATE_INTERFACES_TD
#define ESCALATE_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Escalate_EvaluateOpInterface : OpInterface<"EvaluateOpInterface"> {
  let description = [{
    Executes the op on concrete host tensors. This is the single definition
    of each op's numerics: the reference interpreter (`escalate-run`) and
    constant folding both call it, so they cannot disagree.
  }];
  let cppNamespace = "::escalate";
  let methods = [
    InterfaceMethod<[{
        Computes the results from `operands`: one tensor per operand the op
        actually has, in operand order (absent optional operands are simply
        not in the list). The callee allocates results with the op's static
        result shapes, and fails only on data-dependent errors such as an
        out-of-range gather index.
      }],
      "::llvm::LogicalResult", "evaluate",
      (ins "::llvm::ArrayRef<const ::escalate::Tensor *>":$operands,
           "::llvm::SmallVectorImpl<::escalate::Tensor> &":$results)>,
  ];
}

#endif // ESCALATE_INTERFACES_TD
