//===- EscalateEvaluate.cpp - EvaluateOpInterface for every op ------------===//
//
// Binds each op to its float32 reference kernel. The interpreter and constant
// folding both come through here.
//
//===----------------------------------------------------------------------===//
#include "Evaluate.h"

using namespace mlir;
using namespace escalate;
using namespace escalate::numerics;
using namespace escalate::eval;

namespace {
template <typename Op>
LogicalResult evaluateBinary(Op op, BinaryKind kind,
                             ArrayRef<const Tensor *> in,
                             SmallVectorImpl<Tensor> &results) {
  return single(op, results,
                [&](Tensor &out) { binary(kind, *in[0], *in[1], out); });
}

template <typename Op>
LogicalResult evaluateUnary(Op op, UnaryKind kind, ArrayRef<const Tensor *> in,
                            SmallVectorImpl<Tensor> &results) {
  return single(op, results, [&](Tensor &out) { unary(kind, *in[0], out); });
}

template <typename Op, typename Fn>
LogicalResult evaluateUnary(Op op, ArrayRef<const Tensor *> in,
                            SmallVectorImpl<Tensor> &results, Fn fn) {
  return single(op, results, [&](Tensor &out) { mapF32(*in[0], out, fn); });
}

template <typename Op>
LogicalResult evaluateActivation(Op op, ActivationKind kind, float a, float b,
                                 ArrayRef<const Tensor *> in,
                                 SmallVectorImpl<Tensor> &results) {
  return single(op, results,
                [&](Tensor &out) { activation(kind, a, b, *in[0], out); });
}
} // namespace

LogicalResult ConstantOp::evaluate(ArrayRef<const Tensor *>,
                                   SmallVectorImpl<Tensor> &results) {
  FailureOr<Tensor> t = tensorFromAttr(getValue());
  if (failed(t))
    return emitOpError("has an unsupported constant encoding");
  results.push_back(std::move(*t));
  return success();
}

LogicalResult IdentityOp::evaluate(ArrayRef<const Tensor *> in,
                                   SmallVectorImpl<Tensor> &results) {
  results.push_back(*in[0]);
  return success();
}

LogicalResult DropoutOp::evaluate(ArrayRef<const Tensor *> in,
                                  SmallVectorImpl<Tensor> &results) {
  results.push_back(*in[0]);
  return success();
}

LogicalResult ShapeOp::evaluate(ArrayRef<const Tensor *> in,
                                SmallVectorImpl<Tensor> &results) {
  return single(*this, results, [&](Tensor &out) {
    int64_t start = getStartAttr().getInt(), end = getEndAttr().getInt();
    for (int64_t i = start; i < end; ++i)
      out.i64()[i - start] = in[0]->dim(i);
  });
}

LogicalResult GatherOp::evaluate(ArrayRef<const Tensor *> in,
                                 SmallVectorImpl<Tensor> &results) {
  int64_t n = in[0]->dim(getAxis());
  for (int64_t idx : in[1]->i64())
    if (idx < -n || idx >= n)
      return emitOpError("index ") << idx << " is out of range for axis "
                                   << getAxis() << " of size " << n;
  return single(*this, results,
                [&](Tensor &out) { gather(*in[0], *in[1], getAxis(), out); });
}

LogicalResult ConvOp::evaluate(ArrayRef<const Tensor *> in,
                               SmallVectorImpl<Tensor> &results) {
  Window win = window(getWeight().getType().getShape().drop_front(2),
                      getStrides(), getDilations(), getPads());
  const Tensor *bias = in.size() > 2 ? in[2] : nullptr;
  return single(*this, results, [&](Tensor &out) {
    conv(*in[0], *in[1], bias, win, getGroup(), out);
  });
}

LogicalResult ConvTransposeOp::evaluate(ArrayRef<const Tensor *> in,
                                        SmallVectorImpl<Tensor> &results) {
  const Tensor *bias = in.size() > 2 ? in[2] : nullptr;
  // The kernel's table of targets: one entry per input position and tap.
  SmallVector<int64_t> taps = {product(in[0]->shape().drop_front(2)),
                               product(in[1]->shape().drop_front(2))};
  if (llvm::Error e =
          checkAllocation("transposed-conv taps", taps, sizeof(int64_t))
              .takeError())
    return emitOpError(llvm::toString(std::move(e)));
  return single(*this, results, [&](Tensor &out) {
    convTranspose(*in[0], *in[1], bias, getStrides(), getDilations(), getPads(),
                  getGroup(), out);
  });
}

