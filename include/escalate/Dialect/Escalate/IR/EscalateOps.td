//===- EscalateOps.td - graph-level operators -------------*- tablegen -*-===//
#ifndef ESCALATE_OPS_TD
#define ESCALATE_OPS_TD

include "escalate/Dialect/Escalate/IR/EscalateDialect.td"
include "escalate/Dialect/Escalate/IR/EscalateAttrs.td"
include "escalate/Dialect/Escalate/IR/EscalateInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

// Shapes are static throughout: dynamic dimensions are fixed at import.
def Escalate_FloatTensor : StaticShapeTensorOf<[F32]>;
def Escalate_IndexTensor : StaticShapeTensorOf<[I64]>;
def Escalate_Tensor : StaticShapeTensorOf<[F32, I64]>;
// A uniformly quantized activation: signed 8- or 16-bit storage with a scale
// and zero point in the type (`!quant.uniform<i8:f32, 0.05:-3>`).
def Escalate_QuantizedElement : Type<
    CPred<"::llvm::isa<::mlir::quant::UniformQuantizedType>($_self)">,
    "uniform quantized type", "::mlir::quant::UniformQuantizedType">;
def Escalate_QTensor : StaticShapeTensorOf<[Escalate_QuantizedElement]>;
// Integer weights and accumulators of the quantized ops.
def Escalate_IntTensor : StaticShapeTensorOf<[AnySignlessInteger]>;
def Escalate_AccTensor : StaticShapeTensorOf<[I32]>;
// What data movement accepts: float, index or quantized activations.
def Escalate_AnyTensor : StaticShapeTensorOf<[F32, I64, Escalate_QuantizedElement]>;

// Result types are always inferred; the inference doubles as the verifier
// (InferTypeOpInterface checks declared against inferred types).
class Escalate_InferredOp<string mnemonic, list<Trait> traits = []>
    : Escalate_Op<mnemonic, traits # [Pure, InferTypeOpAdaptor,
        DeclareOpInterfaceMethods<Escalate_EvaluateOpInterface>]>;

// Element-wise unary op whose result type equals its operand type.
class Escalate_UnaryOp<string mnemonic, dag attrs = (ins)>
    : Escalate_InferredOp<mnemonic> {
  let arguments = !con((ins Escalate_FloatTensor:$input), attrs);
  let results = (outs Escalate_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` qualified(type($input))";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *ctx,
        std::optional<::mlir::Location> loc, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      if (::mlir::failed(verifyAdaptor(ctx, loc, adaptor)))
        return ::mlir::failure();
      types.push_back(adaptor.getInput().getType());
      return ::mlir::success();
    }
  }];
}

// Element-wise binary op with ONNX (numpy) multidirectional broadcasting.
class Escalate_BinaryOp<string mnemonic> : Escalate_InferredOp<mnemonic> {
  let arguments = (ins Escalate_Tensor:$lhs, Escalate_Tensor:$rhs);
  let results = (outs Escalate_Tensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` qualified(type($lhs)) `,` qualified(type($rhs))
  }];
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *ctx,
        std::optional<::mlir::Location> loc, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      if (::mlir::failed(verifyAdaptor(ctx, loc, adaptor)))
        return ::mlir::failure();
      return inferBroadcastType(loc, adaptor.getLhs().getType(),
                                adaptor.getRhs().getType(), types);
    }
  }];
}

//===----------------------------------------------------------------------===//
// Constants and graph plumbing
//===----------------------------------------------------------------------===//

