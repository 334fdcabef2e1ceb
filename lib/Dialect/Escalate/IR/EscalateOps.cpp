//===- EscalateOps.cpp - type inference and verification
//-------------------===//
//
// Each op's inferReturnTypes is also its verifier: InferTypeOpInterface checks
// that the declared result types equal the inferred ones, so every shape rule
// lives here exactly once and the importer reuses it before creating ops.
//
//===----------------------------------------------------------------------===//
#include "Inference.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace escalate;

using namespace escalate::shape;

LogicalResult shape::fail(std::optional<Location> loc, const Twine &msg) {
  return emitOptionalError(loc, msg);
}

std::string shape::shapeStr(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleave(shape, os, ",");
  os << "]";
  return s;
}

namespace {
/// Window parameters are bounded so that all window arithmetic stays far
/// inside int64 (spatial sizes are bounded alike at import).
constexpr int64_t kMaxWindowParam = INT32_MAX;

/// Output extent of one sliding-window axis, or -1 when the window does not
/// fit. With ceil_mode a last window that would start in the end padding is
/// dropped, as PyTorch, ONNX Runtime and ONNX (since 1.16) do.
int64_t windowExtent(int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb,
                     int64_t pe, bool ceilMode) {
  int64_t span = (k - 1) * d + 1, avail = in + pb + pe - span;
  if (avail < 0)
    return -1;
  int64_t out = (ceilMode ? (avail + s - 1) / s : avail / s) + 1;
  if (ceilMode && out > 1 && (out - 1) * s >= in + pb)
    --out;
  return out;
}

/// Checks window attributes for `nsp` spatial axes and computes the output
/// spatial extents.
LogicalResult inferWindow(std::optional<Location> loc, StringRef what,
                          ArrayRef<int64_t> inSpatial, ArrayRef<int64_t> kernel,
                          ArrayRef<int64_t> strides,
                          ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads,
                          bool ceilMode, SmallVectorImpl<int64_t> &outSpatial) {
  size_t nsp = inSpatial.size();
  if (nsp < 1 || nsp > 3)
    return fail(loc, what + " supports 1 to 3 spatial axes, got " + Twine(nsp));
  if (kernel.size() != nsp || strides.size() != nsp ||
      dilations.size() != nsp || pads.size() != 2 * nsp)
    return fail(loc, what + ": kernel/strides/dilations need " + Twine(nsp) +
                         " entries and pads " + Twine(2 * nsp));
  for (size_t i = 0; i < nsp; ++i) {
    if (kernel[i] < 1 || strides[i] < 1 || dilations[i] < 1)
      return fail(loc, what + ": kernel, strides and dilations must be >= 1");
    if (pads[i] < 0 || pads[nsp + i] < 0)
      return fail(loc, what + ": pads must be non-negative");
    if (kernel[i] > kMaxWindowParam || strides[i] > kMaxWindowParam ||
        dilations[i] > kMaxWindowParam || pads[i] > kMaxWindowParam ||
        pads[nsp + i] > kMaxWindowParam || inSpatial[i] > kMaxWindowParam)
      return fail(loc, what + ": window parameters and spatial sizes must "
                              "be below 2^31");
    int64_t e = windowExtent(inSpatial[i], kernel[i], strides[i], dilations[i],
                             pads[i], pads[nsp + i], ceilMode);
    if (e < 1)
      return fail(loc, what + ": window " + Twine(kernel[i]) + " (dilation " +
                           Twine(dilations[i]) +
                           ") does not fit spatial axis " + Twine(i) +
                           " of size " + Twine(inSpatial[i]) + " with pads");
    outSpatial.push_back(e);
  }
  return success();
}
} // namespace

