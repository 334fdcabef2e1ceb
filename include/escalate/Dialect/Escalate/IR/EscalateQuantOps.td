//===- EscalateQuantOps.td - quantized (integer) operators -*- tablegen -*-===//
//
// What `escalate-quantize` produces: the accelerator's integer arithmetic at
// tensor level, one op per kind of work the ISA does (conv, requant, eltwise,
// pool, lut, host). Their `evaluate` is the bit-exact golden model of the
// simulator; both use escalate/Support/FixedPoint.h. Activations carry their
// scale and zero point in a `!quant.uniform` element type.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_QUANT_OPS_TD
#define ESCALATE_QUANT_OPS_TD

def Escalate_PoolKindMax : I32EnumAttrCase<"max", 0>;
def Escalate_PoolKindAvg : I32EnumAttrCase<"avg", 1>;
def Escalate_PoolKind : I32EnumAttr<"PoolKind", "reduction of a pooling window",
    [Escalate_PoolKindMax, Escalate_PoolKindAvg]> {
  let cppNamespace = "::escalate";
  let genSpecializedAttr = 0;
}
def Escalate_PoolKindAttr
    : EnumAttr<Escalate_Dialect, Escalate_PoolKind, "pool_kind">;

// A quantized op whose result type (its scale) cannot be inferred.
class Escalate_QOp<string mnemonic, list<Trait> traits = []>
    : Escalate_Op<mnemonic, traits # [Pure,
        DeclareOpInterfaceMethods<Escalate_EvaluateOpInterface>]> {
  let hasVerifier = 1;
}

def Escalate_QuantizeOp : Escalate_QOp<"quantize"> {
  let summary = "Float to quantized: saturate(round_half_even(x / scale) + zp)";
  let description = [{
    Where float values enter the integer part of the graph: graph inputs,
    and the results of ops that stay in float (they run on the host).
  }];
  let arguments = (ins Escalate_FloatTensor:$input);
  let results = (outs Escalate_QTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` qualified(type($input)) `->` qualified(type($output))
  }];
}

def Escalate_DequantizeOp : Escalate_QOp<"dequantize"> {
  let summary = "Quantized to float: scale * (q - zp)";
  let arguments = (ins Escalate_QTensor:$input);
  let results = (outs Escalate_FloatTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` qualified(type($input)) `->` qualified(type($output))
  }];
}

def Escalate_QConvOp : Escalate_InferredOp<"qconv"> {
  let summary = "Integer 2-D convolution into accumulators (ISA conv, window mode)";
  let description = [{
    `output[n, o, y, x] = sum weight[o, i, ky, kx] * input[n, i, ...]` over
    the window, with the input padded by its zero point (the zero point is
    not subtracted: the requantization bias absorbs it). Sums are exact and
    saturate to `acc_bits` once, as the accumulator write-back does. This is
    how dense and unstructured-pruned layers run (1 x 1, depthwise, FC as
    1 x 1, and every conv of the dense and pruned baselines).
  }];
  let arguments = (ins Escalate_QTensor:$input, Escalate_IntTensor:$weight,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads, I64Attr:$group,
                       I64Attr:$acc_bits);
  let results = (outs Escalate_AccTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight attr-dict `:` functional-type(operands, results)
  }];
}

def Escalate_QDecomposedConvOp : Escalate_InferredOp<"qdecomposed_conv"> {
  let summary = "Integer basis-first convolution (ISA conv, basis mode)";
  let description = [{
    Stage 1 convolves each input channel with each of the M integer `bases`
    (padding with the input zero point); every map saturates to `map_bits`,
    the stream width. Stage 2 accumulates `coefficients` (C_out x C_in/group
    x M) times those maps exactly, saturating to `acc_bits` once.
  }];
  let arguments = (ins Escalate_QTensor:$input, Escalate_IntTensor:$bases,
                       Escalate_IntTensor:$coefficients,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads, I64Attr:$group,
                       I64Attr:$map_bits, I64Attr:$acc_bits);
  let results = (outs Escalate_AccTensor:$output);
  let assemblyFormat = [{
    $input `,` $bases `,` $coefficients attr-dict `:`
    functional-type(operands, results)
  }];
}