LogicalResult DecomposedConvOp::evaluate(ArrayRef<const Tensor *> in,
                                         SmallVectorImpl<Tensor> &results) {
  Window win = window(getBases().getType().getShape().drop_front(),
                      getStrides(), getDilations(), getPads());
  const Tensor *bias = in.size() > 3 ? in[3] : nullptr;
  // Stage 1 materialises N x C_in*M maps at output resolution from C_in*M
  // copies of the bases; refuse sizes that cannot be allocated rather than
  // abort.
  auto type = getType();
  int64_t cin = getInput().getType().getDimSize(1), m = getNumBases();
  SmallVector<int64_t> mapShape = {type.getDimSize(0), cin, m};
  llvm::append_range(mapShape, type.getShape().drop_front(2));
  SmallVector<int64_t> filterShape = {cin, m};
  llvm::append_range(filterShape, getBases().getType().getShape().drop_front());
  for (auto [what, shape] : {std::pair{"stage-1 maps", ArrayRef(mapShape)},
                             {"stage-1 filters", ArrayRef(filterShape)}})
    if (llvm::Error e = checkAllocation(what, shape, sizeof(float)).takeError())
      return emitOpError(llvm::toString(std::move(e)));
  return single(*this, results, [&](Tensor &out) {
    decomposedConv(*in[0], *in[1], *in[2], bias, win, getGroup(), out);
  });
}

LogicalResult GemmOp::evaluate(ArrayRef<const Tensor *> in,
                               SmallVectorImpl<Tensor> &results) {
  const Tensor *c = in.size() > 2 ? in[2] : nullptr;
  return single(*this, results, [&](Tensor &out) {
    gemm(*in[0], *in[1], c, getAlpha().convertToFloat(),
         getBeta().convertToFloat(), getTransA(), getTransB(), out);
  });
}

LogicalResult MatMulOp::evaluate(ArrayRef<const Tensor *> in,
                                 SmallVectorImpl<Tensor> &results) {
  return single(*this, results,
                [&](Tensor &out) { matmul(*in[0], *in[1], out); });
}

LogicalResult BatchNormOp::evaluate(ArrayRef<const Tensor *> in,
                                    SmallVectorImpl<Tensor> &results) {
  return single(*this, results, [&](Tensor &out) {
    batchNorm(*in[0], *in[1], *in[2], *in[3], *in[4],
              getEpsilon().convertToFloat(), out);
  });
}

LogicalResult ReluOp::evaluate(ArrayRef<const Tensor *> in,
                               SmallVectorImpl<Tensor> &results) {
  return evaluateActivation(*this, ActivationKind::Relu, 0.0f, 0.0f, in,
                            results);
}

LogicalResult LeakyReluOp::evaluate(ArrayRef<const Tensor *> in,
                                    SmallVectorImpl<Tensor> &results) {
  return evaluateActivation(*this, ActivationKind::LeakyRelu,
                            getAlpha().convertToFloat(), 0.0f, in, results);
}

LogicalResult ClipOp::evaluate(ArrayRef<const Tensor *> in,
                               SmallVectorImpl<Tensor> &results) {
  return evaluateActivation(*this, ActivationKind::Clip,
                            getMin().convertToFloat(),
                            getMax().convertToFloat(), in, results);
}

LogicalResult EluOp::evaluate(ArrayRef<const Tensor *> in,
                              SmallVectorImpl<Tensor> &results) {
  return evaluateActivation(*this, ActivationKind::Elu,
                            getAlpha().convertToFloat(), 0.0f, in, results);
}

LogicalResult SeluOp::evaluate(ArrayRef<const Tensor *> in,
                               SmallVectorImpl<Tensor> &results) {
  return evaluateActivation(*this, ActivationKind::Selu,
                            getAlpha().convertToFloat(),
                            getGamma().convertToFloat(), in, results);
}

LogicalResult CeluOp::evaluate(ArrayRef<const Tensor *> in,
                               SmallVectorImpl<Tensor> &results) {
  return evaluateActivation(*this, ActivationKind::Celu,
                            getAlpha().convertToFloat(), 0.0f, in, results);
}

LogicalResult SoftplusOp::evaluate(ArrayRef<const Tensor *> in,
                                   SmallVectorImpl<Tensor> &results) {
  return evaluateActivation(*this, ActivationKind::Softplus, 0.0f, 0.0f, in,
                            results);
}

LogicalResult SoftsignOp::evaluate(ArrayRef<const Tensor *> in,
                                   SmallVectorImpl<Tensor> &results) {
  return evaluateActivation(*this, ActivationKind::Softsign, 0.0f, 0.0f, in,
                            results);
}

LogicalResult ThresholdedReluOp::evaluate(ArrayRef<const Tensor *> in,
                                          SmallVectorImpl<Tensor> &results) {
  return evaluateActivation(*this, ActivationKind::ThresholdedRelu,
                            getAlpha().convertToFloat(), 0.0f, in, results);
}