LogicalResult shape::checkConvGroups(std::optional<Location> loc,
                                      StringRef what, int64_t cin,
                                      int64_t cout, int64_t cinPerGroup,
                                      int64_t group) {
  if (group < 1 || cin % group || cout % group)
    return fail(loc, what + " group " + Twine(group) +
                         " must divide input (" + Twine(cin) +
                         ") and output (" + Twine(cout) + ") channels");
  if (cinPerGroup * group != cin)
    return fail(loc, what + " weights have " + Twine(cinPerGroup) +
                         " input channels per group, expected " +
                         Twine(cin / group));
  return success();
}

LogicalResult shape::inferConvResult(
    std::optional<Location> loc, StringRef what, RankedTensorType x,
    int64_t cout, ArrayRef<int64_t> kernel, Value bias,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
    ArrayRef<int64_t> pads, Type elementType, SmallVectorImpl<Type> &types) {
  if (bias) {
    auto b = ranked(bias.getType());
    if (b.getRank() != 1 || b.getDimSize(0) != cout)
      return fail(loc, what + " bias must have shape [" + Twine(cout) + "]");
  }
  SmallVector<int64_t> shape = {x.getDimSize(0), cout};
  if (failed(inferWindow(loc, what, x.getShape().drop_front(2), kernel, strides,
                         dilations, pads, /*ceilMode=*/false, shape)))
    return failure();
  types.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

LogicalResult escalate::inferBroadcastType(std::optional<Location> loc,
                                           Type lhs, Type rhs,
                                           SmallVectorImpl<Type> &out) {
  auto a = ranked(lhs), b = ranked(rhs);
  if (a.getElementType() != b.getElementType())
    return fail(loc, "operand element types differ");
  size_t rank = std::max(a.getRank(), b.getRank());
  SmallVector<int64_t> shape(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da =
        i + a.getRank() >= rank ? a.getDimSize(i + a.getRank() - rank) : 1;
    int64_t db =
        i + b.getRank() >= rank ? b.getDimSize(i + b.getRank() - rank) : 1;
    if (da != db && da != 1 && db != 1)
      return fail(loc, "shapes " + shapeStr(a.getShape()) + " and " +
                           shapeStr(b.getShape()) + " are not broadcastable");
    shape[i] = da == 1 ? db : da;
  }
  out.push_back(RankedTensorType::get(shape, a.getElementType()));
  return success();
}

LogicalResult escalate::inferPoolType(std::optional<Location> loc, Type input,
                                      ArrayRef<int64_t> kernel,
                                      ArrayRef<int64_t> strides,
                                      ArrayRef<int64_t> dilations,
                                      ArrayRef<int64_t> pads, bool ceilMode,
                                      SmallVectorImpl<Type> &out) {
  auto t = ranked(input);
  if (t.getRank() < 3)
    return fail(loc, "pooling input must be N x C x spatial...");
  SmallVector<int64_t> shape(t.getShape().take_front(2));
  if (failed(inferWindow(loc, "pooling", t.getShape().drop_front(2), kernel,
                         strides, dilations, pads, ceilMode, shape)))
    return failure();
  out.push_back(RankedTensorType::get(shape, t.getElementType()));
  return success();
}

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *ctx,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  types.push_back(adaptor.getValue().getType());
  return success();
}

