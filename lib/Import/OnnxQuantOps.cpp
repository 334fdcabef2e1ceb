//===- OnnxQuantOps.cpp - models that carry their own quantization --------===//
//
// A statically quantized ONNX model (QDQ pairs, or QLinearConv and
// QLinearMatMul) is imported as the float model it denotes: weights are
// dequantized into float constants, and every quantization of an activation
// becomes an `escalate.fake_quant` holding the model's scale and zero point,
// which escalate-quantize then adopts instead of calibrating. Integer
// activations are represented by their dequantized values, so a
// DequantizeLinear of one is the identity.
//
//===----------------------------------------------------------------------===//
#include "ImporterImpl.h"

using namespace mlir;
using namespace escalate;
using namespace escalate::onnx_import;

namespace {
/// A scale and zero point, per tensor or per channel along an axis, and
/// the integer range of the zero point's type.
struct QParams {
  std::vector<float> scale;
  std::vector<int64_t> zeroPoint;
  int64_t qmin = 0, qmax = 255;
};

FailureOr<QParams> qparams(NodeImporter &n, size_t scaleIndex, size_t zpIndex) {
  QParams q;
  FailureOr<Tensor> scale = n.constInput(scaleIndex, "scale");
  if (failed(scale))
    return failure();
  if (scale->dtype() != DType::F32 || scale->rank() > 1) {
    n.error() << "scale (input #" << scaleIndex
              << ") must be a FLOAT scalar or 1-D tensor";
    return failure();
  }
  q.scale.assign(scale->f32().begin(), scale->f32().end());
  for (float s : q.scale)
    if (!(s > 0) || !std::isfinite(s)) {
      n.error() << "scale (input #" << scaleIndex << ") holds " << s
                << "; scales must be positive and finite";
      return failure();
    }
  // ONNX's default zero point is a UINT8 zero.
  q.zeroPoint.assign(q.scale.size(), 0);
  if (Value zp = n.input(zpIndex)) {
    Type elt = cast<ShapedType>(zp.getType()).getElementType();
    if (elt.isSignlessInteger(8)) {
      q.qmin = -128, q.qmax = 127;
    } else if (!elt.isUnsignedInteger(8)) {
      n.unsupported() << "zero point (input #" << zpIndex
                      << ") must be INT8 or UINT8, not " << elt;
      return failure();
    }
    FailureOr<Tensor> z = n.constInput(zpIndex, "zero point");
    if (failed(z))
      return failure();
    if (z->numElements() != int64_t(q.scale.size())) {
      n.error() << "zero point (input #" << zpIndex << ") has "
                << z->numElements() << " values for " << q.scale.size()
                << " scales";
      return failure();
    }
    q.zeroPoint.assign(z->i64().begin(), z->i64().end());
  }
  return q;
}

/// `x` quantized and dequantized with per-tensor `q`.
FailureOr<Value> fakeQuant(NodeImporter &n, Value x, const QParams &q) {
  if (q.scale.size() != 1) {
    n.unsupported() << "activations are quantized per tensor; per-axis "
                       "activation scales are not supported";
    return failure();
  }
  return n.create<FakeQuantOp>(
      {x},
      {n.b.getNamedAttr("scale", n.b.getF64FloatAttr(q.scale[0])),
       n.b.getNamedAttr("zero_point", n.b.getI64IntegerAttr(q.zeroPoint[0])),
       n.b.getNamedAttr("qmin", n.b.getI64IntegerAttr(q.qmin)),
       n.b.getNamedAttr("qmax", n.b.getI64IntegerAttr(q.qmax))});
}

/// The float constant `(w - zp) * scale`, per channel along `axis` when the
/// scale has several values.
FailureOr<Value> dequantizeConstant(NodeImporter &n, size_t index,
                                    const QParams &q, int64_t axis,
                                    StringRef what) {
  FailureOr<Tensor> w = n.constInput(index, what);
  if (failed(w))
    return failure();
  if (w->dtype() != DType::I64) {
    n.error() << what << " (input #" << index << ") must be an integer tensor";
    return failure();
  }
  int64_t rank = w->rank();
  if (axis < 0)
    axis += rank;
  int64_t channels = q.scale.size();
  if (channels > 1 && (axis < 0 || axis >= rank || w->dim(axis) != channels)) {
    n.error() << what << " has " << channels
              << " scales, which do not match its axis " << axis;
    return failure();
  }
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < rank; ++d)
    inner *= w->dim(d);
  Tensor f(DType::F32, w->shape());
  for (int64_t i = 0; i < w->numElements(); ++i) {
    int64_t c = channels > 1 ? (i / inner) % channels : 0;
    f.f32()[i] = float(w->i64()[i] - q.zeroPoint[c]) * q.scale[c];
  }
  auto type = RankedTensorType::get(w->shape(), n.b.getF32Type());
  std::string name = n.node.input(index);
  return ConstantOp::create(n.b, n.loc, attrFromTensor(f, type, name))
      .getResult();
}

/// The QLinear ops' INT32 bias: bias[o] * x_scale * w_scale[o].
FailureOr<Value> dequantizeBias(NodeImporter &n, size_t index, float xScale,
                                const QParams &w) {
  FailureOr<Tensor> b = n.constInput(index, "bias");
  if (failed(b))
    return failure();
  if (b->dtype() != DType::I64 || b->rank() != 1) {
    n.error() << "bias (input #" << index << ") must be a 1-D INT32 tensor";
    return failure();
  }
  Tensor f(DType::F32, b->shape());
  for (int64_t o = 0; o < b->numElements(); ++o)
    f.f32()[o] =
        float(b->i64()[o]) * (xScale * w.scale[w.scale.size() > 1 ? o : 0]);
  auto type = RankedTensorType::get(b->shape(), n.b.getF32Type());
  return ConstantOp::create(n.b, n.loc,
                            attrFromTensor(f, type, n.node.input(index)))
      .getResult();
}

