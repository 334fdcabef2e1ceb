//===- OnnxOps.cpp - one handler per supported ONNX operator --------------===//
//
// Handlers normalise ONNX's per-opset forms (attributes that became inputs,
// changed defaults, auto_pad) into the escalate dialect's single form.
//
//===----------------------------------------------------------------------===//
#include "ImporterImpl.h"
#include <cmath>
#include <limits>

using namespace mlir;
using namespace escalate;
using namespace escalate::onnx_import;

namespace {
RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

NamedAttribute named(NodeImporter &n, StringRef name, Attribute a) {
  return n.b.getNamedAttr(name, a);
}
NamedAttribute ints(NodeImporter &n, StringRef name, ArrayRef<int64_t> v) {
  return named(n, name, n.b.getDenseI64ArrayAttr(v));
}
NamedAttribute f32(NodeImporter &n, StringRef name, float v) {
  return named(n, name, n.b.getF32FloatAttr(v));
}
NamedAttribute i64(NodeImporter &n, StringRef name, int64_t v) {
  return named(n, name, n.b.getI64IntegerAttr(v));
}
NamedAttribute boolean(NodeImporter &n, StringRef name, bool v) {
  return named(n, name, n.b.getBoolAttr(v));
}

/// Creates the op and records it as the node's only output.
template <typename OpTy>
LogicalResult emit(NodeImporter &n, ValueRange operands,
                   ArrayRef<NamedAttribute> attrs = {}) {
  FailureOr<Value> v = n.create<OpTy>(operands, attrs);
  if (failed(v))
    return failure();
  n.setResult(0, *v);
  return success();
}

/// Normalises a possibly negative axis into [0, rank).
/// `v` reshaped to `rank` axes with its own starting at `axis` and ones
/// around them, so numpy broadcasting lines it up as the forms before
/// opset 7 did (legacy broadcast, PRelu's per-channel slope).
FailureOr<Value> alignAxes(NodeImporter &n, Value v, int64_t axis,
                           int64_t rank) {
  SmallVector<int64_t> shape(axis, 1);
  llvm::append_range(shape, typeOf(v).getShape());
  shape.resize(rank, 1);
  return n.create<ReshapeOp>({v}, {ints(n, "shape", shape)});
}

FailureOr<int64_t> axisIn(NodeImporter &n, int64_t axis, int64_t rank,
                          StringRef what = "axis") {
  int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) {
    n.error() << what << " " << axis << " is outside rank " << rank;
    return failure();
  }
  return a;
}

/// Spatial window attributes shared by Conv and the pools, with auto_pad
/// resolved into explicit pads for the static input shape.
struct WindowAttrs {
  SmallVector<int64_t> kernel, strides, dilations, pads;
};

FailureOr<WindowAttrs> windowAttrs(NodeImporter &n, ArrayRef<int64_t> inSpatial,
                                   ArrayRef<int64_t> kernel) {
  size_t nsp = inSpatial.size();
  WindowAttrs w;
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides = n.getInts("strides").value_or(SmallVector<int64_t>(nsp, 1));
  w.dilations = n.getInts("dilations").value_or(SmallVector<int64_t>(nsp, 1));
  if (w.kernel.size() != nsp || w.strides.size() != nsp ||
      w.dilations.size() != nsp) {
    n.error() << "kernel_shape, strides and dilations need " << nsp
              << " entries for a " << nsp << "-D input";
    return failure();
  }
  for (size_t i = 0; i < nsp; ++i)
    if (w.strides[i] < 1 || w.dilations[i] < 1 || w.kernel[i] < 1) {
      n.error() << "kernel_shape, strides and dilations must be >= 1";
      return failure();
    }
  std::string autoPad = n.getString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    w.pads = n.getInts("pads").value_or(SmallVector<int64_t>(2 * nsp, 0));
    if (w.pads.size() != 2 * nsp) {
      n.error() << "pads needs " << 2 * nsp << " entries, got "
                << w.pads.size();
      return failure();
    }
  } else if (autoPad == "VALID") {
    w.pads.assign(2 * nsp, 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    // Output = ceil(in / stride); the odd pad goes at the end for
    // SAME_UPPER and at the beginning for SAME_LOWER.
    w.pads.assign(2 * nsp, 0);
    for (size_t i = 0; i < nsp; ++i) {
      int64_t out = (inSpatial[i] + w.strides[i] - 1) / w.strides[i];
      int64_t span = (w.kernel[i] - 1) * w.dilations[i] + 1;
      int64_t total =
          std::max<int64_t>(0, (out - 1) * w.strides[i] + span - inSpatial[i]);
      int64_t begin = autoPad == "SAME_UPPER" ? total / 2 : (total + 1) / 2;
      w.pads[i] = begin;
      w.pads[nsp + i] = total - begin;
    }
  } else {
    n.error() << "auto_pad '" << autoPad << "' is not one of NOTSET, VALID, "
              << "SAME_UPPER, SAME_LOWER";
    return failure();
  }
  return w;
}

LogicalResult importConv(NodeImporter &n) {
  if (failed(n.checkArity(2, 3)))
    return failure();
  FailureOr<SmallVector<NamedAttribute>> attrs =
      convAttributes(n, typeOf(n.input(0)), typeOf(n.input(1)));
  if (failed(attrs))
    return failure();
  SmallVector<Value> operands = {n.input(0), n.input(1)};
  if (n.input(2))
    operands.push_back(n.input(2));
  return emit<ConvOp>(n, operands, *attrs);
}

/// ConvTranspose: output_shape and auto_pad become explicit pads (ONNX's
/// rule: SAME_UPPER puts the smaller half first, the others the larger).
LogicalResult importConvTranspose(NodeImporter &n) {
  if (failed(n.checkArity(2, 3)))
    return failure();
  auto x = typeOf(n.input(0)), w = typeOf(n.input(1));
  if (x.getRank() < 3 || w.getRank() != x.getRank()) {
    n.error() << "input and weight must be N x C x spatial... of equal rank";
    return failure();
  }
  size_t nsp = x.getRank() - 2;
  ArrayRef<int64_t> in = x.getShape().drop_front(2),
                    kernel = w.getShape().drop_front(2);
  auto list = [&](StringRef name, int64_t dflt) {
    return n.getInts(name).value_or(SmallVector<int64_t>(nsp, dflt));
  };
  SmallVector<int64_t> strides = list("strides", 1),
                       dilations = list("dilations", 1),
                       extra = list("output_padding", 0),
                       pads = n.getInts("pads").value_or(
                           SmallVector<int64_t>(2 * nsp, 0));
  if (strides.size() != nsp || dilations.size() != nsp || extra.size() != nsp ||
      pads.size() != 2 * nsp) {
    n.error() << "strides, dilations, output_padding and pads must cover the "
              << nsp << " spatial axes";
    return failure();
  }
  // Bounded first, so the pad arithmetic below cannot overflow.
  for (size_t i = 0; i < nsp; ++i)
    for (int64_t v : {in[i], kernel[i], strides[i], dilations[i], extra[i]})
      if (v < 0 || v > INT32_MAX) {
        n.error() << "sizes and window parameters must be in [0, 2^31)";
        return failure();
      }
  std::string autoPad = n.getString("auto_pad", "NOTSET");
  std::optional<SmallVector<int64_t>> outShape = n.getInts("output_shape");
  if (outShape && outShape->size() == nsp + 2)
    outShape->erase(outShape->begin(), outShape->begin() + 2);
  if (!outShape && (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER")) {
    outShape.emplace();
    for (size_t i = 0; i < nsp; ++i)
      outShape->push_back(in[i] * strides[i]);
  }
  if (autoPad == "VALID")
    pads.assign(2 * nsp, 0);
  if (outShape) {
    if (outShape->size() != nsp) {
      n.error() << "output_shape must give the " << nsp << " spatial sizes";
      return failure();
    }
    for (size_t i = 0; i < nsp; ++i) {
      if ((*outShape)[i] < 0 || (*outShape)[i] > INT32_MAX) {
        n.error() << "output_shape " << (*outShape)[i]
                  << " is outside [0, 2^31)";
        return failure();
      }
      int64_t total = strides[i] * (in[i] - 1) + extra[i] +
                      (kernel[i] - 1) * dilations[i] + 1 - (*outShape)[i];
      if (total < 0) {
        // A longer output than the full transposed conv: the extra end
        // positions hold the bias alone (as ONNX Runtime computes it).
        extra[i] -= total;
        total = 0;
      }
      bool upper = autoPad == "SAME_UPPER";
      pads[i] = upper ? total / 2 : total - total / 2;
      pads[nsp + i] = upper ? total - total / 2 : total / 2;
    }
  }
  SmallVector<Value> operands = {n.input(0), n.input(1)};
  if (n.input(2))
    operands.push_back(n.input(2));
  return emit<ConvTransposeOp>(
      n, operands,
      {ints(n, "strides", strides), ints(n, "dilations", dilations),
       ints(n, "pads", pads), ints(n, "output_padding", extra),
       i64(n, "group", n.getInt("group", 1))});
}

template <typename PoolOp> LogicalResult importPool(NodeImporter &n) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  auto x = typeOf(n.input(0));
  std::optional<SmallVector<int64_t>> kernel = n.getInts("kernel_shape");
  if (!kernel || x.getRank() < 3) {
    n.error() << "needs kernel_shape and an N x C x spatial... input";
    return failure();
  }
  FailureOr<WindowAttrs> win =
      windowAttrs(n, x.getShape().drop_front(2), *kernel);
  if (failed(win))
    return failure();
  SmallVector<NamedAttribute> attrs = {
      ints(n, "kernel_shape", win->kernel), ints(n, "strides", win->strides),
      ints(n, "dilations", win->dilations), ints(n, "pads", win->pads),
      boolean(n, "ceil_mode", n.getInt("ceil_mode", 0))};
  if constexpr (std::is_same_v<PoolOp, AveragePoolOp>)
    attrs.push_back(
        boolean(n, "count_include_pad", n.getInt("count_include_pad", 0)));
  return emit<PoolOp>(n, {n.input(0)}, attrs);
}