def Escalate_ConstantOp : Escalate_InferredOp<"constant", [ConstantLike]> {
  let summary = "Constant tensor (an ONNX initializer or Constant node)";
  let description = [{
    Large initializers are held in `dense_resource` blobs so the weights are
    not copied when the IR is built; small ones are `dense` attributes.
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs StaticShapeTensorOf<[F32, AnySignlessInteger, UI8]>:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Escalate_IdentityOp : Escalate_InferredOp<"identity"> {
  let summary = "ONNX Identity; folded away by canonicalization";
  let arguments = (ins Escalate_AnyTensor:$input);
  let results = (outs Escalate_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` qualified(type($input))";
  let hasFolder = 1;
}

def Escalate_DropoutOp : Escalate_InferredOp<"dropout"> {
  let summary = "ONNX Dropout in inference mode (identity); folded away";
  let arguments = (ins Escalate_FloatTensor:$input);
  let results = (outs Escalate_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` qualified(type($input))";
  let hasFolder = 1;
}

def Escalate_ShapeOp : Escalate_InferredOp<"shape"> {
  let summary = "ONNX Shape: dims [start, end) of a static shape";
  let arguments = (ins Escalate_AnyTensor:$input, I64Attr:$start, I64Attr:$end);
  let results = (outs Escalate_IndexTensor:$output);
  let assemblyFormat = "$input attr-dict `:` qualified(type($input))";
  let hasFolder = 1;
}

def Escalate_GatherOp : Escalate_InferredOp<"gather"> {
  let summary = "ONNX Gather along one axis (negative indices wrap)";
  let arguments = (ins Escalate_AnyTensor:$data, Escalate_IndexTensor:$indices,
                       I64Attr:$axis);
  let results = (outs Escalate_AnyTensor:$output);
  let assemblyFormat = [{
    $data `,` $indices attr-dict `:` qualified(type($data)) `,`
    qualified(type($indices))
  }];
}

//===----------------------------------------------------------------------===//
// Compute
//===----------------------------------------------------------------------===//

def Escalate_ConvOp : Escalate_InferredOp<"conv"> {
  let summary = "N-d grouped convolution (ONNX Conv, NCHW)";
  let description = [{
    `pads` holds the begin pads of every spatial axis followed by the end
    pads, as in ONNX; `auto_pad` is resolved to explicit pads at import.
    Depthwise convolution is `group` = input channels.
  }];
  let arguments = (ins Escalate_FloatTensor:$input,
                       Escalate_FloatTensor:$weight,
                       Optional<Escalate_FloatTensor>:$bias,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads, I64Attr:$group);
  let results = (outs Escalate_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Escalate_ConvTransposeOp : Escalate_InferredOp<"conv_transpose"> {
  let summary = "N-d grouped transposed convolution (ONNX ConvTranspose)";
  let description = [{
    The weight is C_in x C_out/group x kernel. Input position i of an axis
    adds into output position i * stride + k * dilation - pads[begin];
    output length stride * (in - 1) + output_padding + (kernel - 1) *
    dilation + 1 - pads[begin] - pads[end] (output positions no input
    reaches hold the bias). The importer resolves output_shape and auto_pad
    into pads and output_padding.
  }];
  let arguments = (ins Escalate_FloatTensor:$input,
                       Escalate_FloatTensor:$weight,
                       Optional<Escalate_FloatTensor>:$bias,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$output_padding, I64Attr:$group);
  let results = (outs Escalate_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Escalate_DecomposedConvOp : Escalate_InferredOp<"decomposed_conv"> {
  let summary = "Convolution as layer-shared basis kernels times coefficients";
  let description = [{
    The PENNI/ESCALATE form of a k x k convolution: every kernel is
    `W[o, i] = sum_m coefficients[o, i, m] * bases[m]`, with the M basis
    kernels (`bases`, shape M x k...) shared by the whole layer and
    `coefficients` of shape C_out x (C_in / group) x M, mostly zero after
    pruning. It executes basis-first: stage 1 convolves every input channel
    with every basis (C_in * M maps), stage 2 combines those maps with the
    sparse coefficients as a 1 x 1 convolution. Strides, dilations, pads and
    group mean what they mean for `escalate.conv`; the number of bases M is
    the leading dimension of `bases`.
  }];
  let arguments = (ins Escalate_FloatTensor:$input,
                       Escalate_FloatTensor:$bases,
                       Escalate_FloatTensor:$coefficients,
                       Optional<Escalate_FloatTensor>:$bias,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads, I64Attr:$group);
  let results = (outs Escalate_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $bases `,` $coefficients (`,` $bias^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// Number of basis kernels M.
    int64_t getNumBases() { return getBases().getType().getDimSize(0); }
  }];
}

def Escalate_GemmOp : Escalate_InferredOp<"gemm"> {
  let summary = "ONNX Gemm: alpha * op(A) * op(B) + beta * C";
  let arguments = (ins Escalate_FloatTensor:$a, Escalate_FloatTensor:$b,
                       Optional<Escalate_FloatTensor>:$c,
                       F32Attr:$alpha, F32Attr:$beta,
                       BoolAttr:$trans_a, BoolAttr:$trans_b);
  let results = (outs Escalate_FloatTensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Escalate_MatMulOp : Escalate_InferredOp<"matmul"> {
  let summary = "ONNX MatMul with numpy batch broadcasting";
  let arguments = (ins Escalate_FloatTensor:$lhs, Escalate_FloatTensor:$rhs);
  let results = (outs Escalate_FloatTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def Escalate_BatchNormOp : Escalate_InferredOp<"batch_norm"> {
  let summary = "ONNX BatchNormalization in inference mode";
  let description = [{
    Canonicalization folds it into a preceding Conv or Gemm with constant
    weights; on a 4-D input with nothing to fold into, it becomes a
    depthwise 1x1 conv (a per-channel scale and shift).
  }];
  let arguments = (ins Escalate_FloatTensor:$input,
                       Escalate_FloatTensor:$scale, Escalate_FloatTensor:$bias,
                       Escalate_FloatTensor:$mean, Escalate_FloatTensor:$variance,
                       F32Attr:$epsilon);
  let results = (outs Escalate_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
  let hasCanonicalizer = 1;
}

def Escalate_ReluOp : Escalate_UnaryOp<"relu"> {
  let summary = "max(x, 0)";
}
def Escalate_LeakyReluOp : Escalate_UnaryOp<"leaky_relu", (ins F32Attr:$alpha)> {
  let summary = "x if x >= 0 else alpha * x";
}
def Escalate_ClipOp : Escalate_UnaryOp<"clip", (ins F32Attr:$min, F32Attr:$max)> {
  let summary = "min(max(x, min), max); ReLU6 is clip [0, 6]";
}
def Escalate_SigmoidOp : Escalate_UnaryOp<"sigmoid"> {
  let summary = "1 / (1 + exp(-x))";
}
def Escalate_HardSigmoidOp
    : Escalate_UnaryOp<"hard_sigmoid", (ins F32Attr:$alpha, F32Attr:$beta)> {
  let summary = "max(0, min(1, alpha * x + beta))";
}
def Escalate_HardSwishOp : Escalate_UnaryOp<"hard_swish"> {
  let summary = "x * max(0, min(1, x / 6 + 1 / 2))";
}

def Escalate_EluOp : Escalate_UnaryOp<"elu", (ins F32Attr:$alpha)> {
  let summary = "x if x > 0 else alpha * (exp(x) - 1)";
}
def Escalate_SeluOp
    : Escalate_UnaryOp<"selu", (ins F32Attr:$alpha, F32Attr:$gamma)> {
  let summary = "gamma * (x if x > 0 else alpha * (exp(x) - 1))";
}
def Escalate_CeluOp : Escalate_UnaryOp<"celu", (ins F32Attr:$alpha)> {
  let summary = "max(0, x) + min(0, alpha * (exp(x / alpha) - 1))";
}
def Escalate_SoftplusOp : Escalate_UnaryOp<"softplus"> {
  let summary = "log(1 + exp(x)), computed without overflow";
}
def Escalate_SoftsignOp : Escalate_UnaryOp<"softsign"> {
  let summary = "x / (1 + |x|)";
}
def Escalate_ThresholdedReluOp
    : Escalate_UnaryOp<"thresholded_relu", (ins F32Attr:$alpha)> {
  let summary = "x if x > alpha else 0";
}

def Escalate_TanhOp : Escalate_UnaryOp<"tanh"> { let summary = "tanh(x)"; }
def Escalate_ExpOp : Escalate_UnaryOp<"exp"> { let summary = "e^x"; }
def Escalate_LogOp : Escalate_UnaryOp<"log"> {
  let summary = "Natural logarithm";
}
def Escalate_SqrtOp : Escalate_UnaryOp<"sqrt"> { let summary = "sqrt(x)"; }
def Escalate_ErfOp : Escalate_UnaryOp<"erf"> {
  let summary = "The error function (GELU's exact form uses it)";
}
def Escalate_NegOp : Escalate_UnaryOp<"neg"> { let summary = "-x"; }
def Escalate_AbsOp : Escalate_UnaryOp<"abs"> { let summary = "|x|"; }

def Escalate_AddOp : Escalate_BinaryOp<"add"> { let summary = "lhs + rhs"; }
def Escalate_SubOp : Escalate_BinaryOp<"sub"> { let summary = "lhs - rhs"; }
def Escalate_MulOp : Escalate_BinaryOp<"mul"> { let summary = "lhs * rhs"; }
def Escalate_DivOp : Escalate_BinaryOp<"div"> {
  let summary = "lhs / rhs (integer division truncates)";
}
def Escalate_MaxOp : Escalate_BinaryOp<"max"> {
  let summary = "element-wise maximum (NaN propagates)";
  let description = [{
    Canonicalization makes the maximum with one constant value a clip.
  }];
}
def Escalate_MinOp : Escalate_BinaryOp<"min"> {
  let summary = "element-wise minimum (NaN propagates)";
  let description = [{
    Canonicalization makes the minimum with one constant value a clip.
  }];
}
def Escalate_PReluOp : Escalate_BinaryOp<"prelu"> {
  let summary = "lhs if lhs >= 0, else lhs * rhs (the slope)";
  let description = [{
    Canonicalization makes a PRelu with one constant slope a leaky_relu,
    which fuses into the conv before it.
  }];
  let hasCanonicalizer = 1;
}
def Escalate_PowOp : Escalate_BinaryOp<"pow"> {
  let summary = "lhs ^ rhs (float; x^2 exactly x * x)";
}

class Escalate_PoolOp<string mnemonic, dag extra = (ins)>
    : Escalate_InferredOp<mnemonic> {
  let arguments = !con((ins Escalate_FloatTensor:$input,
                            DenseI64ArrayAttr:$kernel_shape,
                            DenseI64ArrayAttr:$strides,
                            DenseI64ArrayAttr:$dilations,
                            DenseI64ArrayAttr:$pads, BoolAttr:$ceil_mode),
                       extra);
  let results = (outs Escalate_FloatTensor:$output);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *ctx,
        std::optional<::mlir::Location> loc, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      if (::mlir::failed(verifyAdaptor(ctx, loc, adaptor)))
        return ::mlir::failure();
      return inferPoolType(loc, adaptor.getInput().getType(),
                           adaptor.getKernelShape(), adaptor.getStrides(),
                           adaptor.getDilations(), adaptor.getPads(),
                           adaptor.getCeilMode(), types);
    }
  }];
}

def Escalate_MaxPoolOp : Escalate_PoolOp<"max_pool"> {
  let summary = "N-d max pooling (padding never wins the max)";
  let description = [{
    With `ceil_mode` the output rounds up, but a last window that would start
    inside the end padding is dropped (PyTorch, ONNX Runtime, ONNX >= 1.16).
    NaN propagates. Canonicalization rewrites `ceil_mode` as the end padding
    that gives the same windows.
  }];
  let hasCanonicalizer = 1;
}
def Escalate_AveragePoolOp
    : Escalate_PoolOp<"average_pool", (ins BoolAttr:$count_include_pad)> {
  let summary = "N-d average pooling";
  let description = [{
    With `count_include_pad` the divisor counts explicit padding but never
    the extra cells that `ceil_mode` adds past the padded input, as ONNX
    Runtime does. `ceil_mode` follows max_pool's rule.
  }];
}
def Escalate_GlobalAveragePoolOp : Escalate_InferredOp<"global_average_pool"> {
  let summary = "Mean over all spatial axes, keeping them as size 1";
  let arguments = (ins Escalate_FloatTensor:$input);
  let results = (outs Escalate_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` qualified(type($input))";
}

/// A reduction over `axes` (sorted, distinct), kept as size 1 or dropped.
class Escalate_ReduceOp<string mnemonic> : Escalate_InferredOp<mnemonic> {
  let arguments = (ins Escalate_FloatTensor:$input, DenseI64ArrayAttr:$axes,
                       BoolAttr:$keepdims);
  let results = (outs Escalate_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` qualified(type($input))";
}

def Escalate_ReduceMeanOp : Escalate_ReduceOp<"reduce_mean"> {
  let summary = "Mean over `axes` (sorted, distinct), kept as size 1 or "
                "dropped";
  let description = [{
    The importer turns a mean over every spatial axis into
    global_average_pool, which the accelerator runs; this op holds the
    others (LayerNormalization's statistics).
  }];
}

def Escalate_ReduceMaxOp : Escalate_ReduceOp<"reduce_max"> {
  let summary = "Largest value over `axes`, kept as size 1 or dropped";
  let description = [{ A NaN among the values is the result. The host runs
    it (host kind `reduce_max`). }];
}

def Escalate_ReduceMinOp : Escalate_ReduceOp<"reduce_min"> {
  let summary = "Smallest value over `axes`, kept as size 1 or dropped";
  let description = [{ A NaN among the values is the result. The host runs
    it (host kind `reduce_min`). }];
}

def Escalate_ArgMaxOp : Escalate_InferredOp<"arg_max"> {
  let summary = "Index of the largest value along `axis`, as a float";
  let description = [{
    The first largest (the last with `select_last_index`); NaN counts as
    the largest. The index is a float (exact below 2^24), so it flows
    through float ops and quantizes exactly with scale 1; the importer
    passes a Cast of it to an integer type through.
  }];
  let arguments = (ins Escalate_FloatTensor:$input, I64Attr:$axis,
                       BoolAttr:$keepdims, BoolAttr:$select_last_index);
  let results = (outs Escalate_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` qualified(type($input))";
}

def Escalate_SoftmaxOp : Escalate_UnaryOp<"softmax", (ins I64Attr:$axis)> {
  let summary = "Softmax along one axis (opset >= 13 semantics)";
  let hasVerifier = 1;
  let description = [{
    Opset < 13 Softmax (flatten to 2-D at `axis`) is imported as
    reshape + softmax + reshape.
  }];
}

def Escalate_LogSoftmaxOp : Escalate_UnaryOp<"log_softmax",
                                             (ins I64Attr:$axis)> {
  let summary = "Log of the softmax along one axis (opset >= 13 semantics)";
  let hasVerifier = 1;
  let description = [{
    x - max - log(sum(exp(x - max))) along `axis`, in double precision. It
    has no integer form: the host runs it (host kind `log_softmax`).
    Opset < 13 LogSoftmax is imported as reshape + log_softmax + reshape.
  }];
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Escalate_ReshapeOp : Escalate_InferredOp<"reshape"> {
  let summary = "Static reshape (ONNX Reshape, Flatten, Squeeze, Unsqueeze)";
  let description = [{
    `shape` is fully resolved: no 0 or -1 entries remain after import.
  }];
  let arguments = (ins Escalate_AnyTensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Escalate_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` qualified(type($input))";
  let hasFolder = 1;
}

def Escalate_ResizeOp : Escalate_InferredOp<"resize"> {
  let summary = "Resampling with an affine coordinate map per axis (ONNX "
                "Resize, Upsample)";
  let description = [{
    Output index i of axis d samples the input at coordinate
    `i * coord_scale[d] + coord_offset[d]`: every ONNX coordinate
    transformation mode is such a map, resolved by the importer. `mode`
    `nearest` rounds the coordinate by `nearest_mode` (`round_prefer_floor`,
    `round_prefer_ceil`, `floor`, `ceil`); `linear` interpolates between the
    two neighbours along each axis in turn. Coordinates are clamped to the
    input (edge values repeat).
  }];
  let arguments = (ins Escalate_FloatTensor:$input, DenseI64ArrayAttr:$sizes,
                       DenseF64ArrayAttr:$coord_scale,
                       DenseF64ArrayAttr:$coord_offset, StrAttr:$mode,
                       StrAttr:$nearest_mode);
  let results = (outs Escalate_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` qualified(type($input))";
}

def Escalate_SliceOp : Escalate_InferredOp<"slice"> {
  let summary = "ONNX Slice with every axis resolved";
  let description = [{
    Output axis d holds `sizes[d]` elements of input axis d, from index
    `starts[d]` in steps of `steps[d]` (negative steps walk backwards). The
    importer clamps ONNX's starts and ends, so every index read lies inside
    the input.
  }];
  let arguments = (ins Escalate_AnyTensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$steps);
  let results = (outs Escalate_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` qualified(type($input))";
  let hasFolder = 1;
}

def Escalate_TransposeOp : Escalate_InferredOp<"transpose"> {
  let summary = "Permute axes: output dim i is input dim perm[i]";
  let arguments = (ins Escalate_AnyTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Escalate_AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` qualified(type($input))";
}

def Escalate_ConcatOp : Escalate_InferredOp<"concat"> {
  let summary = "Concatenate along `axis` (non-negative)";
  let arguments = (ins Variadic<Escalate_AnyTensor>:$inputs, I64Attr:$axis);
  let results = (outs Escalate_AnyTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` qualified(type($inputs))";
}

def Escalate_InterleaveOp : Escalate_InferredOp<"interleave"> {
  let summary = "Channel interleave: ShuffleNet's channel shuffle";
  let description = [{
    `n` inputs of one shape `N x C x ...`; output channel `k * n + j` is
    channel `k` of input `j`. Canonicalization writes ShuffleNet's channel
    shuffle (Reshape to `N x g x C/g x ...`, Transpose of axes 1 and 2,
    Reshape back) as this op over the `g` channel groups, which DRAM
    planning places with channel-strided stores instead of a transpose.
  }];
  let arguments = (ins Variadic<Escalate_AnyTensor>:$inputs);
  let results = (outs Escalate_AnyTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` qualified(type($inputs))";
}

def Escalate_PadOp : Escalate_InferredOp<"pad"> {
  let summary = "ONNX Pad with constant, reflect, edge or wrap mode";
  let description = [{
    `pads` holds the begin pads of every axis followed by the end pads;
    negative entries crop. Canonicalization folds a constant Pad of the
    spatial axes into the conv or pool it feeds (zeros into a conv or an
    average pool that counts them, -inf into a max pool).
  }];
  let arguments = (ins Escalate_FloatTensor:$input, DenseI64ArrayAttr:$pads,
                       Escalate_PadModeAttr:$mode, F32Attr:$value);
  let results = (outs Escalate_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` qualified(type($input))";
  let hasCanonicalizer = 1;
}

include "escalate/Dialect/Escalate/IR/EscalateQuantOps.td"

#endif // ESCALATE_OPS_TD