LogicalResult FakeQuantOp::evaluate(ArrayRef<const Tensor *> in,
                                    SmallVectorImpl<Tensor> &results) {
  float scale = float(getScale().convertToDouble());
  // I64Attr getters are unsigned; the zero point and qmin may be negative.
  float zp = float(getZeroPointAttr().getInt()),
        lo = float(getQminAttr().getInt()), hi = float(getQmaxAttr().getInt());
  return evaluateUnary(*this, in, results, [=](float x) {
    float q = std::clamp(std::nearbyint(x / scale) + zp, lo, hi);
    return (q - zp) * scale;
  });
}

LogicalResult SigmoidOp::evaluate(ArrayRef<const Tensor *> in,
                                  SmallVectorImpl<Tensor> &results) {
  return evaluateActivation(*this, ActivationKind::Sigmoid, 0.0f, 0.0f, in,
                            results);
}

LogicalResult HardSigmoidOp::evaluate(ArrayRef<const Tensor *> in,
                                      SmallVectorImpl<Tensor> &results) {
  return evaluateActivation(*this, ActivationKind::HardSigmoid,
                            getAlpha().convertToFloat(),
                            getBeta().convertToFloat(), in, results);
}

LogicalResult HardSwishOp::evaluate(ArrayRef<const Tensor *> in,
                                    SmallVectorImpl<Tensor> &results) {
  return evaluateActivation(*this, ActivationKind::HardSwish, 0.0f, 0.0f, in,
                            results);
}

LogicalResult TanhOp::evaluate(ArrayRef<const Tensor *> in,
                               SmallVectorImpl<Tensor> &results) {
  return evaluateUnary(*this, UnaryKind::Tanh, in, results);
}
LogicalResult ExpOp::evaluate(ArrayRef<const Tensor *> in,
                              SmallVectorImpl<Tensor> &results) {
  return evaluateUnary(*this, UnaryKind::Exp, in, results);
}
LogicalResult LogOp::evaluate(ArrayRef<const Tensor *> in,
                              SmallVectorImpl<Tensor> &results) {
  return evaluateUnary(*this, UnaryKind::Log, in, results);
}
LogicalResult SqrtOp::evaluate(ArrayRef<const Tensor *> in,
                               SmallVectorImpl<Tensor> &results) {
  return evaluateUnary(*this, UnaryKind::Sqrt, in, results);
}
LogicalResult ErfOp::evaluate(ArrayRef<const Tensor *> in,
                              SmallVectorImpl<Tensor> &results) {
  return evaluateUnary(*this, UnaryKind::Erf, in, results);
}
LogicalResult NegOp::evaluate(ArrayRef<const Tensor *> in,
                              SmallVectorImpl<Tensor> &results) {
  return evaluateUnary(*this, UnaryKind::Neg, in, results);
}
LogicalResult AbsOp::evaluate(ArrayRef<const Tensor *> in,
                              SmallVectorImpl<Tensor> &results) {
  return evaluateUnary(*this, UnaryKind::Abs, in, results);
}

LogicalResult AddOp::evaluate(ArrayRef<const Tensor *> in,
                              SmallVectorImpl<Tensor> &results) {
  return evaluateBinary(*this, BinaryKind::Add, in, results);
}
LogicalResult SubOp::evaluate(ArrayRef<const Tensor *> in,
                              SmallVectorImpl<Tensor> &results) {
  return evaluateBinary(*this, BinaryKind::Sub, in, results);
}
LogicalResult MulOp::evaluate(ArrayRef<const Tensor *> in,
                              SmallVectorImpl<Tensor> &results) {
  return evaluateBinary(*this, BinaryKind::Mul, in, results);
}
LogicalResult DivOp::evaluate(ArrayRef<const Tensor *> in,
                              SmallVectorImpl<Tensor> &results) {
  return evaluateBinary(*this, BinaryKind::Div, in, results);
}
LogicalResult MaxOp::evaluate(ArrayRef<const Tensor *> in,
                              SmallVectorImpl<Tensor> &results) {
  return evaluateBinary(*this, BinaryKind::Max, in, results);
}
LogicalResult MinOp::evaluate(ArrayRef<const Tensor *> in,
                              SmallVectorImpl<Tensor> &results) {
  return evaluateBinary(*this, BinaryKind::Min, in, results);
}
LogicalResult PReluOp::evaluate(ArrayRef<const Tensor *> in,
                                SmallVectorImpl<Tensor> &results) {
  return evaluateBinary(*this, BinaryKind::PRelu, in, results);
}
LogicalResult PowOp::evaluate(ArrayRef<const Tensor *> in,
                              SmallVectorImpl<Tensor> &results) {
  return evaluateBinary(*this, BinaryKind::Pow, in, results);
}