/// An integer activation's dequantized value must have been quantized with
/// the parameters the consumer states.
LogicalResult checkSameQuantization(NodeImporter &n, Value x, const QParams &q,
                                    StringRef what) {
  auto fq = x.getDefiningOp<FakeQuantOp>();
  if (!fq || q.scale.size() != 1)
    return success();
  if (float(fq.getScale().convertToDouble()) != q.scale[0] ||
      fq.getZeroPointAttr().getInt() != q.zeroPoint[0]) {
    n.unsupported() << what << " states scale " << q.scale[0]
                    << " and zero point " << q.zeroPoint[0]
                    << ", but it was quantized with scale "
                    << fq.getScale().convertToDouble() << " and zero point "
                    << fq.getZeroPointAttr().getInt();
    return failure();
  }
  return success();
}

bool isFloat(Value v) {
  return cast<ShapedType>(v.getType()).getElementType().isF32();
}
} // namespace

LogicalResult onnx_import::importQuantizeLinear(NodeImporter &n) {
  if (failed(n.checkArity(2, 3)))
    return failure();
  if (!isFloat(n.input(0))) {
    n.unsupported() << "only FLOAT inputs are quantized";
    return failure();
  }
  FailureOr<QParams> q = qparams(n, 1, 2);
  if (failed(q))
    return failure();
  FailureOr<Value> v = fakeQuant(n, n.input(0), *q);
  if (failed(v))
    return failure();
  n.setResult(0, *v);
  return success();
}

LogicalResult onnx_import::importDequantizeLinear(NodeImporter &n) {
  if (failed(n.checkArity(2, 3)))
    return failure();
  FailureOr<QParams> q = qparams(n, 1, 2);
  if (failed(q))
    return failure();
  Value x = n.input(0);
  if (!isFloat(x)) {
    // An integer initializer: weights or biases, folded to float.
    FailureOr<Value> w =
        dequantizeConstant(n, 0, *q, n.getInt("axis", 1), "input");
    if (failed(w))
      return failure();
    n.setResult(0, *w);
    return success();
  }
  // An activation quantized earlier in the graph is already its dequantized
  // value.
  if (failed(checkSameQuantization(n, x, *q, "input")))
    return failure();
  n.setResult(0, x);
  return success();
}

namespace {
/// The QLinear ops' common operands: the quantized input (already its
/// dequantized float value), its, the weight's and the output's parameters.
struct QLinearOperands {
  Value x;
  QParams xq, wq, yq;
};

FailureOr<QLinearOperands> qlinearOperands(NodeImporter &n) {
  FailureOr<QParams> xq = qparams(n, 1, 2), wq = qparams(n, 4, 5),
                     yq = qparams(n, 6, 7);
  if (failed(xq) || failed(wq) || failed(yq))
    return failure();
  Value x = n.input(0);
  if (!isFloat(x)) {
    n.unsupported() << "input #0 must be quantized in the graph (a graph "
                       "input of integers is not supported; feed floats "
                       "through QuantizeLinear)";
    return failure();
  }
  if (failed(checkSameQuantization(n, x, *xq, "input #0")))
    return failure();
  return QLinearOperands{x, *xq, *wq, *yq};
}

/// Quantizes a QLinear op's float result at the output's parameters.
LogicalResult finishQLinear(NodeImporter &n, FailureOr<Value> y,
                            const QParams &yq) {
  if (failed(y))
    return failure();
  FailureOr<Value> out = fakeQuant(n, *y, yq);
  if (failed(out))
    return failure();
  n.setResult(0, *out);
  return success();
}
} // namespace

LogicalResult onnx_import::importQLinearConv(NodeImporter &n) {
  if (failed(n.checkArity(8, 9)))
    return failure();
  FailureOr<QLinearOperands> q = qlinearOperands(n);
  if (failed(q))
    return failure();
  FailureOr<Value> w = dequantizeConstant(n, 3, q->wq, 0, "w");
  if (failed(w))
    return failure();
  FailureOr<SmallVector<NamedAttribute>> attrs =
      convAttributes(n, cast<RankedTensorType>(q->x.getType()),
                     cast<RankedTensorType>(w->getType()));
  if (failed(attrs))
    return failure();
  SmallVector<Value> operands = {q->x, *w};
  if (n.input(8)) {
    FailureOr<Value> b = dequantizeBias(n, 8, q->xq.scale[0], q->wq);
    if (failed(b))
      return failure();
    operands.push_back(*b);
  }
  return finishQLinear(n, n.create<ConvOp>(operands, *attrs), q->yq);
}

LogicalResult onnx_import::importQLinearMatMul(NodeImporter &n) {
  if (failed(n.checkArity(8, 8)))
    return failure();
  FailureOr<QLinearOperands> q = qlinearOperands(n);
  if (failed(q))
    return failure();
  // B's per-column scales run along its last axis.
  FailureOr<Value> b = dequantizeConstant(n, 3, q->wq, -1, "b");
  if (failed(b))
    return failure();
  return finishQLinear(n, n.create<MatMulOp>({q->x, *b}, {}), q->yq);
}