LogicalResult importGemm(NodeImporter &n) {
  if (failed(n.checkArity(2, 3)))
    return failure();
  SmallVector<Value> operands = {n.input(0), n.input(1)};
  if (n.input(2))
    operands.push_back(n.input(2));
  return emit<GemmOp>(n, operands,
                      {f32(n, "alpha", n.getFloat("alpha", 1.0f)),
                       f32(n, "beta", n.getFloat("beta", 1.0f)),
                       boolean(n, "trans_a", n.getInt("transA", 0)),
                       boolean(n, "trans_b", n.getInt("transB", 0))});
}

LogicalResult importBatchNorm(NodeImporter &n) {
  if (failed(n.checkArity(5, 5)))
    return failure();
  if (n.getInt("training_mode", 0)) {
    n.unsupported() << "training_mode is not supported (inference only)";
    return failure();
  }
  if (n.opset < 9 && !n.getInt("spatial", 1)) {
    n.unsupported() << "spatial=0 (per-element statistics) is not supported";
    return failure();
  }
  return emit<BatchNormOp>(n, ValueRange(n.inputs).take_front(5),
                           {f32(n, "epsilon", n.getFloat("epsilon", 1e-5f))});
}

/// While it lives, ops are created with the location "NODE/STEP" (NODE the
/// node's name), so each step of a node imported as several ops is a layer
/// of its own in the compile summary and the reports.
class StepName {
public:
  StepName(NodeImporter &n, const Twine &step) : n(n), saved(n.loc) {
    StringRef base = "node";
    if (auto name = dyn_cast<NameLoc>(saved))
      base = name.getName().strref();
    n.loc = NameLoc::get(n.b.getStringAttr(base + "/" + step), saved);
  }
  ~StepName() { n.loc = saved; }

private:
  NodeImporter &n;
  Location saved;
};

/// The steps of a normalisation: with `mean` the statistic over the
/// normalised axes (kept as size 1), mu = mean(x), d = x - mu,
/// sigma = sqrt(mean(d * d) + epsilon) and y = d / sigma.
struct Standardized {
  Value mu, sigma, y;
};
FailureOr<Standardized>
standardize(NodeImporter &n, Value x,
            llvm::function_ref<FailureOr<Value>(Value)> mean, float epsilon) {
  auto step = [&](const char *name, auto create) {
    StepName scope(n, name);
    return create();
  };
  FailureOr<Value> mu = step("mean", [&] { return mean(x); });
  if (failed(mu))
    return failure();
  FailureOr<Value> centred = step("centre", [&] {
    return n.create<SubOp>({x, *mu}, {});
  });
  if (failed(centred))
    return failure();
  FailureOr<Value> squares = step("square", [&] {
    return n.create<MulOp>({*centred, *centred}, {});
  });
  if (failed(squares))
    return failure();
  FailureOr<Value> var = step("variance", [&] { return mean(*squares); });
  if (failed(var))
    return failure();
  auto scalar = RankedTensorType::get({}, n.b.getF32Type());
  FailureOr<Value> eps = step("epsilon", [&] {
    return n.create<ConstantOp>(
        {}, {named(n, "value", DenseElementsAttr::get(scalar, epsilon))});
  });
  if (failed(eps))
    return failure();
  FailureOr<Value> shifted = step("shift", [&] {
    return n.create<AddOp>({*var, *eps}, {});
  });
  if (failed(shifted))
    return failure();
  FailureOr<Value> sigma =
      step("std", [&] { return n.create<SqrtOp>({*shifted}, {}); });
  if (failed(sigma))
    return failure();
  FailureOr<Value> y = step("normalize", [&] {
    return n.create<DivOp>({*centred, *sigma}, {});
  });
  if (failed(y))
    return failure();
  return Standardized{*mu, *sigma, *y};
}

/// LayerNormalization (opset 17) as its definition: the mean and variance
/// over the axes from `axis` on, (x - mean) / sqrt(var + epsilon), then
/// scale and bias (broadcast over the leading axes); the optional Mean and
/// InvStdDev outputs are those intermediate values.
LogicalResult importLayerNorm(NodeImporter &n) {
  if (failed(n.checkArity(2, 3, /*maxOutputs=*/3)))
    return failure();
  auto x = typeOf(n.input(0));
  FailureOr<int64_t> axis = axisIn(n, n.getInt("axis", -1), x.getRank());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> axes;
  for (int64_t d = *axis; d < x.getRank(); ++d)
    axes.push_back(d);
  auto mean = [&](Value v) {
    return n.create<ReduceMeanOp>(
        {v}, {ints(n, "axes", axes), boolean(n, "keepdims", true)});
  };
  FailureOr<Standardized> st =
      standardize(n, n.input(0), mean, n.getFloat("epsilon", 1e-5f));
  if (failed(st))
    return failure();
  FailureOr<Value> y = failure();
  {
    std::optional<StepName> scope;
    if (n.input(2))
      scope.emplace(n, "scale");
    y = n.create<MulOp>({st->y, n.input(1)}, {});
  }
  if (failed(y))
    return failure();
  if (n.input(2)) {
    y = n.create<AddOp>({*y, n.input(2)}, {});
    if (failed(y))
      return failure();
  }
  n.setResult(0, *y);
  n.setResult(1, st->mu);
  if (n.node.output_size() > 2 && !n.node.output(2).empty()) {
    StepName scope(n, "inv_std");
    auto one = RankedTensorType::get({}, n.b.getF32Type());
    FailureOr<Value> k = n.create<ConstantOp>(
        {}, {named(n, "value", DenseElementsAttr::get(one, 1.0f))});
    if (failed(k))
      return failure();
    FailureOr<Value> inv = n.create<DivOp>({*k, st->sigma}, {});
    if (failed(inv))
      return failure();
    n.setResult(2, *inv);
  }
  return success();
}

/// InstanceNormalization as its definition: per image and channel, the
/// mean and variance over the spatial axes (global average pools, which
/// the accelerator runs), then the per-channel scale and bias.
LogicalResult importInstanceNorm(NodeImporter &n) {
  if (failed(n.checkArity(3, 3)))
    return failure();
  int64_t rank = typeOf(n.input(0)).getRank();
  if (rank < 3) {
    n.error() << "needs an input of rank 3 or more (N x C x spatial axes)";
    return failure();
  }
  auto mean = [&](Value v) { return n.create<GlobalAveragePoolOp>({v}, {}); };
  FailureOr<Standardized> st =
      standardize(n, n.input(0), mean, n.getFloat("epsilon", 1e-5f));
  if (failed(st))
    return failure();
  FailureOr<Value> y = failure();
  {
    StepName scope(n, "scale");
    FailureOr<Value> scale = alignAxes(n, n.input(1), 1, rank);
    if (failed(scale))
      return failure();
    y = n.create<MulOp>({st->y, *scale}, {});
  }
  FailureOr<Value> bias = alignAxes(n, n.input(2), 1, rank);
  if (failed(y) || failed(bias))
    return failure();
  return emit<AddOp>(n, {*y, *bias});
}

/// PRelu: from opset 7 the slope broadcasts to X as numpy does; before, a
/// slope of C values is per channel (axis 1).
LogicalResult importPRelu(NodeImporter &n) {
  if (failed(n.checkArity(2, 2)))
    return failure();
  Value slope = n.input(1);
  auto x = typeOf(n.input(0)), s = typeOf(slope);
  if (n.opset < 7 && s.getRank() == 1 && x.getRank() > 2 &&
      s.getDimSize(0) > 1 && s.getDimSize(0) == x.getDimSize(1)) {
    FailureOr<Value> perChannel = alignAxes(n, slope, 1, x.getRank());
    if (failed(perChannel))
      return failure();
    slope = *perChannel;
  }
  return emit<PReluOp>(n, {n.input(0), slope});
}

/// Split into consecutive slices along `axis`: sizes from the `split`
/// attribute (before opset 13) or input, else equal parts (the last one
/// smaller from opset 18, with num_outputs).
LogicalResult importSplit(NodeImporter &n) {
  if (failed(n.checkArity(1, 2, std::numeric_limits<int>::max())))
    return failure();
  auto x = typeOf(n.input(0));
  FailureOr<int64_t> axis = axisIn(n, n.getInt("axis", 0), x.getRank());
  if (failed(axis))
    return failure();
  int64_t dim = x.getDimSize(*axis), parts = n.node.output_size();
  SmallVector<int64_t> sizes;
  // Opset 1 took the sizes as an attribute or an input; 2 to 12 as an
  // attribute; 13 on as an input.
  if (n.opset < 13 && !(n.opset == 1 && n.input(1))) {
    sizes = n.getInts("split").value_or(SmallVector<int64_t>());
  } else if (n.input(1)) {
    FailureOr<SmallVector<int64_t>> given = n.constInts(1, "split");
    if (failed(given))
      return failure();
    sizes = *given;
  }
  if (sizes.empty()) {
    int64_t each = parts ? (dim + parts - 1) / parts : 0;
    if (n.opset < 18 && parts && dim % parts) {
      n.error() << "axis of size " << dim << " does not split into " << parts
                << " equal parts";
      return failure();
    }
    for (int64_t i = 0, left = dim; i < parts; ++i, left -= each)
      sizes.push_back(std::max<int64_t>(0, std::min(each, left)));
  }
  // Each size is checked before it is added, so the sum cannot overflow.
  int64_t total = 0;
  bool outside = false;
  for (int64_t s : sizes) {
    outside |= s < 0 || s > dim - total;
    if (outside)
      break;
    total += s;
  }
  if (outside || int64_t(sizes.size()) != parts || total != dim) {
    n.error() << "split sizes do not cover the axis of size " << dim << " in "
              << parts << " outputs";
    return failure();
  }
  int64_t start = 0;
  for (auto [i, size] : llvm::enumerate(sizes)) {
    SmallVector<int64_t> starts(x.getRank(), 0), shape(x.getShape()),
        steps(x.getRank(), 1);
    starts[*axis] = size ? start : 0;
    shape[*axis] = size;
    FailureOr<Value> part = n.create<SliceOp>(
        {n.input(0)}, {ints(n, "starts", starts), ints(n, "sizes", shape),
                       ints(n, "steps", steps)});
    if (failed(part))
      return failure();
    n.setResult(i, *part);
    start += size;
  }
  return success();
}

