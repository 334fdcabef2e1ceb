//===- EscalateAttrs.td - escalate attributes -------------*- tablegen -*-===//
#ifndef ESCALATE_ATTRS_TD
#define ESCALATE_ATTRS_TD

include "escalate/Dialect/Escalate/IR/EscalateDialect.td"
include "mlir/IR/EnumAttr.td"

def Escalate_PadModeConstant : I32EnumAttrCase<"constant", 0>;
def Escalate_PadModeReflect : I32EnumAttrCase<"reflect", 1>;
def Escalate_PadModeEdge : I32EnumAttrCase<"edge", 2>;
def Escalate_PadModeWrap : I32EnumAttrCase<"wrap", 3>;
def Escalate_PadMode : I32EnumAttr<"PadMode", "how Pad fills the border",
    [Escalate_PadModeConstant, Escalate_PadModeReflect, Escalate_PadModeEdge,
     Escalate_PadModeWrap]> {
  let cppNamespace = "::escalate";
  let genSpecializedAttr = 0;
}
def Escalate_PadModeAttr : EnumAttr<Escalate_Dialect, Escalate_PadMode, "pad_mode">;

#endif // ESCALATE_ATTRS_TD
