//===- EscalateQuantEvaluate.cpp - the quantized ops' golden model --------===//
//
// Binds each quantized op to its integer kernel. This is what `escalate-run`
// executes for quantized IR, and what the simulator must match bit for bit.
//
//===----------------------------------------------------------------------===//
#include "Evaluate.h"

using namespace mlir;
using namespace escalate;
using namespace escalate::numerics;
using namespace escalate::eval;

namespace {
QuantInfo info(Type tensorType) {
  quant::UniformQuantizedType q = quantType(tensorType);
  return {q.getScale(), q.getZeroPoint(), q.getStorageTypeIntegralWidth()};
}

fixed::EltwiseParams eltwiseParams(Type lhs, Type rhs, Type out, int32_t ma,
                                   int32_t mb, int32_t shift, int64_t lo,
                                   int64_t hi) {
  return {int32_t(quantType(lhs).getZeroPoint()),
          int32_t(quantType(rhs).getZeroPoint()),
          int32_t(quantType(out).getZeroPoint()),
          ma,
          mb,
          shift,
          int32_t(lo),
          int32_t(hi)};
}
} // namespace

LogicalResult QuantizeOp::evaluate(ArrayRef<const Tensor *> in,
                                   SmallVectorImpl<Tensor> &results) {
  return single(*this, results, [&](Tensor &out) {
    quantize(*in[0], info(getType()), out);
  });
}

LogicalResult DequantizeOp::evaluate(ArrayRef<const Tensor *> in,
                                     SmallVectorImpl<Tensor> &results) {
  return single(*this, results, [&](Tensor &out) {
    dequantize(*in[0], info(getInput().getType()), out);
  });
}

LogicalResult QConvOp::evaluate(ArrayRef<const Tensor *> in,
                                SmallVectorImpl<Tensor> &results) {
  Window win = window(getWeight().getType().getShape().drop_front(2),
                      getStrides(), getDilations(), getPads());
  if (failed(checkPaddedInput(*this, getInput(), getPads())))
    return failure();
  return single(*this, results, [&](Tensor &out) {
    qconv(*in[0], info(getInput().getType()).zeroPoint, *in[1], win,
          getGroup(), getAccBits(), out);
  });
}

LogicalResult QDecomposedConvOp::evaluate(ArrayRef<const Tensor *> in,
                                          SmallVectorImpl<Tensor> &results) {
  Window win = window(getBases().getType().getShape().drop_front(),
                      getStrides(), getDilations(), getPads());
  if (failed(checkPaddedInput(*this, getInput(), getPads())))
    return failure();
  return single(*this, results, [&](Tensor &out) {
    qdecomposedConv(*in[0], info(getInput().getType()).zeroPoint, *in[1],
                    *in[2], win, getGroup(), getMapBits(), getAccBits(), out);
  });
}

LogicalResult RequantOp::evaluate(ArrayRef<const Tensor *> in,
                                  SmallVectorImpl<Tensor> &results) {
  SmallVector<fixed::RequantParams> channels;
  for (auto [b, m, s] : llvm::zip(getBias(), getMultiplier(), getShift()))
    channels.push_back({b, m, s});
  fixed::RequantOutput output{
      info(getType()).zeroPoint, getClampLoAttr().getInt(),
      getClampHiAttr().getInt(), int32_t(getNegMultiplierAttr().getInt()),
      unsigned(getNegShift())};
  return single(*this, results, [&](Tensor &out) {
    requant(*in[0], channels, output, out);
  });
}

LogicalResult QAddOp::evaluate(ArrayRef<const Tensor *> in,
                               SmallVectorImpl<Tensor> &results) {
  fixed::EltwiseParams p = eltwiseParams(
      getLhs().getType(), getRhs().getType(), getType(), getLhsMultiplier(),
      getRhsMultiplier(), getShift(), getClampLoAttr().getInt(),
      getClampHiAttr().getInt());
  return single(*this, results, [&](Tensor &out) {
    qeltwise(/*multiply=*/false, *in[0], *in[1], p, storageBits(getType()),
             out);
  });
}

LogicalResult QMulOp::evaluate(ArrayRef<const Tensor *> in,
                               SmallVectorImpl<Tensor> &results) {
  fixed::EltwiseParams p =
      eltwiseParams(getLhs().getType(), getRhs().getType(), getType(),
                    getMultiplier(), 0, getShift(), getClampLoAttr().getInt(),
      getClampHiAttr().getInt());
  return single(*this, results, [&](Tensor &out) {
    qeltwise(/*multiply=*/true, *in[0], *in[1], p, storageBits(getType()),
             out);
  });
}

LogicalResult QPoolOp::evaluate(ArrayRef<const Tensor *> in,
                                SmallVectorImpl<Tensor> &results) {
  SmallVector<int64_t> ones(getKernelShape().size(), 1);
  Window win = window(getKernelShape(), getStrides(), ones, getPads());
  QuantInfo q = info(getType());
  if (failed(checkPaddedInput(*this, getInput(), getPads())))
    return failure();
  fixed::UncountedBands bands;
  if (std::optional<ArrayRef<int64_t>> u = getUncounted())
    bands = {(*u)[0], (*u)[1], (*u)[2], (*u)[3]};
  ArrayRef<int64_t> divisors = getDivisors().value_or(ArrayRef<int64_t>());
  return single(*this, results, [&](Tensor &out) {
    qpool(*in[0], getKind() == PoolKind::max, win, q.zeroPoint,
          int32_t(getAvgMultiplierAttr().getInt()), unsigned(getAvgShift()),
          q.bits, bands, divisors, out);
  });
}

LogicalResult QLutOp::evaluate(ArrayRef<const Tensor *> in,
                               SmallVectorImpl<Tensor> &results) {
  return single(*this, results,
                [&](Tensor &out) { qlut(*in[0], getTable(), out); });
}

LogicalResult QSoftmaxOp::evaluate(ArrayRef<const Tensor *> in,
                                   SmallVectorImpl<Tensor> &results) {
  return single(*this, results, [&](Tensor &out) {
    qsoftmax(*in[0], getAxis(), info(getInput().getType()), info(getType()),
             out);
  });
}