/// GlobalMaxPool is a max pool whose window is the whole map.
LogicalResult importGlobalMaxPool(NodeImporter &n) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  auto x = typeOf(n.input(0));
  if (x.getRank() < 3) {
    n.error() << "needs an N x C x spatial... input";
    return failure();
  }
  int64_t nsp = x.getRank() - 2;
  ArrayRef<int64_t> spatial = x.getShape().drop_front(2);
  return emit<MaxPoolOp>(n, {n.input(0)},
                         {ints(n, "kernel_shape", spatial),
                          ints(n, "strides", SmallVector<int64_t>(nsp, 1)),
                          ints(n, "dilations", SmallVector<int64_t>(nsp, 1)),
                          ints(n, "pads", SmallVector<int64_t>(2 * nsp, 0)),
                          boolean(n, "ceil_mode", false)});
}

template <typename OpTy> LogicalResult importUnary(NodeImporter &n) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  return emit<OpTy>(n, {n.input(0)});
}

/// Before opset 7, Add/Sub/Mul/Div broadcast only with `broadcast` = 1, and
/// then B's axes line up with A's from `axis` on (the trailing axes by
/// default): B is reshaped so numpy broadcasting does the same.
template <typename OpTy> LogicalResult importBinary(NodeImporter &n) {
  if (failed(n.checkArity(2, 2)))
    return failure();
  Value rhs = n.input(1);
  if (n.opset < 7 && n.getInt("broadcast", 0)) {
    auto a = typeOf(n.input(0)), bt = typeOf(rhs);
    int64_t given = n.getInt("axis", a.getRank() - bt.getRank());
    int64_t axis = given < 0 ? given + a.getRank() : given;
    if (axis < 0 || axis > a.getRank() - bt.getRank()) {
      n.error() << "broadcast axis " << given << " does not fit "
                << bt.getRank() << " axes of B into " << a.getRank();
      return failure();
    }
    FailureOr<Value> aligned = alignAxes(n, rhs, axis, a.getRank());
    if (failed(aligned))
      return failure();
    rhs = *aligned;
  }
  return emit<OpTy>(n, {n.input(0), rhs});
}

/// Max, Min and Sum of any number of inputs (numpy broadcasting since
/// opset 8, equal shapes before): a chain of the binary op, left to right;
/// of one input, that input. The steps are named "NAME/1", "NAME/2", ...
/// (each is a layer of its own), the last one the node itself unless
/// `lastIsStep` (Mean's sum, which a scaling follows).
template <typename OpTy>
FailureOr<Value> chainInputs(NodeImporter &n, bool lastIsStep) {
  if (failed(n.checkArity(1, std::numeric_limits<int>::max())))
    return failure();
  Value acc = n.input(0);
  size_t e = n.node.input_size();
  for (size_t i = 1; i < e; ++i) {
    if (!n.input(i)) {
      n.error() << "input #" << i << " has an empty name";
      return failure();
    }
    std::optional<StepName> scope;
    if (i + 1 < e || lastIsStep)
      scope.emplace(n, Twine(i));
    FailureOr<Value> next = n.create<OpTy>({acc, n.input(i)}, {});
    if (failed(next))
      return failure();
    acc = *next;
  }
  return acc;
}

template <typename OpTy> LogicalResult importVariadic(NodeImporter &n) {
  FailureOr<Value> acc = chainInputs<OpTy>(n, /*lastIsStep=*/false);
  if (failed(acc))
    return failure();
  n.setResult(0, *acc);
  return success();
}

/// Mean of any number of inputs: their sum (as Sum) times 1 / count.
LogicalResult importMean(NodeImporter &n) {
  FailureOr<Value> sum = chainInputs<AddOp>(n, /*lastIsStep=*/true);
  if (failed(sum))
    return failure();
  int count = n.node.input_size();
  if (count == 1) {
    n.setResult(0, *sum);
    return success();
  }
  auto scalar = RankedTensorType::get({}, n.b.getF32Type());
  FailureOr<Value> inverse = n.create<ConstantOp>(
      {}, {named(n, "value", DenseElementsAttr::get(scalar, 1.0f / count))});
  if (failed(inverse))
    return failure();
  return emit<MulOp>(n, {*sum, *inverse});
}

/// Reciprocal(x) = 1 / x.
LogicalResult importReciprocal(NodeImporter &n) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  auto scalar = RankedTensorType::get({}, n.b.getF32Type());
  FailureOr<Value> one = n.create<ConstantOp>(
      {}, {named(n, "value", DenseElementsAttr::get(scalar, 1.0f))});
  if (failed(one))
    return failure();
  return emit<DivOp>(n, {*one, n.input(0)});
}

/// Cast. Floats are f32 here and integers (and booleans) i64: a computed
/// value cast to its own type passes through (a float to FLOAT, an integer
/// to an integer type); a constant (a weight, a folded Shape chain) is
/// converted at import (float to integer truncates toward zero, to BOOL
/// tests for nonzero, every float type is f32); a computed value cast to
/// another kind, a 16-bit float or a DOUBLE (whose arithmetic the
/// reference does not have) is unsupported.
LogicalResult importCast(NodeImporter &n) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  int64_t to = n.getInt("to", 0);
  // TensorProto.DataType: FLOAT 1, FLOAT16 10, DOUBLE 11, BFLOAT16 16.
  bool toFloat = to == 1 || to == 10 || to == 11 || to == 16;
  bool toBool = to == 9;
  bool toInt = toBool || (to >= 2 && to <= 7) || to == 12 || to == 13;
  if (!toFloat && !toInt) {
    n.unsupported() << "Cast to type " << to << " is not supported (float, "
                    << "integer and boolean types are)";
    return failure();
  }
  Value x = n.input(0);
  bool isFloat = typeOf(x).getElementType().isF32();
  FailureOr<Tensor> value = constantValue(x);
  // ArgMax's float indices are integers already.
  if (failed(value) && toInt && !toBool && x.getDefiningOp<ArgMaxOp>()) {
    n.setResult(0, x);
    return success();
  }
  if (failed(value)) {
    if (isFloat != toFloat || (toFloat && to != 1) || toBool) {
      n.unsupported() << "Cast of a computed tensor to type " << to
                      << " is not supported (only a float to FLOAT or an "
                      << "integer to an integer type)";
      return failure();
    }
    n.setResult(0, x);
    return success();
  }
  const Tensor &t = *value;
  Tensor out(toFloat ? DType::F32 : DType::I64, t.shape());
  for (int64_t i = 0, e = t.numElements(); i < e; ++i) {
    double v =
        t.dtype() == DType::F32 ? double(t.f32()[i]) : double(t.i64()[i]);
    if (toFloat)
      out.f32()[i] = t.dtype() == DType::F32 ? t.f32()[i] : float(t.i64()[i]);
    else if (toBool)
      out.i64()[i] = v != 0;
    else if (t.dtype() == DType::I64)
      out.i64()[i] = t.i64()[i];
    else if (std::isfinite(v) && std::fabs(v) < 9.2e18)
      out.i64()[i] = int64_t(std::trunc(v));
    else {
      n.error() << "Cast of " << v << " to an integer type overflows";
      return failure();
    }
  }
  Type element = toFloat ? Type(n.b.getF32Type()) : Type(n.b.getI64Type());
  auto type = RankedTensorType::get(t.shape(), element);
  DenseElementsAttr attr = toFloat ? DenseElementsAttr::get(type, out.f32())
                                   : DenseElementsAttr::get(type, out.i64());
  return emit<ConstantOp>(n, {}, {named(n, "value", attr)});
}

/// Expand(x, shape): x broadcast to `shape` (numpy rules, either side may
/// be 1), imported as x * ones of the result's shape, which is exact (and
/// x itself when nothing grows).
LogicalResult importExpand(NodeImporter &n) {
  if (failed(n.checkArity(2, 2)))
    return failure();
  FailureOr<SmallVector<int64_t>> shape = n.constInts(1, "shape");
  if (failed(shape))
    return failure();
  auto x = typeOf(n.input(0));
  size_t rank = std::max<size_t>(x.getRank(), shape->size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t a =
        i + x.getRank() >= rank ? x.getDimSize(i + x.getRank() - rank) : 1;
    int64_t b =
        i + shape->size() >= rank ? (*shape)[i + shape->size() - rank] : 1;
    if (a != b && a != 1 && b != 1) {
      n.error() << "shape does not broadcast with the input's: dimension " << i
                << " is " << a << " and " << b;
      return failure();
    }
    out[i] = a == 1 ? b : a;
  }
  if (ArrayRef<int64_t>(out) == x.getShape()) {
    n.setResult(0, n.input(0));
    return success();
  }
  Type element = x.getElementType();
  auto onesType = RankedTensorType::get(out, element);
  DenseElementsAttr ones = element.isF32()
                               ? DenseElementsAttr::get(onesType, 1.0f)
                               : DenseElementsAttr::get(onesType, APInt(64, 1));
  FailureOr<Value> one = n.create<ConstantOp>({}, {named(n, "value", ones)});
  if (failed(one))
    return failure();
  return emit<MulOp>(n, {n.input(0), *one});
}