LogicalResult IdentityOp::inferReturnTypes(MLIRContext *ctx,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult DropoutOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult ShapeOp::inferReturnTypes(MLIRContext *ctx,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  int64_t rank = ranked(adaptor.getInput().getType()).getRank();
  int64_t start = adaptor.getStart(), end = adaptor.getEnd();
  if (start < 0 || start > end || end > rank)
    return fail(loc, "shape range [" + Twine(start) + ", " + Twine(end) +
                         ") is outside rank " + Twine(rank));
  types.push_back(
      RankedTensorType::get({end - start}, IntegerType::get(ctx, 64)));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  auto data = ranked(adaptor.getData().getType());
  auto indices = ranked(adaptor.getIndices().getType());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= data.getRank())
    return fail(loc, "gather axis " + Twine(axis) + " is outside rank " +
                         Twine(data.getRank()));
  SmallVector<int64_t> shape(data.getShape().take_front(axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, data.getShape().drop_front(axis + 1));
  types.push_back(RankedTensorType::get(shape, data.getElementType()));
  return success();
}

LogicalResult shape::inferConv(std::optional<Location> loc, StringRef what,
                                RankedTensorType x, RankedTensorType w,
                                int64_t group, Value bias,
                                ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> dilations,
                                ArrayRef<int64_t> pads, Type elementType,
                                SmallVectorImpl<Type> &types) {
  if (x.getRank() < 3 || w.getRank() != x.getRank())
    return fail(loc, what + " input " + shapeStr(x.getShape()) +
                         " and weight " + shapeStr(w.getShape()) +
                         " must both be N x C x spatial... of equal rank");
  if (failed(checkConvGroups(loc, what, x.getDimSize(1), w.getDimSize(0),
                             w.getDimSize(1), group)))
    return failure();
  return inferConvResult(loc, what, x, w.getDimSize(0),
                         w.getShape().drop_front(2), bias, strides, dilations,
                         pads, elementType, types);
}

LogicalResult shape::inferDecomposedConv(
    std::optional<Location> loc, StringRef what, RankedTensorType x,
    RankedTensorType bases, RankedTensorType coefs, int64_t group, Value bias,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
    ArrayRef<int64_t> pads, Type elementType, SmallVectorImpl<Type> &types) {
  if (x.getRank() < 3 || bases.getRank() != x.getRank() - 1)
    return fail(loc, what + " input " + shapeStr(x.getShape()) +
                         " needs bases of shape M x kernel (rank " +
                         Twine(x.getRank() - 1) + "), got " +
                         shapeStr(bases.getShape()));
  if (coefs.getRank() != 3 || coefs.getDimSize(2) != bases.getDimSize(0))
    return fail(loc, what + " coefficients " + shapeStr(coefs.getShape()) +
                         " must be C_out x C_in/group x M with M = " +
                         Twine(bases.getDimSize(0)));
  int64_t cin = x.getDimSize(1), cout = coefs.getDimSize(0);
  if (group < 1 || cin % group || cout % group ||
      coefs.getDimSize(1) * group != cin)
    return fail(loc, what + " coefficients " + shapeStr(coefs.getShape()) +
                         " do not fit " + Twine(cin) + " input channels in " +
                         Twine(group) + " groups");
  return inferConvResult(loc, what, x, cout, bases.getShape().drop_front(1),
                         bias, strides, dilations, pads, elementType, types);
}

LogicalResult ConvOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  auto x = ranked(adaptor.getInput().getType());
  return inferConv(loc, "conv", x, ranked(adaptor.getWeight().getType()),
                   adaptor.getGroup(), adaptor.getBias(), adaptor.getStrides(),
                   adaptor.getDilations(), adaptor.getPads(),
                   x.getElementType(), types);
}