LogicalResult ReduceMeanOp::evaluate(ArrayRef<const Tensor *> in,
                                     SmallVectorImpl<Tensor> &results) {
  return single(*this, results,
                [&](Tensor &out) { reduceMean(*in[0], getAxes(), out); });
}

LogicalResult ReduceMaxOp::evaluate(ArrayRef<const Tensor *> in,
                                    SmallVectorImpl<Tensor> &results) {
  return single(*this, results, [&](Tensor &out) {
    reduceExtremum(*in[0], getAxes(), /*isMax=*/true, out);
  });
}

LogicalResult ReduceMinOp::evaluate(ArrayRef<const Tensor *> in,
                                    SmallVectorImpl<Tensor> &results) {
  return single(*this, results, [&](Tensor &out) {
    reduceExtremum(*in[0], getAxes(), /*isMax=*/false, out);
  });
}

LogicalResult MaxPoolOp::evaluate(ArrayRef<const Tensor *> in,
                                  SmallVectorImpl<Tensor> &results) {
  Window win =
      window(getKernelShape(), getStrides(), getDilations(), getPads());
  return single(*this, results,
                [&](Tensor &out) { maxPool(*in[0], win, out); });
}

LogicalResult AveragePoolOp::evaluate(ArrayRef<const Tensor *> in,
                                      SmallVectorImpl<Tensor> &results) {
  Window win =
      window(getKernelShape(), getStrides(), getDilations(), getPads());
  return single(*this, results, [&](Tensor &out) {
    averagePool(*in[0], win, getCountIncludePad(), out);
  });
}

LogicalResult GlobalAveragePoolOp::evaluate(ArrayRef<const Tensor *> in,
                                            SmallVectorImpl<Tensor> &results) {
  return single(*this, results,
                [&](Tensor &out) { globalAveragePool(*in[0], out); });
}

LogicalResult ArgMaxOp::evaluate(ArrayRef<const Tensor *> in,
                                 SmallVectorImpl<Tensor> &results) {
  return single(*this, results, [&](Tensor &out) {
    argMax(*in[0], getAxis(), getSelectLastIndex(), out);
  });
}

LogicalResult SoftmaxOp::evaluate(ArrayRef<const Tensor *> in,
                                  SmallVectorImpl<Tensor> &results) {
  return single(*this, results,
                [&](Tensor &out) { softmax(*in[0], getAxis(), out); });
}

LogicalResult LogSoftmaxOp::evaluate(ArrayRef<const Tensor *> in,
                                     SmallVectorImpl<Tensor> &results) {
  return single(*this, results,
                [&](Tensor &out) { logSoftmax(*in[0], getAxis(), out); });
}

LogicalResult ReshapeOp::evaluate(ArrayRef<const Tensor *> in,
                                  SmallVectorImpl<Tensor> &results) {
  results.push_back(in[0]->reshaped(getShape()));
  return success();
}

LogicalResult TransposeOp::evaluate(ArrayRef<const Tensor *> in,
                                    SmallVectorImpl<Tensor> &results) {
  return single(*this, results,
                [&](Tensor &out) { transpose(*in[0], getPerm(), out); });
}

LogicalResult ResizeOp::evaluate(ArrayRef<const Tensor *> in,
                                 SmallVectorImpl<Tensor> &results) {
  Resample how;
  how.linear = getMode() == "linear";
  how.rounding = llvm::StringSwitch<Resample::Rounding>(getNearestMode())
                     .Case("round_prefer_ceil", Resample::PreferCeil)
                     .Case("floor", Resample::Floor)
                     .Case("ceil", Resample::Ceil)
                     .Default(Resample::PreferFloor);
  how.scale = getCoordScale();
  how.offset = getCoordOffset();
  return single(*this, results,
                [&](Tensor &out) { resample(*in[0], how, out); });
}

LogicalResult SliceOp::evaluate(ArrayRef<const Tensor *> in,
                                SmallVectorImpl<Tensor> &results) {
  return single(*this, results, [&](Tensor &out) {
    slice(*in[0], getStarts(), getSteps(), out);
  });
}

LogicalResult ConcatOp::evaluate(ArrayRef<const Tensor *> in,
                                 SmallVectorImpl<Tensor> &results) {
  return single(*this, results,
                [&](Tensor &out) { concat(in, getAxis(), out); });
}

LogicalResult InterleaveOp::evaluate(ArrayRef<const Tensor *> in,
                                     SmallVectorImpl<Tensor> &results) {
  return single(*this, results, [&](Tensor &out) { interleave(in, out); });
}

LogicalResult PadOp::evaluate(ArrayRef<const Tensor *> in,
                              SmallVectorImpl<Tensor> &results) {
  PadKind kind = static_cast<PadKind>(getMode());
  return single(*this, results, [&](Tensor &out) {
    pad(*in[0], getPads(), kind, getValue().convertToFloat(), out);
  });
}