/// Tile(x, repeats): along each axis with repeats r > 1, a concat of r
/// copies (of channels: placement; other axes: the host).
LogicalResult importTile(NodeImporter &n) {
  if (failed(n.checkArity(2, 2)))
    return failure();
  FailureOr<SmallVector<int64_t>> repeats = n.constInts(1, "repeats");
  if (failed(repeats))
    return failure();
  auto x = typeOf(n.input(0));
  if (int64_t(repeats->size()) != x.getRank() ||
      llvm::any_of(*repeats, [](int64_t r) { return r < 1; })) {
    n.error() << "repeats must hold one positive count per axis ("
              << x.getRank() << ")";
    return failure();
  }
  Value acc = n.input(0);
  for (auto [axis, r] : llvm::enumerate(*repeats)) {
    if (r == 1)
      continue;
    SmallVector<Value> copies(r, acc);
    FailureOr<Value> next =
        n.create<ConcatOp>(copies, {i64(n, "axis", int64_t(axis))});
    if (failed(next))
      return failure();
    acc = *next;
  }
  n.setResult(0, acc);
  return success();
}

/// ArgMax: the index as a float (escalate.arg_max); select_last_index
/// since opset 12.
LogicalResult importArgMax(NodeImporter &n) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  FailureOr<int64_t> axis =
      axisIn(n, n.getInt("axis", 0), typeOf(n.input(0)).getRank());
  if (failed(axis))
    return failure();
  return emit<ArgMaxOp>(
      n, {n.input(0)},
      {i64(n, "axis", *axis), boolean(n, "keepdims", n.getInt("keepdims", 1)),
       boolean(n, "select_last_index", n.getInt("select_last_index", 0))});
}

LogicalResult importLeakyRelu(NodeImporter &n) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  return emit<LeakyReluOp>(n, {n.input(0)},
                           {f32(n, "alpha", n.getFloat("alpha", 0.01f))});
}

/// An activation function with one float attribute and its default.
template <typename OpTy>
LogicalResult importAlpha(NodeImporter &n, float dflt) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  return emit<OpTy>(n, {n.input(0)},
                    {f32(n, "alpha", n.getFloat("alpha", dflt))});
}

LogicalResult importSelu(NodeImporter &n) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  return emit<SeluOp>(
      n, {n.input(0)},
      {f32(n, "alpha", n.getFloat("alpha", 1.67326319217681884765625f)),
       f32(n, "gamma", n.getFloat("gamma", 1.05070102214813232421875f))});
}

LogicalResult importCelu(NodeImporter &n) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  float alpha = n.getFloat("alpha", 1.0f);
  if (alpha == 0) {
    n.error() << "alpha must be nonzero";
    return failure();
  }
  return emit<CeluOp>(n, {n.input(0)}, {f32(n, "alpha", alpha)});
}

LogicalResult importHardSigmoid(NodeImporter &n) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  return emit<HardSigmoidOp>(n, {n.input(0)},
                             {f32(n, "alpha", n.getFloat("alpha", 0.2f)),
                              f32(n, "beta", n.getFloat("beta", 0.5f))});
}

LogicalResult importClip(NodeImporter &n) {
  if (failed(n.checkArity(1, 3)))
    return failure();
  float lo = std::numeric_limits<float>::lowest();
  float hi = std::numeric_limits<float>::max();
  if (n.opset < 11) {
    lo = n.getFloat("min", lo);
    hi = n.getFloat("max", hi);
  } else {
    // Since opset 11 the bounds are optional inputs.
    for (auto [i, bound] : llvm::enumerate(std::array<float *, 2>{&lo, &hi})) {
      if (!n.input(i + 1))
        continue;
      FailureOr<float> v = n.constScalar(i + 1, i ? "max" : "min");
      if (failed(v))
        return failure();
      *bound = *v;
    }
  }
  return emit<ClipOp>(n, {n.input(0)}, {f32(n, "min", lo), f32(n, "max", hi)});
}

LogicalResult reshapeTo(NodeImporter &n, Value input, ArrayRef<int64_t> shape) {
  return emit<ReshapeOp>(n, {input}, {ints(n, "shape", shape)});
}

LogicalResult importFlatten(NodeImporter &n) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  auto x = typeOf(n.input(0));
  int64_t axis = n.getInt("axis", 1);
  if (axis < 0)
    axis += x.getRank();
  if (axis < 0 || axis > x.getRank()) {
    n.error() << "axis " << n.getInt("axis", 1) << " is outside [0, "
              << x.getRank() << "]";
    return failure();
  }
  return reshapeTo(n, n.input(0),
                   {product(x.getShape().take_front(axis)),
                    product(x.getShape().drop_front(axis))});
}

LogicalResult importReshape(NodeImporter &n) {
  // Before opset 5 the shape is an attribute.
  bool attribute = n.opset < 5;
  if (failed(n.checkArity(attribute ? 1 : 2, attribute ? 1 : 2)))
    return failure();
  FailureOr<SmallVector<int64_t>> target =
      attribute ? FailureOr<SmallVector<int64_t>>(
                      n.getInts("shape").value_or(SmallVector<int64_t>()))
                : n.constInts(1, "shape");
  if (failed(target))
    return failure();
  auto x = typeOf(n.input(0));
  bool allowZero = n.getInt("allowzero", 0);
  if (allowZero && llvm::is_contained(*target, 0) &&
      llvm::is_contained(*target, -1)) {
    n.error() << "shape may not hold both 0 and -1 when allowzero=1";
    return failure();
  }
  SmallVector<int64_t> shape;
  int64_t inferred = -1, known = 1;
  for (auto [i, d] : llvm::enumerate(*target)) {
    if (d == 0 && !allowZero) {
      if (static_cast<int64_t>(i) >= x.getRank()) {
        n.error() << "shape entry " << i << " copies a dimension the input "
                  << "does not have";
        return failure();
      }
      d = x.getDimSize(i);
    }
    if (d == -1) {
      if (inferred >= 0) {
        n.error() << "shape has more than one -1";
        return failure();
      }
      inferred = i;
    } else if (d < -1) {
      n.error() << "shape entry " << d << " is invalid";
      return failure();
    } else {
      std::optional<int64_t> k = checkedProduct({known, d});
      if (!k) {
        n.error() << "shape overflows the element count";
        return failure();
      }
      known = *k;
    }
    shape.push_back(d);
  }
  if (inferred >= 0) {
    if (known == 0 || x.getNumElements() % known) {
      n.error() << "cannot infer the -1 entry: " << x.getNumElements()
                << " elements do not divide by " << known;
      return failure();
    }
    shape[inferred] = x.getNumElements() / known;
  }
  return reshapeTo(n, n.input(0), shape);
}

/// Squeeze/Unsqueeze axes: an attribute before opset 13, an input after.
FailureOr<std::optional<SmallVector<int64_t>>> axesOf(NodeImporter &n) {
  if (n.opset < 13)
    return n.getInts("axes");
  if (!n.input(1))
    return std::optional<SmallVector<int64_t>>();
  FailureOr<SmallVector<int64_t>> v = n.constInts(1, "axes");
  if (failed(v))
    return failure();
  return std::optional<SmallVector<int64_t>>(*v);
}

/// The mean a ReduceMean or ReduceSum node takes (its axes an attribute
/// before `axesInputOpset`, an input from then on), and how many elements
/// each output averages. Over every spatial axis of an N x C x spatial...
/// tensor (what `x.mean([2, 3])` exports, MnasNet's head) it is a global
/// average pool, which the accelerator runs; other axes are a reduce_mean.
/// With noop_with_empty_axes and no axes it is the input itself (count 1).
/// `step` names the mean's ops (StepName) when the node adds more.
/// Which axes a Reduce* node reduces (its axes an attribute before
/// `axesInputOpset`, an input from then on; none given: all), or nullopt
/// for a no-op (noop_with_empty_axes and no axes).
FailureOr<std::optional<SmallVector<bool>>>
reducedAxes(NodeImporter &n, int64_t axesInputOpset) {
  if (failed(n.checkArity(1, 2)))
    return failure();
  auto x = typeOf(n.input(0));
  std::optional<SmallVector<int64_t>> axes;
  if (n.opset < axesInputOpset) {
    axes = n.getInts("axes");
  } else if (n.input(1)) {
    FailureOr<SmallVector<int64_t>> v = n.constInts(1, "axes");
    if (failed(v))
      return failure();
    axes = *v;
  }
  if ((!axes || axes->empty()) && n.opset >= axesInputOpset &&
      n.getInt("noop_with_empty_axes", 0))
    return std::optional<SmallVector<bool>>();
  SmallVector<bool> reduced(x.getRank(), !axes || axes->empty());
  for (int64_t a : axes.value_or(SmallVector<int64_t>())) {
    FailureOr<int64_t> axis = axisIn(n, a, x.getRank());
    if (failed(axis))
      return failure();
    reduced[*axis] = true;
  }
  return std::optional<SmallVector<bool>>(std::move(reduced));
}

/// The reduced axes in order, as the reduce ops take them.
SmallVector<int64_t> sortedAxes(ArrayRef<bool> reduced) {
  SmallVector<int64_t> sorted;
  for (int64_t d = 0; d < int64_t(reduced.size()); ++d)
    if (reduced[d])
      sorted.push_back(d);
  return sorted;
}

FailureOr<std::pair<Value, int64_t>> reduceMeanOf(NodeImporter &n,
                                                  int64_t axesInputOpset,
                                                  const char *step = nullptr,
                                                  Value in = nullptr) {
  if (!in)
    in = n.input(0);
  FailureOr<std::optional<SmallVector<bool>>> axes =
      reducedAxes(n, axesInputOpset);
  if (failed(axes))
    return failure();
  if (!*axes)
    return std::pair(in, int64_t(1));
  auto x = typeOf(in);
  ArrayRef<bool> reduced = **axes;
  int64_t rank = x.getRank(), count = 1;
  for (int64_t d = 0; d < rank; ++d)
    if (reduced[d])
      count *= x.getDimSize(d);
  bool spatial =
      rank >= 3 && !reduced[0] && !reduced[1] &&
      llvm::all_of(ArrayRef(reduced).drop_front(2), [](bool r) { return r; });
  bool keep = n.getInt("keepdims", 1);
  std::optional<StepName> scope;
  if (step)
    scope.emplace(n, step);
  FailureOr<Value> mean = failure();
  if (!spatial) {
    mean = n.create<ReduceMeanOp>({in}, {ints(n, "axes", sortedAxes(reduced)),
                                         boolean(n, "keepdims", keep)});
  } else {
    mean = n.create<GlobalAveragePoolOp>({in}, {});
    if (succeeded(mean) && !keep)
      mean = n.create<ReshapeOp>(
          {*mean}, {ints(n, "shape", {x.getDimSize(0), x.getDimSize(1)})});
  }
  if (failed(mean))
    return failure();
  return std::pair(*mean, count);
}

