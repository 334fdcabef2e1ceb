//===- EscalateQuantOps.cpp - verification of the quantized ops -----------===//
//
// The bounds checked here are the ISA's (docs/isa.md): what a quantized op
// accepts is exactly what one instruction can encode, so a verified graph
// never fails later for an out-of-range field.
//
//===----------------------------------------------------------------------===//
#include "Inference.h"
#include "escalate/Support/FixedPoint.h"

using namespace mlir;
using namespace escalate;
using namespace escalate::shape;

quant::UniformQuantizedType escalate::quantType(Type tensorType) {
  auto shaped = dyn_cast<ShapedType>(tensorType);
  return shaped ? dyn_cast<quant::UniformQuantizedType>(shaped.getElementType())
                : nullptr;
}

unsigned escalate::storageBits(Type tensorType) {
  return quantType(tensorType).getStorageTypeIntegralWidth();
}

namespace {
/// Activations are signed 8- or 16-bit with a positive finite scale and a
/// zero point inside the storage range.
LogicalResult checkActivation(std::optional<Location> loc, const Twine &what,
                              Type tensorType) {
  auto q = dyn_cast<quant::UniformQuantizedType>(
      ranked(tensorType).getElementType());
  if (!q)
    return fail(loc, what + " must be a tensor of !quant.uniform");
  unsigned bits = q.getStorageTypeIntegralWidth();
  if (!q.isSigned() || (bits != 8 && bits != 16))
    return fail(loc, what + " must be signed 8- or 16-bit, got " +
                         Twine(q.isSigned() ? "" : "un") + "signed " +
                         Twine(bits) + "-bit");
  if (!(q.getScale() > 0) || !std::isfinite(q.getScale()))
    return fail(loc, what + " scale must be positive and finite");
  if (q.getZeroPoint() < fixed::minOf(bits) ||
      q.getZeroPoint() > fixed::maxOf(bits))
    return fail(loc, what + " zero point " + Twine(q.getZeroPoint()) +
                         " is outside its " + Twine(bits) + "-bit storage");
  return success();
}

LogicalResult checkRange(std::optional<Location> loc, const Twine &what,
                         int64_t v, int64_t lo, int64_t hi) {
  if (v < lo || v > hi)
    return fail(loc, what + " " + Twine(v) + " is outside [" + Twine(lo) +
                         ", " + Twine(hi) + "]");
  return success();
}

/// clamp_lo <= clamp_hi, both inside the output's storage.
LogicalResult checkClamp(std::optional<Location> loc, int64_t lo, int64_t hi,
                         Type output) {
  unsigned bits = storageBits(output);
  if (failed(checkRange(loc, "clamp_lo", lo, fixed::minOf(bits),
                        fixed::maxOf(bits))) ||
      failed(checkRange(loc, "clamp_hi", hi, fixed::minOf(bits),
                        fixed::maxOf(bits))))
    return failure();
  if (lo > hi)
    return fail(loc, "clamp [" + Twine(lo) + ", " + Twine(hi) + "] is empty");
  return success();
}

LogicalResult checkSameShape(std::optional<Location> loc, Type a, Type b) {
  if (ranked(a).getShape() != ranked(b).getShape())
    return fail(loc, "result shape " + shapeStr(ranked(b).getShape()) +
                         " differs from operand shape " +
                         shapeStr(ranked(a).getShape()));
  return success();
}

/// Integer weights of at most 16 bits, as the engines read them.
LogicalResult checkWeights(std::optional<Location> loc, const Twine &what,
                           Type tensorType) {
  auto elt = dyn_cast<IntegerType>(ranked(tensorType).getElementType());
  unsigned bits = elt ? elt.getWidth() : 0;
  if (bits < 2 || bits > 16)
    return fail(loc, what + " must be 2- to 16-bit integers, got " +
                         Twine(bits) + "-bit");
  return success();
}

LogicalResult checkQuantConvCommon(std::optional<Location> loc, const Twine &what,
                                   Type input, int64_t accBits) {
  if (ranked(input).getRank() != 4)
    return fail(loc, what + " is 2-D: its input must be N x C x H x W");
  if (failed(checkActivation(loc, what + " input", input)))
    return failure();
  return checkRange(loc, what + " acc_bits", accBits, 16, 64);
}
} // namespace

LogicalResult QuantizeOp::verify() {
  if (failed(checkActivation(getLoc(), "quantize result", getType())))
    return failure();
  return checkSameShape(getLoc(), getInput().getType(), getType());
}

LogicalResult DequantizeOp::verify() {
  if (failed(checkActivation(getLoc(), "dequantize operand",
                             getInput().getType())))
    return failure();
  return checkSameShape(getLoc(), getInput().getType(), getType());
}

