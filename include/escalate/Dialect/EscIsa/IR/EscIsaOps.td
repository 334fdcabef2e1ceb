//===- EscIsaOps.td - escisa operations --------------------*- tablegen -*-===//
#ifndef ESCISA_OPS_TD
#define ESCISA_OPS_TD

include "escalate/Dialect/EscIsa/IR/EscIsaDialect.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/RegionKindInterface.td"

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

def EscIsa_TensorOp : Op<EscIsa_Dialect, "tensor", [
    HasParent<"ProgramOp">]> {
  let summary = "An input or output tensor in DRAM";
  let description = [{
    Row-major, contiguous, signed `bits`-wide integers at byte address
    `dram`; real value = scale * (q - zero_point) (scale 0: not quantized).
    `kind` is `"input"` or `"output"`; order of declaration is the order of
    the simulator's `--input` files.
  }];
  let arguments = (ins StrAttr:$kind, StrAttr:$sym_name, I64Attr:$dram,
                   DenseI64ArrayAttr:$shape, I64Attr:$bits, F64Attr:$scale,
                   I64Attr:$zero_point);
  let assemblyFormat = "$kind $sym_name attr-dict";
}

def EscIsa_SegmentOp : Op<EscIsa_Dialect, "segment", [
    HasParent<"ProgramOp">]> {
  let summary = "Constant bytes placed in DRAM before the run";
  let arguments = (ins StrAttr:$sym_name, I64Attr:$dram,
                   IntElementsAttrOf<8>:$data);
  let assemblyFormat = "$sym_name `at` $dram `=` $data attr-dict";
}

class EscIsa_InstOp<string mnemonic, string opcode, dag fields>
    : Op<EscIsa_Dialect, mnemonic, [HasParent<"ProgramOp">]> {
  let arguments = fields;
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    static constexpr ::escalate::isa::Opcode kOpcode =
        ::escalate::isa::Opcode::}] # opcode # [{;
  }];
}

def EscIsa_LoadOp : EscIsa_InstOp<"load", "Load", (ins
    I64Attr:$buf, I64Attr:$sram, I64Attr:$dram, I64Attr:$c, I64Attr:$h,
    I64Attr:$w, I64Attr:$stride_c, I64Attr:$stride_h, I64Attr:$pad_top,
    I64Attr:$pad_bottom, I64Attr:$pad_left, I64Attr:$pad_right,
    I64Attr:$pad_value, I64Attr:$elem_bytes)> {
  let summary = "DMA: DRAM to a buffer, 3-D strided, with padding";
}

def EscIsa_StoreOp : EscIsa_InstOp<"store", "Store", (ins
    I64Attr:$buf, I64Attr:$sram, I64Attr:$dram, I64Attr:$c, I64Attr:$h,
    I64Attr:$w, I64Attr:$stride_c, I64Attr:$stride_h, I64Attr:$elem_bytes)> {
  let summary = "DMA: a buffer to DRAM, 3-D strided";
}

def EscIsa_ConvOp : EscIsa_InstOp<"conv", "Conv", (ins
    I64Attr:$mode, I64Attr:$format, I64Attr:$index_bits, I64Attr:$input,
    I64Attr:$in_c, I64Attr:$in_h, I64Attr:$in_w, I64Attr:$kernel_h,
    I64Attr:$kernel_w, I64Attr:$stride_h, I64Attr:$stride_w,
    I64Attr:$dilation_h, I64Attr:$dilation_w, I64Attr:$out_c,
    I64Attr:$groups, I64Attr:$bases, I64Attr:$basis, I64Attr:$coef,
    I64Attr:$act_bits, I64Attr:$basis_bits, I64Attr:$coef_bits,
    I64Attr:$acc, I64Attr:$accumulate)> {
  let summary = "Basis-first convolution on the basis and coefficient engines";
}

def EscIsa_RequantOp : EscIsa_InstOp<"requant", "Requant", (ins
    I64Attr:$src, I64Attr:$dst, I64Attr:$c, I64Attr:$h, I64Attr:$w,
    I64Attr:$params, I64Attr:$out_bits, I64Attr:$zero_point,
    I64Attr:$clamp_lo, I64Attr:$clamp_hi, I64Attr:$neg_mult,
    I64Attr:$neg_shift)> {
  let summary = "PPU: bias, per-channel requantization, activation";
}

def EscIsa_LutOp : EscIsa_InstOp<"lut", "Lut", (ins
    I64Attr:$src, I64Attr:$dst, I64Attr:$count, I64Attr:$table)> {
  let summary = "PPU: 8-bit table lookup";
}

def EscIsa_PoolOp : EscIsa_InstOp<"pool", "Pool", (ins
    I64Attr:$kind, I64Attr:$src, I64Attr:$dst, I64Attr:$c, I64Attr:$in_h,
    I64Attr:$in_w, I64Attr:$kernel_h, I64Attr:$kernel_w, I64Attr:$stride_h,
    I64Attr:$stride_w, I64Attr:$bits, I64Attr:$avg_mult, I64Attr:$avg_shift,
    I64Attr:$zero_point)> {
  let summary = "PPU: max or average pooling";
}

def EscIsa_EltwiseOp : EscIsa_InstOp<"eltwise", "Eltwise", (ins
    I64Attr:$op, I64Attr:$broadcast, I64Attr:$a, I64Attr:$b, I64Attr:$dst,
    I64Attr:$c, I64Attr:$h, I64Attr:$w, I64Attr:$params, I64Attr:$bits)> {
  let summary = "PPU: element-wise add or mul with broadcast";
}

def EscIsa_HostOp : EscIsa_InstOp<"host", "Host", (ins
    I64Attr:$index, StrAttr:$kind, I64Attr:$axis, DictionaryAttr:$input,
    DictionaryAttr:$output)> {
  let summary = "Run an op the accelerator lacks on the host";
  let description = [{
    `index` selects the binary's host-op table entry; `kind`, `axis`,
    `input` and `output` (tensor descriptors with the keys of
    `escisa.tensor`) are that entry. Indices must be 0, 1, ... in order of
    first use; an index used again must repeat its entry.
  }];
}

def EscIsa_HaltOp : EscIsa_InstOp<"halt", "Halt", (ins)> {
  let summary = "End of program";
}

#endif // ESCISA_OPS_TD
