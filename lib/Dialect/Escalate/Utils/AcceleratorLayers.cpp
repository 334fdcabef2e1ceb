//===- AcceleratorLayers.cpp - quantized ops as accelerator layers --------===//
#include "escalate/Dialect/Escalate/Utils/AcceleratorLayers.h"
#include "escalate/Support/FixedPoint.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace escalate;
using namespace escalate::codegen;

FailureOr<RequantOp> escalate::requantOf(Operation *conv) {
  Value acc = conv->getResult(0);
  if (!acc.hasOneUse() || !llvm::isa<RequantOp>(*acc.getUsers().begin()))
    return conv->emitOpError(
        "must feed exactly one escalate.requant: the accelerator keeps "
        "accumulators on chip");
  return cast<RequantOp>(*acc.getUsers().begin());
}

FailureOr<ActShape> escalate::actShape(Operation *where, Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  quant::UniformQuantizedType q = type ? quantType(type) : nullptr;
  if (!q)
    return where->emitOpError() << "operand of type " << v.getType()
                                << " is not a quantized activation";
  // Dimension 1 stays the channel (per-channel broadcasts and requant
  // follow it); the dimensions after it are rows x columns, the last being
  // the columns.
  ArrayRef<int64_t> d = type.getShape();
  // An empty tensor has no tiles: every search over them would be empty
  // (the importer refuses such models; this guards hand-written IR).
  if (llvm::is_contained(d, 0))
    return where->emitOpError()
           << "has an empty tensor (" << type
           << "): a zero-size dimension leaves nothing to tile";
  ActShape s;
  s.bits = storageBits(type);
  if (d.empty())
    return s;
  if (d.size() == 1) {
    s.c = d[0];
    return s;
  }
  s.n = d[0];
  s.c = d[1];
  if (d.size() > 2) {
    s.w = d.back();
    for (int64_t v : d.drop_front(2).drop_back())
      s.h *= v;
  }
  return s;
}

namespace {
FailureOr<std::vector<int32_t>> intConstant(Operation *op, Value v,
                                            StringRef what) {
  ElementsAttr attr;
  FailureOr<std::vector<int32_t>> values = failure();
  if (matchPattern(v, m_Constant(&attr)))
    values = int32FromAttr(attr);
  if (failed(values))
    return op->emitOpError()
           << what << " must be an integer constant to be emitted";
  return values;
}

int64_t zeroPoint(Value v) { return quantType(v.getType()).getZeroPoint(); }

LogicalResult readRequant(RequantOp rq, ConvLayer &l) {
  FailureOr<ActShape> out = actShape(rq, rq.getOutput());
  if (failed(out))
    return failure();
  l.out = *out;
  // The verifier guarantees one entry per channel.
  l.bias.assign(rq.getBias().begin(), rq.getBias().end());
  l.multiplier.assign(rq.getMultiplier().begin(), rq.getMultiplier().end());
  l.shift.assign(rq.getShift().begin(), rq.getShift().end());
  l.zeroPoint = zeroPoint(rq.getOutput());
  l.clampLo = rq.getClampLo();
  l.clampHi = rq.getClampHi();
  l.negMult = rq.getNegMultiplier();
  l.negShift = rq.getNegShift();
  return success();
}

template <typename ConvT> LogicalResult readGeometry(ConvT conv, ConvLayer &l) {
  FailureOr<ActShape> in = actShape(conv, conv.getInput());
  if (failed(in))
    return failure();
  l.in = *in;
  l.inZeroPoint = zeroPoint(conv.getInput());
  ArrayRef<int64_t> s = conv.getStrides(), d = conv.getDilations(),
                    p = conv.getPads();
  if (s.size() != 2 || d.size() != 2 || p.size() != 4)
    return conv.emitOpError("must be a 2-D convolution to be emitted");
  l.sh = s[0], l.sw = s[1], l.dh = d[0], l.dw = d[1];
  l.padTop = p[0], l.padLeft = p[1], l.padBottom = p[2], l.padRight = p[3];
  l.groups = conv.getGroup();
  return success();
}

/// {za, zb, zo, ma, mb, shift, lo, hi} of a qadd or qmul (mul uses ma
/// only), with `a` its operand `lhs` (both forms are symmetric in a and b).
std::array<int32_t, 8> eltwiseParams(Operation *op, unsigned lhs) {
  Value a = op->getOperand(lhs), b = op->getOperand(1 - lhs);
  int32_t za = zeroPoint(a), zb = zeroPoint(b),
          zo = zeroPoint(op->getResult(0));
  int32_t ma, mb = 0, shift;
  int64_t lo, hi;
  if (auto add = dyn_cast<QAddOp>(op)) {
    ma = int32_t(add.getLhsMultiplier());
    mb = int32_t(add.getRhsMultiplier());
    if (lhs == 1)
      std::swap(ma, mb);
    shift = int32_t(add.getShift());
    lo = add.getClampLo(), hi = add.getClampHi();
  } else {
    auto mul = cast<QMulOp>(op);
    ma = int32_t(mul.getMultiplier());
    shift = int32_t(mul.getShift());
    lo = mul.getClampLo(), hi = mul.getClampHi();
  }
  return {za, zb, zo, ma, mb, shift, int32_t(lo), int32_t(hi)};
}

/// The fused epilogue of `conv`, whose requant wrote `l.out`.
LogicalResult readEpilogue(Operation *conv, ConvLayer &l) {
  Operation *e = fusedEpilogue(conv);
  if (!e)
    return success();
  if (auto pool = dyn_cast<QPoolOp>(e)) {
    FailureOr<ActShape> out = actShape(e, pool.getOutput());
    if (failed(out))
      return failure();
    ConvEpilogue p;
    p.kind = ConvEpilogue::Kind::Pool;
    p.isMax = pool.getKind() == PoolKind::max;
    p.kh = pool.getKernelShape()[0], p.kw = pool.getKernelShape()[1];
    // A window over the whole axis has one position: stride 1 fits the
    // pool's 4-bit field whatever the op says.
    p.sh = p.kh == l.out.h ? 1 : p.kh;
    p.sw = p.kw == l.out.w ? 1 : p.kw;
    p.avgMult = pool.getAvgMultiplier();
    p.avgShift = pool.getAvgShift();
    p.zeroPoint = zeroPoint(pool.getInput());
    p.out = *out;
    l.epilogue = p;
    return success();
  }
  unsigned lhs =
      e->getOperand(0).getDefiningOp() == *conv->getUsers().begin() ? 0 : 1;
  FailureOr<ActShape> other = actShape(e, e->getOperand(1 - lhs));
  FailureOr<ActShape> out = actShape(e, e->getResult(0));
  if (failed(other) || failed(out))
    return failure();
  ConvEpilogue add;
  add.kind =
      llvm::isa<QAddOp>(e) ? ConvEpilogue::Kind::Add : ConvEpilogue::Kind::Mul;
  add.other = *other;
  add.params = eltwiseParams(e, lhs);
  add.out = *out;
  l.epilogue = add;
  return success();
}

void readEncoding(Operation *op, ConvLayer &l) {
  auto enc = op->getAttrOfType<SparseEncodingAttr>(kEncodingAttr);
  if (!enc)
    return;
  switch (enc.getFormat()) {
  case SparseFormat::dense:
    l.format = isa::conv::FormatDense;
    break;
  case SparseFormat::bitmap:
    l.format = isa::conv::FormatBitmap;
    break;
  case SparseFormat::delta:
    l.format = isa::conv::FormatDelta;
    l.indexBits = enc.getIndexBits();
    break;
  }
}
} // namespace