LogicalResult QConvOp::inferReturnTypes(MLIRContext *ctx,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  Type input = adaptor.getInput().getType();
  if (failed(checkQuantConvCommon(loc, "qconv", input, adaptor.getAccBits())) ||
      failed(checkWeights(loc, "qconv weights", adaptor.getWeight().getType())))
    return failure();
  return inferConv(loc, "qconv", ranked(input),
                   ranked(adaptor.getWeight().getType()), adaptor.getGroup(),
                   Value(), adaptor.getStrides(), adaptor.getDilations(),
                   adaptor.getPads(), IntegerType::get(ctx, 32), types);
}

LogicalResult QDecomposedConvOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  Type input = adaptor.getInput().getType();
  if (failed(checkQuantConvCommon(loc, "qdecomposed_conv", input,
                                  adaptor.getAccBits())) ||
      failed(checkRange(loc, "qdecomposed_conv map_bits",
                        adaptor.getMapBits(), 16, 64)) ||
      failed(checkWeights(loc, "qdecomposed_conv bases",
                          adaptor.getBases().getType())) ||
      failed(checkWeights(loc, "qdecomposed_conv coefficients",
                          adaptor.getCoefficients().getType())))
    return failure();
  return inferDecomposedConv(
      loc, "qdecomposed_conv", ranked(input),
      ranked(adaptor.getBases().getType()),
      ranked(adaptor.getCoefficients().getType()), adaptor.getGroup(), Value(),
      adaptor.getStrides(), adaptor.getDilations(), adaptor.getPads(),
      IntegerType::get(ctx, 32), types);
}

LogicalResult RequantOp::verify() {
  Location loc = getLoc();
  auto in = getInput().getType();
  if (in.getRank() < 2)
    return emitOpError("input must be N x C x ...");
  if (failed(checkActivation(loc, "requant result", getType())) ||
      failed(checkSameShape(loc, in, getType())))
    return failure();
  int64_t channels = in.getDimSize(1);
  for (auto [name, values] :
       {std::pair<StringRef, ArrayRef<int32_t>>{"bias", getBias()},
        {"multiplier", getMultiplier()},
        {"shift", getShift()}})
    if (int64_t(values.size()) != channels)
      return emitOpError() << name << " has " << values.size()
                           << " entries for " << channels << " channels";
  for (int32_t s : getShift())
    if (failed(checkRange(loc, "shift", s, 0, 63)))
      return failure();
  if (failed(checkRange(loc, "neg_multiplier", getNegMultiplierAttr().getInt(), INT16_MIN,
                        INT16_MAX)) ||
      failed(checkRange(loc, "neg_shift", getNegShift(), 0, 31)))
    return failure();
  return checkClamp(loc, getClampLoAttr().getInt(), getClampHiAttr().getInt(),
                    getType());
}

/// Shared by qadd and qmul: one storage width for all three tensors (the
/// ISA's `bits`), the result shaped like lhs, rhs broadcast per element,
/// per channel, per pixel (4-D) or as a scalar.
template <typename Op> static LogicalResult verifyEltwise(Op op) {
  Location loc = op.getLoc();
  Type a = op.getLhs().getType(), b = op.getRhs().getType(), y = op.getType();
  if (failed(checkActivation(loc, "lhs", a)) ||
      failed(checkActivation(loc, "rhs", b)) ||
      failed(checkActivation(loc, "result", y)) ||
      failed(checkSameShape(loc, a, y)))
    return failure();
  if (storageBits(a) != storageBits(b) || storageBits(a) != storageBits(y))
    return op.emitOpError("operands and result must share one storage width");
  ArrayRef<int64_t> sa = ranked(a).getShape(), sb = ranked(b).getShape();
  if (sa.size() < 2 || sb.size() != sa.size() ||
      (sb[0] != sa[0] && sb[0] != 1))
    return op.emitOpError("rhs ")
           << shapeStr(sb) << " must have lhs's rank (>= 2) and batch "
           << sa[0] << " or 1";
  bool restOnes = llvm::all_of(sb.drop_front(2), [](int64_t d) { return d == 1; });
  bool same = sb.drop_front() == sa.drop_front();
  bool channel = sb[1] == sa[1] && restOnes;
  bool scalar = sb[1] == 1 && restOnes;
  bool pixel =
      sa.size() == 4 && sb[1] == 1 && sb.drop_front(2) == sa.drop_front(2);
  if (!same && !channel && !scalar && !pixel)
    return op.emitOpError("rhs ")
           << shapeStr(sb) << " is neither lhs's shape " << shapeStr(sa)
           << ", one value per channel, one per pixel, nor a scalar";
  if (failed(checkRange(loc, "shift", op.getShift(), 0, 63)))
    return failure();
  return checkClamp(loc, op.getClampLoAttr().getInt(),
                    op.getClampHiAttr().getInt(), y);
}