/// ReduceMax and ReduceMin (axes an input from opset 18) on the host.
template <typename OpTy> LogicalResult importReduceExtremum(NodeImporter &n) {
  FailureOr<std::optional<SmallVector<bool>>> axes = reducedAxes(n, 18);
  if (failed(axes))
    return failure();
  if (!*axes) {
    n.setResult(0, n.input(0));
    return success();
  }
  return emit<OpTy>(n, {n.input(0)},
                    {ints(n, "axes", sortedAxes(**axes)),
                     boolean(n, "keepdims", n.getInt("keepdims", 1))});
}

LogicalResult importReduceMean(NodeImporter &n) {
  FailureOr<std::pair<Value, int64_t>> mean = reduceMeanOf(n, 18);
  if (failed(mean))
    return failure();
  n.setResult(0, mean->first);
  return success();
}

/// ReduceSum as count x the mean (ReduceMean's placement, then a product
/// by a constant, which folds into what follows or is a depthwise 1x1
/// conv); the mean accumulates in double, so the two roundings stay within
/// a few ulps of a float sum.
/// The sum of `in` over the node's axes: its mean times the element count
/// (the mean a step "mean" of the node, the product the node itself).
FailureOr<Value> reduceSumOf(NodeImporter &n, Value in,
                             int64_t axesInputOpset) {
  FailureOr<std::pair<Value, int64_t>> mean =
      reduceMeanOf(n, axesInputOpset, "mean", in);
  if (failed(mean))
    return failure();
  if (mean->second == 1)
    return mean->first;
  if (!typeOf(mean->first).getElementType().isF32()) {
    n.unsupported() << "a sum of an integer tensor is not supported";
    return failure();
  }
  auto scalar = RankedTensorType::get({}, n.b.getF32Type());
  FailureOr<Value> count = n.create<ConstantOp>(
      {},
      {named(n, "value", DenseElementsAttr::get(scalar, float(mean->second)))});
  if (failed(count))
    return failure();
  return n.create<MulOp>({mean->first, *count}, {});
}

LogicalResult importReduceSum(NodeImporter &n) {
  FailureOr<Value> sum = reduceSumOf(n, n.input(0), 13);
  if (failed(sum))
    return failure();
  n.setResult(0, *sum);
  return success();
}

/// ReduceSumSquare, ReduceL1, ReduceL2, ReduceLogSum and ReduceLogSumExp
/// as their definitions: an element-wise step (x * x, |x|, exp(x)), the
/// sum (as ReduceSum), then sqrt or log; each step a layer NODE/step. With
/// noop_with_empty_axes and no axes the sum is of one element.
enum class ReduceForm { SumSquare, L1, L2, LogSum, LogSumExp };
LogicalResult importReduceForm(NodeImporter &n, ReduceForm form) {
  if (failed(n.checkArity(1, 2)))
    return failure();
  Value x = n.input(0);
  FailureOr<Value> term = x;
  bool squares = form == ReduceForm::SumSquare || form == ReduceForm::L2;
  bool finish = form == ReduceForm::L2 || form == ReduceForm::LogSum ||
                form == ReduceForm::LogSumExp;
  {
    std::optional<StepName> scope;
    if (squares) {
      scope.emplace(n, "square");
      term = n.create<MulOp>({x, x}, {});
    } else if (form == ReduceForm::L1) {
      scope.emplace(n, "abs");
      term = n.create<AbsOp>({x}, {});
    } else if (form == ReduceForm::LogSumExp) {
      scope.emplace(n, "exp");
      term = n.create<ExpOp>({x}, {});
    }
  }
  if (failed(term))
    return failure();
  FailureOr<Value> sum = failure();
  {
    std::optional<StepName> scope;
    if (finish)
      scope.emplace(n, "sum");
    sum = reduceSumOf(n, *term, 18);
  }
  if (failed(sum))
    return failure();
  if (!finish) {
    n.setResult(0, *sum);
    return success();
  }
  if (form == ReduceForm::L2)
    return emit<SqrtOp>(n, {*sum});
  return emit<LogOp>(n, {*sum});
}

/// The scales of a Resize or Upsample: constant floats, one per axis.
FailureOr<SmallVector<double>> constScales(NodeImporter &n, size_t input) {
  FailureOr<Tensor> t = n.constInput(input, "scales");
  if (failed(t))
    return failure();
  if (t->dtype() != DType::F32) {
    n.error() << "scales (input #" << input << ") must be a float tensor";
    return failure();
  }
  return SmallVector<double>(t->f32().begin(), t->f32().end());
}

/// Emits escalate.resize for per-axis `scales` or output `sizes` (one of
/// them empty), ONNX `coordinateMode`, `mode` and `nearestMode`: each
/// coordinate transformation is an affine map of the output index, whose
/// slope and offset are computed here once.
LogicalResult emitResize(NodeImporter &n, ArrayRef<double> scales,
                         ArrayRef<int64_t> sizes, StringRef coordinateMode,
                         StringRef mode, StringRef nearestMode) {
  auto x = typeOf(n.input(0));
  int64_t rank = x.getRank();
  if (int64_t(scales.size() + sizes.size()) != rank) {
    n.error() << "needs one scale or size for each of the " << rank << " axes";
    return failure();
  }
  if (mode != "nearest" && mode != "linear") {
    n.unsupported() << "mode '" << mode << "' is not supported (nearest and "
                    << "linear are)";
    return failure();
  }
  SmallVector<int64_t> out;
  SmallVector<double> slope, offset;
  for (int64_t d = 0; d < rank; ++d) {
    double in = double(x.getDimSize(d)), scale;
    if (sizes.empty()) {
      scale = scales[d];
      if (!(scale > 0) || !std::isfinite(scale) ||
          std::floor(in * scale) > double(INT32_MAX)) {
        n.error() << "scale " << scale << " of axis " << d << " is invalid";
        return failure();
      }
      out.push_back(int64_t(std::floor(in * scale)));
    } else {
      out.push_back(sizes[d]);
      scale = in > 0 ? double(sizes[d]) / in : 1;
    }
    // align_corners divides by the resized length before flooring, in *
    // scale (ONNX's reference, ONNX Runtime); half_pixel_symmetric corrects
    // by the floored length over that one.
    double length = sizes.empty() ? in * scale : double(out.back());
    if (coordinateMode == "half_pixel" ||
        (coordinateMode == "pytorch_half_pixel" && out.back() > 1)) {
      slope.push_back(1 / scale);
      offset.push_back(0.5 / scale - 0.5);
    } else if (coordinateMode == "pytorch_half_pixel") {
      slope.push_back(0);
      offset.push_back(0);
    } else if (coordinateMode == "align_corners") {
      slope.push_back(length > 1 ? (in - 1) / (length - 1) : 0);
      offset.push_back(0);
    } else if (coordinateMode == "asymmetric") {
      slope.push_back(1 / scale);
      offset.push_back(0);
    } else if (coordinateMode == "tf_half_pixel_for_nn") {
      slope.push_back(1 / scale);
      offset.push_back(0.5 / scale);
    } else if (coordinateMode == "half_pixel_symmetric") {
      double adjustment = double(out.back()) / (scale * in);
      slope.push_back(1 / scale);
      offset.push_back(in / 2 * (1 - adjustment) + 0.5 / scale - 0.5);
    } else {
      n.unsupported() << "coordinate_transformation_mode '" << coordinateMode
                      << "' is not supported";
      return failure();
    }
  }
  Builder &b = n.b;
  return emit<ResizeOp>(
      n, {n.input(0)},
      {ints(n, "sizes", out),
       named(n, "coord_scale", b.getDenseF64ArrayAttr(slope)),
       named(n, "coord_offset", b.getDenseF64ArrayAttr(offset)),
       named(n, "mode", b.getStringAttr(mode)),
       named(n, "nearest_mode", b.getStringAttr(nearestMode))});
}

/// Upsample (opsets 7-9) and Resize before opset 11: scales only, the
/// asymmetric map, and ONNX Runtime's nearest rounding for these opsets
/// (truncation when enlarging, ceiling when shrinking).
LogicalResult importScalesOnlyResize(NodeImporter &n, size_t scalesInput) {
  SmallVector<double> scales;
  if (n.opset < 9) {
    if (failed(n.checkArity(1, 1)))
      return failure();
    if (const onnx::AttributeProto *a = n.attr("scales"))
      scales.assign(a->floats().begin(), a->floats().end());
  } else {
    if (failed(n.checkArity(2, 2)))
      return failure();
    FailureOr<SmallVector<double>> s = constScales(n, scalesInput);
    if (failed(s))
      return failure();
    scales = *s;
  }
  bool up = llvm::all_of(scales, [](double s) { return s >= 1; });
  bool down = llvm::all_of(scales, [](double s) { return s <= 1; });
  if (!up && !down) {
    n.unsupported() << "nearest rounding differs between axes that enlarge "
                       "and axes that shrink before opset 11";
    return failure();
  }
  return emitResize(n, scales, {}, "asymmetric", n.getString("mode", "nearest"),
                    up ? "floor" : "ceil");
}

LogicalResult importUpsample(NodeImporter &n) {
  return importScalesOnlyResize(n, 1);
}