FailureOr<ConvLayer> escalate::convLayer(Operation *op) {
  ConvLayer l;
  FailureOr<RequantOp> rq = requantOf(op);
  if (failed(rq) || failed(readRequant(*rq, l)))
    return failure();
  if (auto conv = dyn_cast<QConvOp>(op)) {
    if (failed(readGeometry(conv, l)))
      return failure();
    auto w = cast<RankedTensorType>(conv.getWeight().getType());
    FailureOr<std::vector<int32_t>> weights =
        intConstant(op, conv.getWeight(), "the weight");
    if (failed(weights))
      return failure();
    l.window = true;
    l.kh = w.getDimSize(2), l.kw = w.getDimSize(3);
    l.bases = l.kh * l.kw;
    l.coefBits = w.getElementTypeBitWidth();
    l.matrix = std::move(*weights);
  } else {
    auto dec = cast<QDecomposedConvOp>(op);
    if (failed(readGeometry(dec, l)))
      return failure();
    auto b = cast<RankedTensorType>(dec.getBases().getType());
    FailureOr<std::vector<int32_t>> bases =
        intConstant(op, dec.getBases(), "the bases");
    FailureOr<std::vector<int32_t>> coefs =
        intConstant(op, dec.getCoefficients(), "the coefficients");
    if (failed(bases) || failed(coefs))
      return failure();
    l.window = false;
    l.bases = b.getDimSize(0);
    l.kh = b.getDimSize(1), l.kw = b.getDimSize(2);
    l.basisBits = b.getElementTypeBitWidth();
    l.coefBits = cast<RankedTensorType>(dec.getCoefficients().getType())
                     .getElementTypeBitWidth();
    l.basis = std::move(*bases);
    l.matrix = std::move(*coefs);
  }
  readEncoding(op, l);
  if (failed(readEpilogue(op, l)))
    return failure();
  return l;
}