LogicalResult QAddOp::verify() { return verifyEltwise(*this); }
LogicalResult QMulOp::verify() { return verifyEltwise(*this); }

/// `uncounted` and `divisors` of a 2-D average pool: bands inside the
/// padding, one multiplier per window size, no window counting nothing.
static LogicalResult checkUncounted(std::optional<Location> loc,
                                    QPoolOp::Adaptor adaptor,
                                    RankedTensorType input) {
  std::optional<ArrayRef<int64_t>> bands = adaptor.getUncounted();
  std::optional<ArrayRef<int64_t>> divisors = adaptor.getDivisors();
  if (!bands && !divisors)
    return success();
  if (!bands || !divisors || adaptor.getKind() != PoolKind::avg)
    return fail(loc, "qpool takes uncounted and divisors together, for "
                     "average pooling only");
  ArrayRef<int64_t> k = adaptor.getKernelShape(), s = adaptor.getStrides(),
                    pads = adaptor.getPads();
  if (bands->size() != 4)
    return fail(loc, "qpool uncounted must hold 4 bands (top, left, "
                     "bottom, right)");
  for (unsigned i = 0; i < 4; ++i)
    if ((*bands)[i] < 0 || (*bands)[i] > pads[i])
      return fail(loc, "qpool uncounted band " + Twine((*bands)[i]) +
                           " lies outside its padding of " + Twine(pads[i]));
  if (int64_t(divisors->size()) != k[0] * k[1])
    return fail(loc, "qpool needs " + Twine(k[0] * k[1]) +
                         " divisors (one per window size), not " +
                         Twine(divisors->size()));
  for (int64_t d : *divisors)
    if (failed(checkRange(loc, "divisor multiplier", d, INT32_MIN, INT32_MAX)))
      return failure();
  for (unsigned axis = 0; axis < 2; ++axis)
    if (fixed::windowWhollyUncounted(
            input.getDimSize(2 + axis) + pads[axis] + pads[2 + axis], k[axis],
            s[axis], (*bands)[axis], (*bands)[2 + axis]))
      return fail(loc, "a qpool window lies wholly in the uncounted padding");
  return success();
}

LogicalResult QPoolOp::inferReturnTypes(MLIRContext *ctx,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  Type input = adaptor.getInput().getType();
  if (ranked(input).getRank() != 4)
    return fail(loc, "qpool is 2-D: its input must be N x C x H x W");
  if (failed(checkActivation(loc, "qpool input", input)) ||
      failed(checkRange(loc, "avg_multiplier",
                        adaptor.getAvgMultiplierAttr().getInt(),
                        INT32_MIN, INT32_MAX)) ||
      failed(checkRange(loc, "avg_shift", adaptor.getAvgShift(), 0, 63)))
    return failure();
  SmallVector<int64_t> ones(adaptor.getKernelShape().size(), 1);
  if (failed(inferPoolType(loc, input, adaptor.getKernelShape(),
                           adaptor.getStrides(), ones, adaptor.getPads(),
                           /*ceilMode=*/false, types)))
    return failure();
  return checkUncounted(loc, adaptor, ranked(input));
}

LogicalResult QLutOp::verify() {
  Location loc = getLoc();
  if (failed(checkActivation(loc, "qlut input", getInput().getType())) ||
      failed(checkActivation(loc, "qlut result", getType())) ||
      failed(checkSameShape(loc, getInput().getType(), getType())))
    return failure();
  if (storageBits(getInput().getType()) != 8 || storageBits(getType()) != 8)
    return emitOpError("looks up 8-bit values only");
  if (getTable().size() != 256)
    return emitOpError("table has ") << getTable().size()
                                     << " entries; it needs 256";
  return success();
}

LogicalResult QSoftmaxOp::verify() {
  Location loc = getLoc();
  int64_t rank = getInput().getType().getRank(), axis = getAxisAttr().getInt();
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is outside rank " << rank;
  if (failed(checkActivation(loc, "qsoftmax input", getInput().getType())) ||
      failed(checkActivation(loc, "qsoftmax result", getType())))
    return failure();
  return checkSameShape(loc, getInput().getType(), getType());
}

LogicalResult FakeQuantOp::verify() {
  double scale = getScale().convertToDouble();
  if (!(scale > 0) || !std::isfinite(scale))
    return emitOpError("scale must be positive and finite");
  int64_t lo = getQminAttr().getInt(), hi = getQmaxAttr().getInt(),
          zp = getZeroPointAttr().getInt();
  if (lo >= hi || zp < lo || zp > hi)
    return emitOpError() << "zero point " << zp << " must lie in [qmin, qmax] = ["
                         << lo << ", " << hi << "]";
  return success();
}