LogicalResult ConvTransposeOp::inferReturnTypes(MLIRContext *ctx,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  auto x = ranked(adaptor.getInput().getType());
  auto w = ranked(adaptor.getWeight().getType());
  int64_t nsp = x.getRank() - 2, group = adaptor.getGroup();
  ArrayRef<int64_t> strides = adaptor.getStrides(),
                    dilations = adaptor.getDilations(),
                    pads = adaptor.getPads(),
                    extra = adaptor.getOutputPadding();
  if (nsp < 1 || nsp > 3 || w.getRank() != x.getRank())
    return fail(loc, "conv_transpose needs N x C x (1 to 3 spatial axes) "
                     "input and a weight of the same rank");
  if (int64_t(strides.size()) != nsp || int64_t(dilations.size()) != nsp ||
      int64_t(pads.size()) != 2 * nsp || int64_t(extra.size()) != nsp)
    return fail(loc, "conv_transpose: strides, dilations and output_padding "
                     "need " +
                         Twine(nsp) + " entries and pads " + Twine(2 * nsp));
  if (group < 1 || x.getDimSize(1) != w.getDimSize(0) ||
      x.getDimSize(1) % group || w.getDimSize(1) > kMaxWindowParam / group)
    return fail(loc, "conv_transpose weight " + shapeStr(w.getShape()) +
                         " does not match input channels " +
                         Twine(x.getDimSize(1)) + " in " + Twine(group) +
                         " groups");
  int64_t cout = w.getDimSize(1) * group;
  if (auto bias = adaptor.getBias()) {
    auto b = ranked(bias.getType());
    if (b.getRank() != 1 || b.getDimSize(0) != cout)
      return fail(loc,
                  "conv_transpose bias must hold " + Twine(cout) + " values");
  }
  SmallVector<int64_t> shape = {x.getDimSize(0), cout};
  for (int64_t i = 0; i < nsp; ++i) {
    int64_t in = x.getDimSize(2 + i), k = w.getDimSize(2 + i);
    for (int64_t v :
         {in, k, strides[i], dilations[i], pads[i], pads[nsp + i], extra[i]})
      if (v < 0 || v > kMaxWindowParam)
        return fail(loc, "conv_transpose: sizes and window parameters must "
                         "be in [0, 2^31)");
    if (in < 1 || k < 1 || strides[i] < 1 || dilations[i] < 1)
      return fail(loc, "conv_transpose: sizes, kernel, strides and "
                       "dilations must be >= 1");
    // Each term is below 2^31, so the sum of their products fits.
    int64_t len = strides[i] * (in - 1) + extra[i] + (k - 1) * dilations[i] +
                  1 - pads[i] - pads[nsp + i];
    if (len < 1)
      return fail(loc,
                  "conv_transpose: the pads leave axis " + Twine(i) + " empty");
    shape.push_back(len);
  }
  types.push_back(RankedTensorType::get(shape, x.getElementType()));
  return success();
}

LogicalResult DecomposedConvOp::inferReturnTypes(MLIRContext *ctx,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  auto x = ranked(adaptor.getInput().getType());
  return inferDecomposedConv(
      loc, "decomposed_conv", x, ranked(adaptor.getBases().getType()),
      ranked(adaptor.getCoefficients().getType()), adaptor.getGroup(),
      adaptor.getBias(), adaptor.getStrides(), adaptor.getDilations(),
      adaptor.getPads(), x.getElementType(), types);
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  auto a = ranked(adaptor.getA().getType()),
       b = ranked(adaptor.getB().getType());
  if (a.getRank() != 2 || b.getRank() != 2)
    return fail(loc, "gemm operands must be 2-D");
  bool ta = adaptor.getTransA(), tb = adaptor.getTransB();
  int64_t m = a.getDimSize(ta ? 1 : 0), k = a.getDimSize(ta ? 0 : 1);
  int64_t kb = b.getDimSize(tb ? 1 : 0), n = b.getDimSize(tb ? 0 : 1);
  if (k != kb)
    return fail(loc, "gemm inner dimensions differ: " + Twine(k) + " vs " +
                         Twine(kb));
  auto outType = RankedTensorType::get({m, n}, a.getElementType());
  if (Value c = adaptor.getC()) {
    SmallVector<Type> bcast;
    if (failed(inferBroadcastType(loc, outType, c.getType(), bcast)))
      return failure();
    if (bcast.front() != outType)
      return fail(loc, "gemm C does not broadcast to [" + Twine(m) + "," +
                           Twine(n) + "]");
  }
  types.push_back(outType);
  return success();
}

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  auto a = ranked(adaptor.getLhs().getType()),
       b = ranked(adaptor.getRhs().getType());
  if (a.getRank() < 1 || b.getRank() < 1)
    return fail(loc, "matmul operands must have rank >= 1");
  SmallVector<int64_t> as(a.getShape()), bs(b.getShape());
  bool aVec = as.size() == 1, bVec = bs.size() == 1;
  if (aVec)
    as.insert(as.begin(), 1);
  if (bVec)
    bs.push_back(1);
  if (as.back() != bs[bs.size() - 2])
    return fail(loc,
                "matmul inner dimensions differ: " + shapeStr(a.getShape()) +
                    " x " + shapeStr(b.getShape()));
  SmallVector<Type> batch;
  auto elt = a.getElementType();
  if (failed(inferBroadcastType(
          loc, RankedTensorType::get(ArrayRef(as).drop_back(2), elt),
          RankedTensorType::get(ArrayRef(bs).drop_back(2), elt), batch)))
    return failure();
  SmallVector<int64_t> shape(ranked(batch.front()).getShape());
  if (!aVec)
    shape.push_back(as[as.size() - 2]);
  if (!bVec)
    shape.push_back(bs.back());
  types.push_back(RankedTensorType::get(shape, elt));
  return success();
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *ctx,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  auto x = ranked(adaptor.getInput().getType());
  if (x.getRank() < 2)
    return fail(loc, "batch_norm input must be N x C x ...");
  int64_t c = x.getDimSize(1);
  for (Value v : {adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
                  adaptor.getVariance()}) {
    auto t = ranked(v.getType());
    if (t.getRank() != 1 || t.getDimSize(0) != c)
      return fail(loc,
                  "batch_norm parameters must have shape [" + Twine(c) + "]");
  }
  types.push_back(x);
  return success();
}