FailureOr<PpuLayer> escalate::ppuLayer(Operation *op) {
  PpuLayer l;
  FailureOr<ActShape> in = actShape(op, op->getOperand(0));
  FailureOr<ActShape> out = actShape(op, op->getResult(0));
  if (failed(in) || failed(out))
    return failure();
  l.in = *in;
  l.out = *out;
  if (auto pool = dyn_cast<QPoolOp>(op)) {
    l.kind = PpuLayer::Kind::Pool;
    ArrayRef<int64_t> k = pool.getKernelShape(), s = pool.getStrides(),
                      p = pool.getPads();
    if (k.size() != 2 || s.size() != 2 || p.size() != 4)
      return op->emitOpError("must be a 2-D pooling to be emitted");
    l.kh = k[0], l.kw = k[1], l.sh = s[0], l.sw = s[1];
    l.padTop = p[0], l.padLeft = p[1], l.padBottom = p[2], l.padRight = p[3];
    l.isMax = pool.getKind() == PoolKind::max;
    l.avgMult = pool.getAvgMultiplier();
    l.avgShift = pool.getAvgShift();
    l.zeroPoint = zeroPoint(pool.getInput());
    l.padValue = l.isMax ? fixed::minOf(l.in.bits) : l.zeroPoint;
    if (std::optional<ArrayRef<int64_t>> u = pool.getUncounted()) {
      l.uncounted = {(*u)[0], (*u)[1], (*u)[2], (*u)[3]};
      for (int64_t d : pool.getDivisors().value_or(ArrayRef<int64_t>()))
        l.divisors.push_back(int32_t(d));
    }
    return l;
  }
  if (auto lut = dyn_cast<QLutOp>(op)) {
    l.kind = PpuLayer::Kind::Lut;
    if (l.in.bits != 8 || lut.getTable().size() != 256)
      return op->emitOpError("the lookup unit takes 8-bit inputs and a "
                             "256-entry table");
    llvm::copy(lut.getTable(), l.table.begin());
    return l;
  }
  bool isAdd = llvm::isa<QAddOp>(op);
  l.kind = isAdd ? PpuLayer::Kind::Add : PpuLayer::Kind::Mul;
  Value rhs = op->getOperand(1);
  FailureOr<ActShape> other = actShape(op, rhs);
  if (failed(other))
    return failure();
  l.other = *other;
  auto lhsType = cast<RankedTensorType>(op->getOperand(0).getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  if (rhsType.getRank() != lhsType.getRank() && rhsType.getNumElements() != 1)
    return op->emitOpError("rhs must have lhs's rank unless it is a single "
                           "value");
  if (l.other.bits != l.in.bits || l.out.bits != l.in.bits)
    return op->emitOpError("operands and result must have one width");
  if (l.other.c == l.in.c && l.other.h == l.in.h && l.other.w == l.in.w)
    l.broadcast = isa::eltwise::None;
  else if (l.other.c == l.in.c && l.other.h == 1 && l.other.w == 1)
    l.broadcast = isa::eltwise::Channel;
  else if (l.other.c == 1 && l.other.h == 1 && l.other.w == 1)
    l.broadcast = isa::eltwise::Scalar;
  else if (l.other.c == 1 && l.other.h == l.in.h && l.other.w == l.in.w)
    l.broadcast = isa::eltwise::Pixel;
  else
    return op->emitOpError("rhs must match lhs, hold one value per channel, "
                           "one per pixel or a single value");
  if (l.other.n != l.in.n && l.other.n != 1)
    return op->emitOpError("rhs batch must match lhs or be 1");
  l.eltwiseParams = eltwiseParams(op, 0);
  return l;
}

FailureOr<hw::HwDesc> escalate::loadHardware(Location loc, StringRef pass,
                                             StringRef file) {
  if (file.empty())
    return hw::defaultHwDesc();
  llvm::Expected<hw::HwDesc> loaded = hw::loadHwDesc(file);
  if (!loaded) {
    emitError(loc) << pass << ": " << llvm::toString(loaded.takeError());
    return failure();
  }
  return std::move(*loaded);
}

Operation *escalate::fusedActivation(Value v, bool allowLeaky) {
  if (!v.hasOneUse())
    return nullptr;
  Operation *user = *v.getUsers().begin();
  if (llvm::isa<ReluOp, ClipOp>(user) || (allowLeaky && llvm::isa<LeakyReluOp>(user)))
    return user;
  return nullptr;
}

bool escalate::isChannelSlice(SliceOp slice) {
  auto in = cast<RankedTensorType>(slice.getInput().getType());
  if (in.getRank() != 4)
    return false;
  for (int64_t d = 0; d < 4; ++d)
    if (slice.getSteps()[d] != 1 ||
        (d != 1 && (slice.getStarts()[d] != 0 ||
                    slice.getSizes()[d] != in.getDimSize(d))))
      return false;
  return true;
}