/// Resize from opset 11: X, roi, scales, sizes (constant scales or sizes),
/// and from 18 the axes they cover. Cubic, tf_crop_and_resize, antialias
/// and aspect-ratio policies other than stretch are not supported.
LogicalResult importResize(NodeImporter &n) {
  if (n.opset < 11)
    return importScalesOnlyResize(n, 1);
  if (failed(n.checkArity(1, 4)))
    return failure();
  if (n.getInt("antialias", 0) ||
      n.getString("keep_aspect_ratio_policy", "stretch") != "stretch") {
    n.unsupported() << "antialias and keep_aspect_ratio_policy other than "
                       "stretch are not supported";
    return failure();
  }
  auto x = typeOf(n.input(0));
  int64_t rank = x.getRank();
  SmallVector<int64_t> axes;
  if (std::optional<SmallVector<int64_t>> given = n.getInts("axes")) {
    for (int64_t a : *given) {
      FailureOr<int64_t> axis = axisIn(n, a, rank);
      if (failed(axis))
        return failure();
      axes.push_back(*axis);
    }
  } else {
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  SmallVector<double> scales;
  SmallVector<int64_t> sizes;
  bool hasScales = false;
  if (n.input(2)) {
    FailureOr<SmallVector<double>> s = constScales(n, 2);
    if (failed(s))
      return failure();
    hasScales = !s->empty();
    scales = *s;
  }
  if (!hasScales) {
    FailureOr<SmallVector<int64_t>> s = n.constInts(3, "sizes");
    if (failed(s))
      return failure();
    sizes = *s;
  }
  size_t given = hasScales ? scales.size() : sizes.size();
  if (given != axes.size()) {
    n.error() << (hasScales ? "scales" : "sizes") << " has " << given
              << " entries for " << axes.size() << " axes";
    return failure();
  }
  // Axes not listed keep their size.
  SmallVector<double> allScales(rank, 1);
  SmallVector<int64_t> allSizes(x.getShape());
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (hasScales)
      allScales[axis] = scales[i];
    else
      allSizes[axis] = sizes[i];
  }
  return emitResize(
      n, hasScales ? ArrayRef<double>(allScales) : ArrayRef<double>(),
      hasScales ? ArrayRef<int64_t>() : ArrayRef<int64_t>(allSizes),
      n.getString("coordinate_transformation_mode", "half_pixel"),
      n.getString("mode", "nearest"),
      n.getString("nearest_mode", "round_prefer_floor"));
}

/// Slice: starts, ends and axes as attributes before opset 10, constant
/// inputs (with steps) from 10. Indices are resolved as ONNX does (negative
/// counts from the end, then clamped to the axis) into one start, size and
/// step per axis.
LogicalResult importSlice(NodeImporter &n) {
  bool asInputs = n.opset >= 10;
  if (failed(n.checkArity(asInputs ? 3 : 1, asInputs ? 5 : 1)))
    return failure();
  auto x = typeOf(n.input(0));
  int64_t rank = x.getRank();
  auto list =
      [&](size_t input,
          StringRef name) -> FailureOr<std::optional<SmallVector<int64_t>>> {
    if (!asInputs)
      return n.getInts(name);
    if (!n.input(input))
      return std::optional<SmallVector<int64_t>>();
    FailureOr<SmallVector<int64_t>> v = n.constInts(input, name);
    if (failed(v))
      return failure();
    return std::optional<SmallVector<int64_t>>(*v);
  };
  auto starts = list(1, "starts"), ends = list(2, "ends"),
       axes = list(3, "axes"), steps = list(4, "steps");
  if (failed(starts) || failed(ends) || failed(axes) || failed(steps))
    return failure();
  if (!*starts || !*ends || (*starts)->size() != (*ends)->size()) {
    n.error() << "needs starts and ends of equal length";
    return failure();
  }
  size_t count = (*starts)->size();
  SmallVector<int64_t> axisList, stepList(count, 1);
  if (*axes) {
    axisList = **axes;
  } else {
    for (size_t i = 0; i < count; ++i)
      axisList.push_back(i);
  }
  if (*steps)
    stepList = **steps;
  if (axisList.size() != count || stepList.size() != count) {
    n.error() << "starts, ends, axes and steps must have equal lengths";
    return failure();
  }
  SmallVector<int64_t> outStarts(rank, 0), sizes(x.getShape()),
      outSteps(rank, 1);
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < count; ++i) {
    FailureOr<int64_t> axis = axisIn(n, axisList[i], rank);
    if (failed(axis))
      return failure();
    if (seen[*axis]) {
      n.error() << "axis " << axisList[i] << " is sliced twice";
      return failure();
    }
    seen[*axis] = true;
    int64_t dim = x.getDimSize(*axis), step = stepList[i];
    if (step == 0) {
      n.error() << "step of axis " << axisList[i] << " is 0";
      return failure();
    }
    // ONNX: negative indices count from the end; then starts clamp to
    // [0, dim] ([0, dim - 1] walking backwards) and ends to [0, dim]
    // ([-1, dim - 1]). Adding dim to a negative index cannot overflow, so
    // PyTorch's open ends (+-2^63) resolve like any other.
    auto resolve = [&](int64_t v) { return v < 0 ? v + dim : v; };
    int64_t start = resolve((**starts)[i]), end = resolve((**ends)[i]);
    // The span walked, and |step| (INT64_MIN's as INT64_MAX: any step
    // beyond the axis takes one element).
    int64_t span, magnitude = step > 0            ? step
                              : step == INT64_MIN ? INT64_MAX
                                                  : -step;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      span = end - start;
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
      span = start - end;
    }
    int64_t size = span > 0 ? 1 + (span - 1) / magnitude : 0;
    outStarts[*axis] = size ? start : 0;
    sizes[*axis] = size;
    outSteps[*axis] = size > 1 ? step : 1;
  }
  return emit<SliceOp>(n, {n.input(0)},
                       {ints(n, "starts", outStarts), ints(n, "sizes", sizes),
                        ints(n, "steps", outSteps)});
}

LogicalResult importSqueeze(NodeImporter &n) {
  if (failed(n.checkArity(1, 2)))
    return failure();
  auto x = typeOf(n.input(0));
  FailureOr<std::optional<SmallVector<int64_t>>> axes = axesOf(n);
  if (failed(axes))
    return failure();
  SmallVector<bool> drop(x.getRank(), false);
  if (!*axes) {
    for (int64_t d = 0; d < x.getRank(); ++d)
      drop[d] = x.getDimSize(d) == 1;
  }
  for (int64_t a : axes->value_or(SmallVector<int64_t>())) {
    FailureOr<int64_t> axis = axisIn(n, a, x.getRank());
    if (failed(axis))
      return failure();
    if (x.getDimSize(*axis) != 1) {
      n.error() << "cannot squeeze axis " << a << " of size "
                << x.getDimSize(*axis);
      return failure();
    }
    drop[*axis] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < x.getRank(); ++d)
    if (!drop[d])
      shape.push_back(x.getDimSize(d));
  return reshapeTo(n, n.input(0), shape);
}

LogicalResult importUnsqueeze(NodeImporter &n) {
  if (failed(n.checkArity(1, 2)))
    return failure();
  auto x = typeOf(n.input(0));
  FailureOr<std::optional<SmallVector<int64_t>>> axes = axesOf(n);
  if (failed(axes) || !*axes) {
    if (succeeded(axes))
      n.error() << "needs axes";
    return failure();
  }
  int64_t outRank = x.getRank() + static_cast<int64_t>((*axes)->size());
  SmallVector<bool> inserted(outRank, false);
  for (int64_t a : **axes) {
    FailureOr<int64_t> axis = axisIn(n, a, outRank);
    if (failed(axis))
      return failure();
    if (inserted[*axis]) {
      n.error() << "axis " << a << " is repeated";
      return failure();
    }
    inserted[*axis] = true;
  }
  SmallVector<int64_t> shape;
  ArrayRef<int64_t> in = x.getShape();
  for (int64_t d = 0; d < outRank; ++d) {
    if (inserted[d]) {
      shape.push_back(1);
    } else {
      shape.push_back(in.front());
      in = in.drop_front();
    }
  }
  return reshapeTo(n, n.input(0), shape);
}

LogicalResult importTranspose(NodeImporter &n) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  int64_t rank = typeOf(n.input(0)).getRank();
  SmallVector<int64_t> perm =
      n.getInts("perm").value_or(SmallVector<int64_t>());
  if (!n.attr("perm"))
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  return emit<TransposeOp>(n, {n.input(0)}, {ints(n, "perm", perm)});
}

LogicalResult importConcat(NodeImporter &n) {
  if (failed(n.checkArity(1, std::numeric_limits<int>::max())))
    return failure();
  // The axis defaults to 1 before opset 4.
  if (!n.attr("axis") && n.opset >= 4) {
    n.error() << "needs the axis attribute";
    return failure();
  }
  SmallVector<Value> operands;
  for (Value v : n.inputs) {
    if (!v) {
      n.error() << "has an empty input name";
      return failure();
    }
    operands.push_back(v);
  }
  FailureOr<int64_t> axis = axisIn(n, n.getInt("axis", n.opset < 4 ? 1 : 0),
                                   typeOf(operands.front()).getRank());
  if (failed(axis))
    return failure();
  return emit<ConcatOp>(n, operands, {i64(n, "axis", *axis)});
}