LogicalResult GlobalAveragePoolOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  auto x = ranked(adaptor.getInput().getType());
  if (x.getRank() < 3)
    return fail(loc, "global_average_pool input must be N x C x spatial...");
  SmallVector<int64_t> shape(x.getShape());
  std::fill(shape.begin() + 2, shape.end(), 1);
  types.push_back(RankedTensorType::get(shape, x.getElementType()));
  return success();
}

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  auto x = ranked(adaptor.getInput().getType());
  ArrayRef<int64_t> shape = adaptor.getShape();
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
    return fail(loc, "reshape target " + shapeStr(shape) +
                         " has negative dimensions");
  std::optional<int64_t> count = checkedProduct(shape);
  if (!count || *count != x.getNumElements())
    return fail(loc, "reshape from " + shapeStr(x.getShape()) + " to " +
                         shapeStr(shape) + " changes the element count");
  types.push_back(RankedTensorType::get(shape, x.getElementType()));
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *ctx,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  auto x = ranked(adaptor.getInput().getType());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  SmallVector<bool> seen(x.getRank(), false);
  if (static_cast<int64_t>(perm.size()) != x.getRank())
    return fail(loc, "transpose perm " + shapeStr(perm) +
                         " does not match rank " + Twine(x.getRank()));
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= x.getRank() || seen[p])
      return fail(loc,
                  "transpose perm " + shapeStr(perm) + " is not a permutation");
    seen[p] = true;
    shape.push_back(x.getDimSize(p));
  }
  types.push_back(RankedTensorType::get(shape, x.getElementType()));
  return success();
}

LogicalResult InterleaveOp::inferReturnTypes(MLIRContext *ctx,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return fail(loc, "interleave needs at least one input");
  auto first = ranked(inputs.front().getType());
  if (first.getRank() < 2)
    return fail(loc, "interleave inputs need a channel axis (rank >= 2)");
  for (Value v : inputs)
    if (v.getType() != first)
      return fail(loc, "interleave inputs must share one type");
  SmallVector<int64_t> shape(first.getShape());
  shape[1] *= int64_t(inputs.size());
  types.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return fail(loc, "concat needs at least one input");
  auto first = ranked(inputs.front().getType());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= first.getRank())
    return fail(loc, "concat axis " + Twine(axis) + " is outside rank " +
                         Twine(first.getRank()));
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (Value v : inputs) {
    auto t = ranked(v.getType());
    if (t.getRank() != first.getRank() ||
        t.getElementType() != first.getElementType())
      return fail(loc, "concat inputs must share rank and element type");
    for (int64_t d = 0; d < t.getRank(); ++d)
      if (d != axis && t.getDimSize(d) != first.getDimSize(d))
        return fail(loc, "concat input " + shapeStr(t.getShape()) +
                             " differs from " + shapeStr(first.getShape()) +
                             " outside axis " + Twine(axis));
    shape[axis] += t.getDimSize(axis);
  }
  types.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