def Escalate_RequantOp : Escalate_QOp<"requant"> {
  let summary = "Accumulators to activations (ISA requant)";
  let description = [{
    Per channel c (axis 1): `y = roundShift((acc + bias[c]) * multiplier[c],
    shift[c])`; if y < 0, `y = roundShift(y * neg_multiplier, neg_shift)`;
    then `clamp(y + zp, clamp_lo, clamp_hi)`. roundShift rounds half up.
    Bias, folded BatchNorm, the input zero point correction and the fused
    activation (ReLU: clamp_lo = zp; ReLU6: clamp_hi; LeakyReLU: the
    negative multiplier) all live here.
  }];
  let arguments = (ins Escalate_AccTensor:$input, DenseI32ArrayAttr:$bias,
                       DenseI32ArrayAttr:$multiplier, DenseI32ArrayAttr:$shift,
                       I64Attr:$clamp_lo, I64Attr:$clamp_hi,
                       DefaultValuedAttr<I64Attr, "1">:$neg_multiplier,
                       DefaultValuedAttr<I64Attr, "0">:$neg_shift);
  let results = (outs Escalate_QTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` qualified(type($input)) `->` qualified(type($output))
  }];
}

class Escalate_QEltwiseOp<string mnemonic, dag multipliers>
    : Escalate_QOp<mnemonic> {
  let arguments = !con((ins Escalate_QTensor:$lhs, Escalate_QTensor:$rhs),
                       multipliers,
                       (ins I32Attr:$shift, I64Attr:$clamp_lo,
                            I64Attr:$clamp_hi));
  let results = (outs Escalate_QTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def Escalate_QAddOp : Escalate_QEltwiseOp<"qadd",
    (ins I32Attr:$lhs_multiplier, I32Attr:$rhs_multiplier)> {
  let summary = "Quantized add (ISA eltwise add)";
  let description = [{
    `clamp(roundShift((a - za) * lhs_multiplier + (b - zb) * rhs_multiplier,
    shift) + zo, clamp_lo, clamp_hi)`. `rhs` is the same shape as `lhs`, one
    value per channel (N or 1, C, 1...) or a single value; its batch
    dimension may be 1.
  }];
}

def Escalate_QMulOp : Escalate_QEltwiseOp<"qmul", (ins I32Attr:$multiplier)> {
  let summary = "Quantized multiply (ISA eltwise mul)";
  let description = [{
    `clamp(roundShift((a - za) * (b - zb) * multiplier, shift) + zo,
    clamp_lo, clamp_hi)`, with `rhs` broadcast as for `qadd` (squeeze-excite
    scales a feature map per channel).
  }];
}

def Escalate_QPoolOp : Escalate_InferredOp<"qpool"> {
  let summary = "Quantized 2-D max or average pooling (ISA pool)";
  let description = [{
    The input is padded with its lowest value (max) or its zero point (avg);
    the result has the input's type. `avg` is `roundShift(sum(x - zp) *
    avg_multiplier, avg_shift) + zp`, saturated, with avg_multiplier /
    2^avg_shift approximating 1 / window size (padding counts). Global
    average pooling is a window of the whole plane.

    `uncounted` (top, left, bottom, right) marks the outer bands of the
    padding the divisor leaves out: all of it for ONNX's
    count_include_pad = 0, the end padding ceil_mode adds otherwise. A
    window with n counted positions then takes `divisors[n - 1]` (one
    multiplier per size 1 .. kernel_h * kernel_w) instead of
    avg_multiplier; every window counts at least one position.
  }];
  let arguments = (ins Escalate_QTensor:$input, Escalate_PoolKindAttr:$kind,
                       DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       I64Attr:$avg_multiplier, I64Attr:$avg_shift,
                       OptionalAttr<DenseI64ArrayAttr>:$uncounted,
                       OptionalAttr<DenseI64ArrayAttr>:$divisors);
  let results = (outs Escalate_QTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
}

def Escalate_QLutOp : Escalate_QOp<"qlut"> {
  let summary = "8-bit table lookup (ISA lut): sigmoid, hard-swish, ...";
  let description = [{
    `output = table[input as uint8]`; the compiler fills the 256 entries by
    evaluating the float function at every input value.
  }];
  let arguments = (ins Escalate_QTensor:$input, DenseI8ArrayAttr:$table);
  let results = (outs Escalate_QTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` qualified(type($input)) `->` qualified(type($output))
  }];
}

def Escalate_QSoftmaxOp : Escalate_QOp<"qsoftmax"> {
  let summary = "Softmax on the host (ISA host): dequantize, double, requantize";
  let description = [{
    The only floating point of a quantized program, run by the host model in
    double precision and quantized with round half to even, exactly as the
    simulator's host does.
  }];
  let arguments = (ins Escalate_QTensor:$input, I64Attr:$axis);
  let results = (outs Escalate_QTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` qualified(type($input)) `->` qualified(type($output))
  }];
}

def Escalate_FakeQuantOp : Escalate_UnaryOp<"fake_quant",
    (ins F64Attr:$scale, I64Attr:$zero_point, I64Attr:$qmin, I64Attr:$qmax)> {
  let summary = "An ONNX QuantizeLinear/DequantizeLinear pair, in float";
  let description = [{
    `(clamp(round_half_even(x / scale) + zero_point, qmin, qmax) -
    zero_point) * scale`, in single precision as ONNX Runtime computes it.
    The importer turns a model's own quantization (QDQ pairs, the QLinear
    ops) into these, so the float IR keeps the model's semantics, and
    `escalate-quantize` takes the value's scale and zero point from it
    instead of calibrating (an unsigned zero point moves down by 2^(bits-1),
    same scale).
  }];
  let hasVerifier = 1;
}

#endif // ESCALATE_QUANT_OPS_TD