LogicalResult importPad(NodeImporter &n) {
  if (failed(n.checkArity(1, 4)))
    return failure();
  int64_t rank = typeOf(n.input(0)).getRank();
  std::string mode = n.getString("mode", "constant");
  std::optional<PadMode> padMode = symbolizePadMode(mode);
  if (!padMode) {
    n.unsupported() << "mode '" << mode << "' is not supported";
    return failure();
  }
  SmallVector<int64_t> pads;
  float value = 0.0f;
  if (n.opset < 11) {
    // Opset 1 names them paddings.
    pads = n.getInts(n.opset < 2 ? "paddings" : "pads")
               .value_or(SmallVector<int64_t>());
    value = n.getFloat("value", 0.0f);
  } else {
    FailureOr<SmallVector<int64_t>> p = n.constInts(1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (n.input(2)) {
      FailureOr<float> v = n.constScalar(2, "constant_value");
      if (failed(v))
        return failure();
      value = *v;
    }
    if (n.input(3)) {
      // Since opset 18 pads may cover only the listed axes.
      FailureOr<SmallVector<int64_t>> axes = n.constInts(3, "axes");
      if (failed(axes))
        return failure();
      if (pads.size() != 2 * axes->size()) {
        n.error() << "pads needs " << 2 * axes->size() << " entries for "
                  << axes->size() << " axes";
        return failure();
      }
      SmallVector<int64_t> full(2 * rank, 0);
      for (auto [i, a] : llvm::enumerate(*axes)) {
        FailureOr<int64_t> axis = axisIn(n, a, rank);
        if (failed(axis))
          return failure();
        full[*axis] = pads[i];
        full[rank + *axis] = pads[axes->size() + i];
      }
      pads = full;
    }
  }
  return emit<PadOp>(
      n, {n.input(0)},
      {ints(n, "pads", pads),
       named(n, "mode", PadModeAttr::get(n.b.getContext(), *padMode)),
       f32(n, "value", value)});
}

/// Softmax and LogSoftmax: along one axis from opset 13; before, over every
/// axis from `axis` on, imported as a reshape to 2-D around the op.
template <typename OpTy> LogicalResult importSoftmax(NodeImporter &n) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  auto x = typeOf(n.input(0));
  int64_t rank = x.getRank();
  FailureOr<int64_t> axis =
      axisIn(n, n.getInt("axis", n.opset < 13 ? 1 : -1), rank);
  if (failed(axis))
    return failure();
  if (n.opset >= 13 || *axis == rank - 1)
    return emit<OpTy>(n, {n.input(0)}, {i64(n, "axis", *axis)});
  SmallVector<int64_t> flat = {product(x.getShape().take_front(*axis)),
                               product(x.getShape().drop_front(*axis))};
  FailureOr<Value> r =
      n.create<ReshapeOp>({n.input(0)}, {ints(n, "shape", flat)});
  if (failed(r))
    return failure();
  FailureOr<Value> s = n.create<OpTy>({*r}, {i64(n, "axis", 1)});
  if (failed(s))
    return failure();
  return reshapeTo(n, *s, x.getShape());
}

/// DepthToSpace and SpaceToDepth as their definitions: a reshape to 6-D,
/// a transpose and a reshape back (the transpose is the host's, or a
/// channel shuffle where escalate-graph-opt finds one).
LogicalResult importDepthSpace(NodeImporter &n, bool toSpace) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  auto x = typeOf(n.input(0));
  int64_t b = n.getInt("blocksize", 0);
  if (x.getRank() != 4 || b < 1) {
    n.error() << "needs an N x C x H x W input and a positive blocksize";
    return failure();
  }
  auto [N, C, H, W] = std::make_tuple(x.getDimSize(0), x.getDimSize(1),
                                      x.getDimSize(2), x.getDimSize(3));
  SmallVector<int64_t> shape6, perm, out;
  if (toSpace) {
    if (C % (b * b)) {
      n.error() << "channels " << C << " are not a multiple of blocksize^2 "
                << b * b;
      return failure();
    }
    std::string mode = n.getString("mode", "DCR");
    if (mode == "DCR") {
      shape6 = {N, b, b, C / (b * b), H, W};
      perm = {0, 3, 4, 1, 5, 2};
    } else if (mode == "CRD") {
      shape6 = {N, C / (b * b), b, b, H, W};
      perm = {0, 1, 4, 2, 5, 3};
    } else {
      n.error() << "mode '" << mode << "' is not DCR or CRD";
      return failure();
    }
    out = {N, C / (b * b), H * b, W * b};
  } else {
    if (H % b || W % b) {
      n.error() << "height " << H << " and width " << W
                << " are not multiples of blocksize " << b;
      return failure();
    }
    shape6 = {N, C, H / b, b, W / b, b};
    perm = {0, 3, 5, 1, 2, 4};
    out = {N, C * b * b, H / b, W / b};
  }
  FailureOr<Value> r =
      n.create<ReshapeOp>({n.input(0)}, {ints(n, "shape", shape6)});
  if (failed(r))
    return failure();
  FailureOr<Value> t = n.create<TransposeOp>({*r}, {ints(n, "perm", perm)});
  if (failed(t))
    return failure();
  return reshapeTo(n, *t, out);
}

LogicalResult importDropout(NodeImporter &n) {
  if (failed(n.checkArity(1, 3)))
    return failure();
  if (n.input(2)) {
    FailureOr<float> training = n.constScalar(2, "training_mode");
    if (failed(training) || *training != 0.0f) {
      if (succeeded(training))
        n.unsupported() << "training_mode is not supported (inference only)";
      return failure();
    }
  }
  return emit<DropoutOp>(n, {n.input(0)});
}

/// ConstantOfShape: a constant of the (constant) shape filled with `value`
/// (one element; float 0 by default). PyTorch's exports of F.pad and the
/// padding layers build their pads with it.
LogicalResult importConstantOfShape(NodeImporter &n) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  FailureOr<SmallVector<int64_t>> shape = n.constInts(0, "shape");
  if (failed(shape))
    return failure();
  int64_t count = 1;
  for (int64_t d : *shape) {
    if (d < 0 || (d && count > n.maxTensorElements / d)) {
      n.error() << "shape must be non-negative and hold at most "
                << n.maxTensorElements << " elements";
      return failure();
    }
    count *= d;
  }
  Attribute fill = n.b.getF32FloatAttr(0.0f);
  if (const onnx::AttributeProto *a = n.attr("value")) {
    onnx::TensorProto tensor = a->t();
    ImportFailure why;
    FailureOr<ElementsAttr> attr =
        convertTensor(tensor, n.modelDir, n.loc, n.maxTensorElements, why);
    if (failed(attr)) {
      n.why = why;
      return failure();
    }
    if (attr->getNumElements() != 1) {
      n.error() << "value must hold one element";
      return failure();
    }
    fill = *attr->getValues<Attribute>().begin();
  }
  auto type = RankedTensorType::get(*shape, cast<TypedAttr>(fill).getType());
  return emit<ConstantOp>(
      n, {}, {named(n, "value", DenseElementsAttr::get(type, fill))});
}

LogicalResult importConstant(NodeImporter &n) {
  if (failed(n.checkArity(0, 0)))
    return failure();
  if (n.node.attribute_size() != 1) {
    n.error() << "needs exactly one value attribute";
    return failure();
  }
  const onnx::AttributeProto &a = n.node.attribute(0);
  ElementsAttr value;
  MLIRContext *ctx = n.b.getContext();
  auto vecType = [&](size_t count, Type elt) {
    return RankedTensorType::get({static_cast<int64_t>(count)}, elt);
  };
  if (a.name() == "value") {
    onnx::TensorProto tensor = a.t();
    ImportFailure why;
    FailureOr<ElementsAttr> attr =
        convertTensor(tensor, n.modelDir, n.loc, n.maxTensorElements, why);
    if (failed(attr)) {
      n.why = why;
      return failure();
    }
    value = *attr;
  } else if (a.name() == "value_float") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, n.b.getF32Type()),
                                   a.f());
  } else if (a.name() == "value_int") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, n.b.getI64Type()),
                                   static_cast<int64_t>(a.i()));
  } else if (a.name() == "value_floats") {
    SmallVector<float> v(a.floats().begin(), a.floats().end());
    value = DenseElementsAttr::get(vecType(v.size(), Float32Type::get(ctx)),
                                   ArrayRef<float>(v));
  } else if (a.name() == "value_ints") {
    SmallVector<int64_t> v(a.ints().begin(), a.ints().end());
    value = DenseElementsAttr::get(vecType(v.size(), IntegerType::get(ctx, 64)),
                                   ArrayRef<int64_t>(v));
  } else {
    n.unsupported() << "attribute '" << a.name() << "' is not supported";
    return failure();
  }
  n.setResult(0, ConstantOp::create(n.b, n.loc, value).getResult());
  return success();
}

LogicalResult importShape(NodeImporter &n) {
  if (failed(n.checkArity(1, 1)))
    return failure();
  int64_t rank = typeOf(n.input(0)).getRank();
  auto clampAxis = [rank](int64_t a) {
    return std::clamp<int64_t>(a < 0 ? a + rank : a, 0, rank);
  };
  int64_t start = clampAxis(n.getInt("start", 0));
  int64_t end = std::max(start, clampAxis(n.getInt("end", rank)));
  return emit<ShapeOp>(n, {n.input(0)},
                       {i64(n, "start", start), i64(n, "end", end)});
}

LogicalResult importGather(NodeImporter &n) {
  if (failed(n.checkArity(2, 2)))
    return failure();
  FailureOr<int64_t> axis =
      axisIn(n, n.getInt("axis", 0), typeOf(n.input(0)).getRank());
  if (failed(axis))
    return failure();
  return emit<GatherOp>(n, {n.input(0), n.input(1)}, {i64(n, "axis", *axis)});
}