/// The shape a reduction over sorted, distinct `axes` leaves.
template <typename Adaptor>
static LogicalResult inferReduced(MLIRContext *ctx, std::optional<Location> loc,
                                  Adaptor adaptor, StringRef name,
                                  SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  auto x = ranked(adaptor.getInput().getType());
  ArrayRef<int64_t> axes = adaptor.getAxes();
  SmallVector<int64_t> shape;
  size_t next = 0;
  for (int64_t d = 0; d < x.getRank(); ++d) {
    if (next < axes.size() && axes[next] == d) {
      ++next;
      if (adaptor.getKeepdims())
        shape.push_back(1);
      continue;
    }
    shape.push_back(x.getDimSize(d));
  }
  if (next != axes.size())
    return fail(loc, name + " axes " + shapeStr(axes) +
                         " are not sorted, distinct axes of rank " +
                         Twine(x.getRank()));
  types.push_back(RankedTensorType::get(shape, x.getElementType()));
  return success();
}

LogicalResult ReduceMeanOp::inferReturnTypes(MLIRContext *ctx,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  return inferReduced(ctx, loc, adaptor, "reduce_mean", types);
}

LogicalResult ReduceMaxOp::inferReturnTypes(MLIRContext *ctx,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferReduced(ctx, loc, adaptor, "reduce_max", types);
}

LogicalResult ReduceMinOp::inferReturnTypes(MLIRContext *ctx,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferReduced(ctx, loc, adaptor, "reduce_min", types);
}

LogicalResult ArgMaxOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  auto x = ranked(adaptor.getInput().getType());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= x.getRank())
    return fail(loc, "arg_max axis " + Twine(axis) + " is outside rank " +
                         Twine(x.getRank()));
  if (x.getDimSize(axis) == 0)
    return fail(loc, "arg_max of an empty axis");
  SmallVector<int64_t> shape(x.getShape());
  if (adaptor.getKeepdims())
    shape[axis] = 1;
  else
    shape.erase(shape.begin() + axis);
  types.push_back(RankedTensorType::get(shape, x.getElementType()));
  return success();
}

