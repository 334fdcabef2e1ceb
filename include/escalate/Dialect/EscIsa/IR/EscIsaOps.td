//===- EscIsaOps.td - escisa operations --------------------*- tablegen -*-===//
#ifndef ESCISA_OPS_TD
#define ESCISA_OPS_TD

include "escalate/Dialect/EscIsa/IR/EscIsaDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/RegionKindInterface.td"
include "escalate/Dialect/EscIsa/IR/EscIsaEnums.td"

def EscIsa_ProgramOp : Op<EscIsa_Dialect, "program", [
    NoTerminator, SingleBlock, IsolatedFromAbove]> {
  let summary = "A whole program: declarations and the instruction stream";
  let description = [{
    `dram_bytes` is the DRAM the program addresses. `hw` is the hardware
    description's JSON text; without it the program targets the built-in
    `hw/escalate-default.json`. The region verifier only checks that the
    body holds declarations and instructions; `escisa-validate` (and the
    `.escb` translation) check every instruction against that description
    (supported widths, buffer and DRAM bounds) and the declarations
    against each other.
  }];
  let arguments = (ins I64Attr:$dram_bytes, OptionalAttr<StrAttr>:$hw);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
}

def EscIsa_TensorKind : I64EnumAttr<"TensorKind",
    "whether a program reads or writes a tensor", [
    I64EnumAttrCase<"Input", 0, "input">,
    I64EnumAttrCase<"Output", 1, "output">]> {
  let cppNamespace = "::escalate::escisa";
  let genSpecializedAttr = 0;
}

def EscIsa_TensorKindAttr
    : EnumAttr<EscIsa_Dialect, EscIsa_TensorKind, "tensor_kind"> {
  let assemblyFormat = "`` $value";
}

// An f64 scale, printed so that it reads back bit for bit.
def EscIsa_ScaleParameter : AttrOrTypeParameter<"::llvm::APFloat",
    "real value of one quantization step (0: not quantized)"> {
  let comparator = "$_lhs.bitwiseIsEqual($_rhs)";
  let parser = [{ ::escalate::escisa::parseScale($_parser) }];
  let printer = [{ $_printer.printFloat($_self) }];
}

def EscIsa_TensorAttr : AttrDef<EscIsa_Dialect, "Tensor"> {
  let mnemonic = "tensor";
  let summary = "A quantized tensor in DRAM";
  let description = [{
    Row-major, contiguous, signed `bits`-wide integers at byte address
    `dram`; real value = scale * (q - zero_point).
  }];
  let parameters = (ins "int64_t":$dram,
                        OptionalArrayRefParameter<"int64_t">:$shape,
                        "int64_t":$bits, EscIsa_ScaleParameter:$scale,
                        "int64_t":$zero_point);
  let assemblyFormat = [{
    `<` `dram` `=` $dram `,` `shape` `=` `[` $shape `]` `,` `bits` `=` $bits
    `,` `scale` `=` $scale `,` `zero_point` `=` $zero_point `>`
  }];
  let genVerifyDecl = 1;
}

def EscIsa_HostKindEnumAttr
    : EnumAttr<EscIsa_Dialect, EscIsa_HostKindAttr, "host_kind">;

def EscIsa_TensorOp : Op<EscIsa_Dialect, "tensor", [
    HasParent<"ProgramOp">]> {
  let summary = "An input or output tensor in DRAM";
  let description = [{
    Order of declaration is the order of the simulator's `--input` files
    (and of its outputs).
  }];
  let arguments = (ins EscIsa_TensorKindAttr:$kind, StrAttr:$sym_name,
                   EscIsa_TensorAttr:$desc);
  let assemblyFormat = "$kind $sym_name $desc attr-dict";
}

def EscIsa_SegmentOp : Op<EscIsa_Dialect, "segment", [
    HasParent<"ProgramOp">]> {
  let summary = "Constant bytes placed in DRAM before the run";
  let arguments = (ins StrAttr:$sym_name, I64Attr:$dram,
                   IntElementsAttrOf<8>:$data);
  let assemblyFormat = "$sym_name `at` $dram `=` $data attr-dict";
}

// What an opcode's op adds to its fields: only `host` has more, the entry
// of the binary's host-op table it selects.
defvar EscIsa_HostEntry = (ins EscIsa_HostKindEnumAttr:$kind, I64Attr:$axis,
    TypedArrayAttrBase<EscIsa_TensorAttr, "tensor descriptors">:$inputs,
    EscIsa_TensorAttr:$output, OptionalAttr<DenseI64ArrayAttr>:$ints,
    OptionalAttr<DenseF64ArrayAttr>:$reals);
class EscIsa_InstDoc<string opcode> {
  string text = !if(!eq(opcode, "Host"), [{
    `index` selects the binary's host-op table entry; `kind`, `axis`,
    `inputs`, `output`, `ints` and `reals` are that entry (docs/isa.md,
    "Host ops"). Indices must be 0, 1, ... in order of first use; an index
    used again must repeat its entry.
  }], "");
}

// One op per opcode, generated from the ISA field table: the arguments are
// the fields in encoding order (enumerated ones typed), printed and parsed
// as `name = value` by EscIsaOps.cpp.
class EscIsa_InstOp<string mnemonic, string opcode, dag fields>
    : Op<EscIsa_Dialect, mnemonic, [HasParent<"ProgramOp">]> {
  let arguments = !con(fields, !if(!eq(opcode, "Host"), EscIsa_HostEntry,
                                   (ins)));
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    static constexpr ::escalate::isa::Opcode kOpcode =
        ::escalate::isa::Opcode::}] # opcode # [{;
  }];
}

include "escalate/Dialect/EscIsa/IR/EscIsaInstructions.td"

#endif // ESCISA_OPS_TD