constexpr int64_t kMin = kMinOpset, kMax = kMaxOpset;
const OpEntry kOps[] = {
    {{"Abs", kMin, kMax, ""}, importUnary<AbsOp>},
    {{"Add", kMin, kMax, "numpy broadcasting"}, importBinary<AddOp>},
    {{"ArgMax", kMin, kMax,
      "keepdims, select_last_index; the index as a float (exact)"},
     importArgMax},
    {{"AveragePool", kMin, kMax,
      "1-3 spatial axes, count_include_pad, ceil_mode, dilations"},
     importPool<AveragePoolOp>},
    {{"BatchNormalization", kMin, kMax,
      "inference form; folded into Conv/Gemm"},
     importBatchNorm},
    {{"Cast", kMin, kMax,
      "to its own kind (float, integer) of a computed tensor; any float, "
      "integer or boolean type of a constant"},
     importCast},
    {{"Celu", 12, kMax, ""}, importCelu},
    {{"Clip", kMin, kMax, "min/max as attributes (< 11) or constant inputs"},
     importClip},
    {{"Concat", kMin, kMax, ""}, importConcat},
    {{"Constant", kMin, kMax, "value, value_float(s), value_int(s)"},
     importConstant},
    {{"ConstantOfShape", 9, kMax, "constant shape; folded at import"},
     importConstantOfShape},
    {{"Conv", kMin, kMax, "1-3 spatial axes, groups, auto_pad"}, importConv},
    {{"ConvTranspose", kMin, kMax,
      "1-3 spatial axes, groups, output_shape, output_padding, auto_pad"},
     importConvTranspose},
    {{"DepthToSpace", kMin, kMax,
      "DCR and CRD modes, as reshape, transpose, reshape"},
     [](NodeImporter &n) { return importDepthSpace(n, /*toSpace=*/true); }},
    {{"Div", kMin, kMax, "numpy broadcasting"}, importBinary<DivOp>},
    {{"DequantizeLinear", 10, kMax,
      "constant weights folded to float; activations after QuantizeLinear"},
     importDequantizeLinear},
    {{"Dropout", kMin, kMax, "inference (identity); mask output unsupported"},
     importDropout},
    {{"Elu", kMin, kMax, ""},
     [](NodeImporter &n) { return importAlpha<EluOp>(n, 1.0f); }},
    {{"Erf", 9, kMax, ""}, importUnary<ErfOp>},
    {{"Exp", kMin, kMax, ""}, importUnary<ExpOp>},
    {{"Expand", 8, kMax, "constant shape; imported as a product with ones"},
     importExpand},
    {{"Flatten", kMin, kMax, "imported as reshape"}, importFlatten},
    {{"Gather", kMin, kMax, "INT64 indices"}, importGather},
    {{"Gemm", kMin, kMax, ""}, importGemm},
    {{"GlobalAveragePool", kMin, kMax, ""}, importUnary<GlobalAveragePoolOp>},
    {{"GlobalMaxPool", kMin, kMax, "imported as max pooling over the map"},
     importGlobalMaxPool},
    {{"HardSigmoid", kMin, kMax, ""}, importHardSigmoid},
    {{"HardSwish", 14, kMax, ""}, importUnary<HardSwishOp>},
    {{"Identity", kMin, kMax, "tensor inputs"}, importUnary<IdentityOp>},
    {{"InstanceNormalization", kMin, kMax,
      "imported as its mean, variance and normalisation"},
     importInstanceNorm},
    {{"LayerNormalization", 17, kMax,
      "imported as its mean, variance and normalisation"},
     importLayerNorm},
    {{"LeakyRelu", kMin, kMax, ""}, importLeakyRelu},
    {{"Log", kMin, kMax, ""}, importUnary<LogOp>},
    {{"LogSoftmax", kMin, kMax,
      "on the host; opset < 13 2-D coercion imported as reshapes"},
     importSoftmax<LogSoftmaxOp>},
    {{"MatMul", kMin, kMax, "numpy batch broadcasting"},
     importBinary<MatMulOp>},
    {{"Max", kMin, kMax, "any number of inputs; a constant scalar is a clip"},
     importVariadic<MaxOp>},
    {{"MaxPool", kMin, kMax, "1-3 spatial axes; Indices output unsupported"},
     importPool<MaxPoolOp>},
    {{"Mean", kMin, kMax, "any number of inputs, as adds and a scaling"},
     importMean},
    {{"Min", kMin, kMax, "any number of inputs; a constant scalar is a clip"},
     importVariadic<MinOp>},
    {{"Mul", kMin, kMax, "numpy broadcasting"}, importBinary<MulOp>},
    {{"Neg", kMin, kMax, ""}, importUnary<NegOp>},
    {{"Pad", kMin, kMax, "constant pads; constant/reflect/edge/wrap"},
     importPad},
    {{"Pow", kMin, kMax, "float, numpy broadcasting"}, importBinary<PowOp>},
    {{"PRelu", kMin, kMax, "a constant scalar slope runs as leaky_relu"},
     importPRelu},
    {{"QLinearConv", 10, kMax, "constant weights, scales and zero points"},
     importQLinearConv},
    {{"QLinearMatMul", 10, kMax, "constant B, scales and zero points"},
     importQLinearMatMul},
    {{"QuantizeLinear", 10, kMax,
      "per-tensor constant scale and zero point; the model's scales are kept"},
     importQuantizeLinear},
    {{"Reciprocal", kMin, kMax, "imported as 1 / x"}, importReciprocal},
    {{"ReduceL1", kMin, kMax, "as ReduceSum of |x|"},
     [](NodeImporter &n) { return importReduceForm(n, ReduceForm::L1); }},
    {{"ReduceL2", kMin, kMax, "as the sqrt of ReduceSumSquare"},
     [](NodeImporter &n) { return importReduceForm(n, ReduceForm::L2); }},
    {{"ReduceLogSum", kMin, kMax, "as the log of ReduceSum"},
     [](NodeImporter &n) { return importReduceForm(n, ReduceForm::LogSum); }},
    {{"ReduceLogSumExp", kMin, kMax, "as the log of ReduceSum of exp(x)"},
     [](NodeImporter &n) {
       return importReduceForm(n, ReduceForm::LogSumExp);
     }},
    {{"ReduceMax", kMin, kMax,
      "on the host; axes as attribute (< 18) or constant input"},
     importReduceExtremum<ReduceMaxOp>},
    {{"ReduceMean", kMin, kMax,
      "over every spatial axis as a global average pool; any other axes"},
     importReduceMean},
    {{"ReduceMin", kMin, kMax,
      "on the host; axes as attribute (< 18) or constant input"},
     importReduceExtremum<ReduceMinOp>},
    {{"ReduceSum", kMin, kMax,
      "constant axes; imported as the mean times the element count"},
     importReduceSum},
    {{"ReduceSumSquare", kMin, kMax, "as ReduceSum of x * x"},
     [](NodeImporter &n) {
       return importReduceForm(n, ReduceForm::SumSquare);
     }},
    {{"Relu", kMin, kMax, ""}, importUnary<ReluOp>},
    {{"Reshape", kMin, kMax, "constant shape (folded Shape chains), allowzero"},
     importReshape},
    {{"Resize", 10, kMax,
      "constant scales or sizes; nearest and linear; every coordinate "
      "transformation but tf_crop_and_resize; no antialias"},
     importResize},
    {{"Selu", kMin, kMax, ""}, importSelu},
    {{"Shape", kMin, kMax, "start/end"}, importShape},
    {{"Sigmoid", kMin, kMax, ""}, importUnary<SigmoidOp>},
    {{"Slice", kMin, kMax,
      "constant starts, ends, axes and steps (attributes before opset 10)"},
     importSlice},
    {{"Softmax", kMin, kMax, "opset < 13 2-D coercion imported as reshapes"},
     importSoftmax<SoftmaxOp>},
    {{"Softplus", kMin, kMax, ""}, importUnary<SoftplusOp>},
    {{"Softsign", kMin, kMax, ""}, importUnary<SoftsignOp>},
    {{"SpaceToDepth", kMin, kMax, "as reshape, transpose, reshape"},
     [](NodeImporter &n) { return importDepthSpace(n, /*toSpace=*/false); }},
    {{"Squeeze", kMin, kMax, "axes attribute (< 13) or constant input"},
     importSqueeze},
    {{"Split", kMin, kMax,
      "sizes as attribute or constant input, or equal "
      "parts; imported as slices"},
     importSplit},
    {{"Sqrt", kMin, kMax, ""}, importUnary<SqrtOp>},
    {{"Sub", kMin, kMax, "numpy broadcasting"}, importBinary<SubOp>},
    {{"Sum", kMin, kMax, "any number of inputs, as adds"},
     importVariadic<AddOp>},
    {{"Tanh", kMin, kMax, ""}, importUnary<TanhOp>},
    {{"ThresholdedRelu", 10, kMax, ""},
     [](NodeImporter &n) { return importAlpha<ThresholdedReluOp>(n, 1.0f); }},
    {{"Tile", 6, kMax, "constant repeats; imported as concats"}, importTile},
    {{"Transpose", kMin, kMax, ""}, importTranspose},
    {{"Unsqueeze", kMin, kMax, "axes attribute (< 13) or constant input"},
     importUnsqueeze},
    {{"Upsample", 7, 9, "nearest and linear (imported as resize)"},
     importUpsample},
};
} // namespace

FailureOr<SmallVector<NamedAttribute>>
onnx_import::convAttributes(NodeImporter &n, RankedTensorType x,
                            RankedTensorType w) {
  if (x.getRank() < 3 || w.getRank() != x.getRank()) {
    n.error() << "input and weight must be N x C x spatial... of equal rank";
    return failure();
  }
  ArrayRef<int64_t> kernel = w.getShape().drop_front(2);
  if (auto given = n.getInts("kernel_shape");
      given && ArrayRef(*given) != kernel) {
    n.error() << "kernel_shape attribute disagrees with the weight's shape";
    return failure();
  }
  FailureOr<WindowAttrs> win =
      windowAttrs(n, x.getShape().drop_front(2), kernel);
  if (failed(win))
    return failure();
  return SmallVector<NamedAttribute>{
      ints(n, "strides", win->strides), ints(n, "dilations", win->dilations),
      ints(n, "pads", win->pads), i64(n, "group", n.getInt("group", 1))};
}

std::optional<StringRef> onnx_import::unsupportedReason(StringRef opType) {
  if (opType == "ConvInteger" || opType == "MatMulInteger" ||
      opType == "DynamicQuantizeLinear")
    return StringRef("dynamic quantization computes scales at run time, "
                     "which a statically quantized accelerator cannot do; "
                     "export the model with static quantization (QDQ pairs "
                     "or QLinearConv/QLinearMatMul)");
  return std::nullopt;
}

const OpEntry *onnx_import::lookupOp(StringRef opType) {
  for (const OpEntry &e : kOps)
    if (e.info.name == opType)
      return &e;
  return nullptr;
}

std::vector<SupportedOp> escalate::supportedOnnxOps() {
  std::vector<SupportedOp> ops;
  for (const OpEntry &e : kOps)
    ops.push_back(e.info);
  return ops;
}