LogicalResult ResizeOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  auto x = ranked(adaptor.getInput().getType());
  int64_t rank = x.getRank();
  ArrayRef<int64_t> sizes = adaptor.getSizes();
  if (int64_t(sizes.size()) != rank ||
      int64_t(adaptor.getCoordScale().size()) != rank ||
      int64_t(adaptor.getCoordOffset().size()) != rank)
    return fail(loc, "resize needs sizes, coord_scale and coord_offset for "
                     "each of the " +
                         Twine(rank) + " axes");
  for (int64_t d = 0; d < rank; ++d) {
    if (sizes[d] < 0 || sizes[d] > kMaxWindowParam ||
        (sizes[d] > 0 && x.getDimSize(d) == 0))
      return fail(loc, "resize cannot make axis " + Twine(d) + " of size " +
                           Twine(x.getDimSize(d)) + " " + Twine(sizes[d]) +
                           " long");
    if (!std::isfinite(adaptor.getCoordScale()[d]) ||
        !std::isfinite(adaptor.getCoordOffset()[d]))
      return fail(loc,
                  "resize coordinates of axis " + Twine(d) + " are not finite");
  }
  StringRef mode = adaptor.getMode(), nearest = adaptor.getNearestMode();
  if (mode != "nearest" && mode != "linear")
    return fail(loc, "resize mode '" + mode + "' is not nearest or linear");
  if (nearest != "round_prefer_floor" && nearest != "round_prefer_ceil" &&
      nearest != "floor" && nearest != "ceil")
    return fail(loc, "resize nearest_mode '" + nearest + "' is unknown");
  types.push_back(RankedTensorType::get(sizes, x.getElementType()));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *ctx,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  auto x = ranked(adaptor.getInput().getType());
  ArrayRef<int64_t> starts = adaptor.getStarts(), sizes = adaptor.getSizes(),
                    steps = adaptor.getSteps();
  int64_t rank = x.getRank();
  if (int64_t(starts.size()) != rank || int64_t(sizes.size()) != rank ||
      int64_t(steps.size()) != rank)
    return fail(loc, "slice needs starts, sizes and steps for each of the " +
                         Twine(rank) + " axes");
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = x.getDimSize(d);
    if (steps[d] == 0 || steps[d] < -kMaxWindowParam ||
        steps[d] > kMaxWindowParam || sizes[d] < 0 || sizes[d] > dim)
      return fail(loc, "slice of axis " + Twine(d) + " (size " + Twine(dim) +
                           ") has step " + Twine(steps[d]) + " and size " +
                           Twine(sizes[d]));
    if (sizes[d] == 0)
      continue;
    if (starts[d] < 0 || starts[d] >= dim)
      return fail(loc, "slice of axis " + Twine(d) + " starts at " +
                           Twine(starts[d]) + ", outside [0, " + Twine(dim) +
                           ")");
    // The walk (size - 1) * |step| is bounded before it is added to the
    // checked start, so nothing overflows.
    std::optional<int64_t> walk = checkedProduct(
        {sizes[d] - 1, steps[d] < 0 ? -steps[d] : steps[d]}, dim);
    int64_t last = !walk          ? -1
                   : steps[d] > 0 ? starts[d] + *walk
                                  : starts[d] - *walk;
    if (last < 0 || last >= dim)
      return fail(loc, "slice of axis " + Twine(d) + " reads indices " +
                           Twine(starts[d]) + " to " + Twine(last) +
                           " outside [0, " + Twine(dim) + ")");
  }
  types.push_back(RankedTensorType::get(sizes, x.getElementType()));
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *ctx,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  if (failed(verifyAdaptor(ctx, loc, adaptor)))
    return failure();
  auto x = ranked(adaptor.getInput().getType());
  ArrayRef<int64_t> pads = adaptor.getPads();
  int64_t rank = x.getRank();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return fail(loc, "pad needs " + Twine(2 * rank) + " pads, got " +
                         Twine(pads.size()));
  bool copiesBorder = adaptor.getMode() != PadMode::constant;
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    if (std::abs(pads[d]) > kMaxWindowParam ||
        std::abs(pads[rank + d]) > kMaxWindowParam)
      return fail(loc, "pad amounts must be below 2^31");
    int64_t n = x.getDimSize(d) + pads[d] + pads[rank + d];
    if (n < 0)
      return fail(loc, "pad crops axis " + Twine(d) + " below zero");
    bool grows = pads[d] > 0 || pads[rank + d] > 0;
    if (copiesBorder && grows && x.getDimSize(d) == 0)
      return fail(loc, "pad mode " + stringifyPadMode(adaptor.getMode()) +
                           " cannot pad empty axis " + Twine(d));
    shape.push_back(n);
  }
  types.push_back(RankedTensorType::get(shape, x.getElementType()));
  return success();
}

/// Softmax's and LogSoftmax's axis: one of the input's.
static LogicalResult verifyNormalizedAxis(Operation *op, TensorType input,
                                          int64_t axis) {
  if (axis < 0 || axis >= input.getRank())
    return op->emitOpError("axis ")
           << axis << " is outside rank " << input.getRank();
  return success();
}

LogicalResult SoftmaxOp::verify() {
  return verifyNormalizedAxis(*this, getInput().getType(), getAxis());
}

LogicalResult LogSoftmaxOp::verify() {
  return verifyNormalizedAxis(*this, getInput().getType(), getAxis());
}

#define GET_OP_CLASSES
#include "escalate/Dialect/Escalate/IR/EscalateOps.cpp.inc"
