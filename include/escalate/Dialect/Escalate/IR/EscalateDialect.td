//===- EscalateDialect.td - graph-level dialect definition -*- tablegen -*-===//
#ifndef ESCALATE_DIALECT_TD
#define ESCALATE_DIALECT_TD

include "mlir/IR/OpBase.td"

def Escalate_Dialect : Dialect {
  let name = "escalate";
  let summary = "Graph-level dialect of the ESCALATE sparse CNN compiler";
  let description = [{
    Tensor-level operators imported from ONNX. Every op has static shapes
    (dynamic dimensions are fixed at import with `--input-shape`), infers its
    result type, and can be evaluated by the float32 reference interpreter
    through `EvaluateOpInterface`. It also holds the decomposed convolution
    and, after `escalate-quantize`, the integer ops that mirror the ISA.
  }];
  let cppNamespace = "::escalate";
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let hasCanonicalizer = 1;
  let hasOperationAttrVerify = 1;
  // Inherent attributes stay in the attribute dictionary: the generated
  // parsers call inferReturnTypes before moving attr-dict entries into
  // properties, which would leave the adaptor blind to them.
  let usePropertiesForAttributes = 0;
  let extraClassDeclaration = [{
    /// Whether `encoding` was already checked to decode to `weights`, and
    /// recording that it was. Attributes are immutable, so a pair checked
    /// once stays checked: the verifier, which runs after every pass, does
    /// not decode the same weights again.
    bool encodingChecked(::mlir::Attribute encoding,
                         ::mlir::Attribute weights);
    void markEncodingChecked(::mlir::Attribute encoding,
                             ::mlir::Attribute weights);

  private:
    ::llvm::sys::SmartMutex<true> checkedMutex;
    ::llvm::DenseSet<std::pair<::mlir::Attribute, ::mlir::Attribute>>
        checkedEncodings;

  public:
  }];
}

class Escalate_Op<string mnemonic, list<Trait> traits = []>
    : Op<Escalate_Dialect, mnemonic, traits>;

#endif // ESCALATE_DIALECT_TD
