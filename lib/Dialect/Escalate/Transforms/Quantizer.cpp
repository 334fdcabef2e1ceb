//===- Quantizer.cpp - float ops to the accelerator's integer ops -------===//
//
// The arithmetic of escalate-quantize: weight quantization, the requant
// multiplier/shift/bias of every layer, eltwise and pooling parameters and
// lookup tables. docs/quantization.md derives each formula.
//
//===----------------------------------------------------------------------===//
#include "Quantize.h"
#include "escalate/Dialect/Escalate/Transforms/LayerConfig.h"
#include "escalate/Dialect/Escalate/Utils/AcceleratorLayers.h"
#include "escalate/Dialect/Escalate/Utils/HostPlacement.h"
#include "escalate/Support/FixedPoint.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"
#include <cmath>

using namespace mlir;
using namespace escalate;
using QType = quant::UniformQuantizedType;

//===----------------------------------------------------------------------===//
// Which ops are quantized
//===----------------------------------------------------------------------===//

QuantConfig escalate::layerQuantConfig(Operation *op,
                                       const QuantConfig &config) {
  QuantConfig layer = config;
  std::pair<StringRef, unsigned *> widths[] = {
      {"weight_bits", &layer.weightBits},
      {"basis_bits", &layer.basisBits},
      {"coef_bits", &layer.coefBits}};
  for (auto [key, field] : widths)
    if (std::optional<double> bits = layerSetting(op, key))
      *field = unsigned(*bits);
  return layer;
}

namespace {
bool isConstant(Value v) { return v && v.getDefiningOp<ConstantOp>(); }
bool optionalConstant(Value v) { return !v || isConstant(v); }
int64_t rankOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getRank();
}
ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}
bool allOnes(ArrayRef<int64_t> values) {
  return llvm::all_of(values, [](int64_t v) { return v == 1; });
}

/// A 2-D average pool as the accelerator runs it: its padding with the end
/// rows and columns ceil_mode adds, and the outer bands of that padding the
/// divisor leaves out (top, left, bottom, right): all of it without
/// count_include_pad, the ceil_mode part otherwise (ONNX's definition).
struct AveragePoolBands {
  SmallVector<int64_t> pads;
  fixed::UncountedBands bands;
  /// Whether some window counts no position (padding as wide as the kernel).
  bool emptyWindow = false;
};
AveragePoolBands averagePoolBands(AveragePoolOp pool) {
  ArrayRef<int64_t> in = shapeOf(pool.getInput()),
                    out = shapeOf(pool.getOutput());
  ArrayRef<int64_t> k = pool.getKernelShape(), s = pool.getStrides();
  AveragePoolBands r;
  r.pads.assign(pool.getPads().begin(), pool.getPads().end());
  int64_t extra[2];
  for (unsigned a = 0; a < 2; ++a) {
    int64_t reach = (out[2 + a] - 1) * s[a] + k[a];
    extra[a] =
        std::max<int64_t>(0, reach - (in[2 + a] + r.pads[a] + r.pads[2 + a]));
    r.pads[2 + a] += extra[a];
  }
  bool include = pool.getCountIncludePad();
  r.bands = {include ? 0 : r.pads[0], include ? 0 : r.pads[1],
             include ? extra[0] : r.pads[2], include ? extra[1] : r.pads[3]};
  int64_t lead[2] = {r.bands.top, r.bands.left};
  int64_t trail[2] = {r.bands.bottom, r.bands.right};
  for (unsigned a = 0; a < 2; ++a)
    r.emptyWindow |= fixed::windowWhollyUncounted(
        in[2 + a] + r.pads[a] + r.pads[2 + a], k[a], s[a], lead[a], trail[a]);
  return r;
}

/// qadd/qmul's broadcast: `small` is `big`'s shape, one value per channel,
/// one per pixel (4-D) or one value, with batch N or 1.
bool eltwiseBroadcastable(ArrayRef<int64_t> big, ArrayRef<int64_t> small) {
  if (big.size() < 2 || small.size() != big.size() ||
      (small[0] != big[0] && small[0] != 1))
    return false;
  bool restOnes = allOnes(small.drop_front(2));
  // Per pixel: one value per position, the same for every channel.
  bool perPixel = big.size() == 4 && small[1] == 1 &&
                  small.drop_front(2) == big.drop_front(2);
  return small.drop_front() == big.drop_front() || perPixel ||
         (restOnes && (small[1] == big[1] || small[1] == 1));
}

/// lhs and rhs of an eltwise op, the full-shaped one first; null if neither
/// is full-shaped or the other does not broadcast as qadd/qmul need.
std::pair<Value, Value> eltwiseOperands(Operation *op) {
  Value a = op->getOperand(0), b = op->getOperand(1);
  ArrayRef<int64_t> out = shapeOf(op->getResult(0));
  if (shapeOf(a) != out)
    std::swap(a, b);
  if (shapeOf(a) != out || !eltwiseBroadcastable(out, shapeOf(b)))
    return {};
  return {a, b};
}

/// Element-wise functions of one activation: a 256-entry table of 8-bit
/// inputs computes any of them exactly as the float op rounds.
bool isActivationFunction(Operation *op) {
  // A power by one constant is a function of its base alone.
  if (auto pow = dyn_cast<PowOp>(op)) {
    FailureOr<Tensor> e = constantValue(pow->getOperand(1));
    return !isConstant(pow->getOperand(0)) && succeeded(e) &&
           e->numElements() == 1 &&
           pow.getType() == pow->getOperand(0).getType();
  }
  return llvm::isa<ReluOp, ClipOp, LeakyReluOp, SigmoidOp, HardSigmoidOp,
                   HardSwishOp, TanhOp, ExpOp, LogOp, ErfOp, SqrtOp, NegOp,
                   AbsOp, EluOp, SeluOp, CeluOp, SoftplusOp, SoftsignOp,
                   ThresholdedReluOp>(op);
}

bool gemmQuantizable(GemmOp g) {
  if (rankOf(g.getA()) != 2 || g.getTransA() || !isConstant(g.getB()) ||
      !optionalConstant(g.getC()))
    return false;
  if (!g.getC())
    return true;
  int64_t cout = shapeOf(g.getResult())[1];
  ArrayRef<int64_t> c = shapeOf(g.getC());
  int64_t n = product(c);
  return (n == 1 || n == cout) && (c.size() < 2 || c[0] == 1);
}
} // namespace

std::optional<std::string>
escalate::unquantizableReason(Operation *op, const QuantConfig &config) {
  using Reason = std::optional<std::string>;
  if (op->getNumResults() != 1 ||
      !cast<RankedTensorType>(op->getResult(0).getType())
           .getElementType()
           .isF32())
    return Reason("it has no single float result");
  auto only2d = [&](Value input) -> Reason {
    int64_t rank = rankOf(input);
    if (rank == 4)
      return std::nullopt;
    return "its input has rank " + std::to_string(rank) +
           ": only 2-D windows (N x C x H x W) run on the accelerator";
  };
  auto constant = [](Value v, StringRef what) -> Reason {
    if (isConstant(v))
      return std::nullopt;
    return ("its " + what +
            " is not a constant (if it is a graph input, make it one with "
            "--freeze-input NAME=FILE)")
        .str();
  };
  auto optional = [&](Value v, StringRef what) -> Reason {
    return v ? constant(v, what) : std::nullopt;
  };
  auto first = [](std::initializer_list<Reason> reasons) -> Reason {
    for (const Reason &r : reasons)
      if (r)
        return r;
    return std::nullopt;
  };
  if (auto conv = dyn_cast<ConvOp>(op))
    return first({only2d(conv.getInput()), constant(conv.getWeight(), "weight"),
                  optional(conv.getBias(), "bias")});
  if (auto dec = dyn_cast<DecomposedConvOp>(op))
    return first({only2d(dec.getInput()), constant(dec.getBases(), "bases"),
                  constant(dec.getCoefficients(), "coefficients"),
                  optional(dec.getBias(), "bias")});
  if (auto g = dyn_cast<GemmOp>(op)) {
    if (Reason r = first({constant(g.getB(), "B operand"),
                          optional(g.getC(), "C operand")}))
      return r;
    if (!gemmQuantizable(g))
      return Reason("only A x B (+ a per-column C) with a 2-D A that is not "
                    "transposed runs on the accelerator");
    return std::nullopt;
  }
  if (auto mm = dyn_cast<MatMulOp>(op)) {
    if (rankOf(mm.getLhs()) != 2 || rankOf(mm.getRhs()) != 2)
      return Reason("only 2-D MatMul runs on the accelerator");
    return constant(mm.getRhs(), "right operand");
  }
  if (llvm::isa<AddOp, SubOp, MulOp>(op)) {
    if (isConstant(op->getOperand(0)) || isConstant(op->getOperand(1)))
      return Reason("an operand is a constant (the accelerator adds and "
                    "multiplies activations, not constants)");
    if (!eltwiseOperands(op).first)
      return Reason("its operands do not broadcast per channel");
    return std::nullopt;
  }
  auto window = [&](Value input, ArrayRef<int64_t> dilations) -> Reason {
    if (Reason r = only2d(input))
      return r;
    if (!allOnes(dilations))
      return Reason("dilated pooling does not run on the accelerator");
    return std::nullopt;
  };
  if (auto pool = dyn_cast<MaxPoolOp>(op)) {
    if (Reason r = window(pool.getInput(), pool.getDilations()))
      return r;
    // Canonicalization turns a static one into end padding.
    if (pool.getCeilMode())
      return Reason("ceil_mode max pooling of a dynamic shape does not run "
                    "on the accelerator");
    return std::nullopt;
  }
  if (auto pool = dyn_cast<AveragePoolOp>(op)) {
    if (Reason r = window(pool.getInput(), pool.getDilations()))
      return r;
    if (averagePoolBands(pool).emptyWindow)
      return Reason("a window lies wholly in padding its divisor does not "
                    "count");
    return std::nullopt;
  }
  if (auto gap = dyn_cast<GlobalAveragePoolOp>(op))
    return only2d(gap.getInput());
  if (isActivationFunction(op)) {
    if (config.actBits != 8)
      return Reason("activation functions run through a table of 8-bit "
                    "activations (--act-bits 8)");
    return std::nullopt;
  }
  if (llvm::isa<SoftmaxOp>(op))
    return std::nullopt;
  if (auto slice = dyn_cast<SliceOp>(op)) {
    if (!isChannelSlice(slice))
      return Reason("only a slice of whole channels (axis 1, step 1) of a "
                    "4-D activation runs on the accelerator (as DRAM "
                    "placement)");
    return std::nullopt;
  }
  if (llvm::isa<InterleaveOp>(op)) {
    if (rankOf(op->getResult(0)) != 4)
      return Reason("only a 4-D interleave runs on the accelerator");
    if (llvm::any_of(op->getOperands(), isConstant))
      return Reason("an operand is a constant");
    return std::nullopt;
  }
  if (auto concat = dyn_cast<ConcatOp>(op)) {
    int64_t rank = rankOf(concat.getResult());
    if (rank < 2 || (concat.getAxis() + rank) % rank != 1)
      return Reason("only a concat of channels (axis 1) runs on the "
                    "accelerator (as DRAM placement)");
  }
  if (llvm::isa<ReshapeOp, ConcatOp, FakeQuantOp>(op)) {
    if (llvm::any_of(op->getOperands(), isConstant))
      return Reason("an operand is a constant");
    return std::nullopt;
  }
  return ("escalate-quantize has no integer form of '" +
          op->getName().getStringRef() + "'")
      .str();
}

bool escalate::sharesScale(Operation *op) {
  return llvm::isa<MaxPoolOp, AveragePoolOp, GlobalAveragePoolOp, ReshapeOp,
                   ConcatOp, InterleaveOp, SliceOp, FakeQuantOp>(op);
}

bool escalate::runsOnHost(Operation *op, const QuantConfig &config) {
  return !isQuantizable(op, config) && hostForm(op);
}

QType escalate::activationType(MLIRContext *ctx, double min, double max,
                               const QuantConfig &config, unsigned bits) {
  if (!bits)
    bits = config.actBits;
  int64_t qmin = fixed::minOf(bits), qmax = fixed::maxOf(bits);
  double scale = 1;
  int64_t zp = 0;
  if (config.symmetric) {
    double t = std::max(std::fabs(min), std::fabs(max));
    if (t > 0)
      scale = t / double(qmax);
  } else {
    double lo = std::min(min, 0.0), hi = std::max(max, 0.0);
    if (hi > lo) {
      scale = (hi - lo) / double(qmax - qmin);
      zp = std::clamp<int64_t>(std::llround(double(qmin) - lo / scale), qmin,
                               qmax);
    }
  }
  return QType::get(quant::QuantizationFlags::Signed,
                    IntegerType::get(ctx, bits), Float32Type::get(ctx), scale,
                    zp, qmin, qmax);
}

//===----------------------------------------------------------------------===//
// Rewriting
//===----------------------------------------------------------------------===//

namespace {
/// Symmetric integer weights with one scale per row (output channel), or
/// one for the whole tensor. Held in 32 bits (at most the widest weight):
/// a fully connected layer's weights are the largest tensors compiled.
struct QuantizedWeights {
  std::vector<int32_t> values;
  SmallVector<int64_t, 4> shape;
  SmallVector<double> scales;
  /// How many times coarser than its range the most coarsened row's scale
  /// is (1: none raised by a floor).
  double coarsened = 1;
};

/// Float weights, viewed in their constant's storage where it holds them
/// in order (`copy` is empty), else copied into `copy`.
struct FloatWeights {
  ArrayRef<float> values;
  SmallVector<int64_t, 4> shape;
  Tensor copy;
};
FloatWeights floatWeights(Value v) {
  FloatWeights w;
  ElementsAttr attr;
  if (matchPattern(v, m_Constant(&attr)))
    if (FailureOr<ArrayRef<float>> view = floatView(attr); succeeded(view)) {
      w.values = *view;
      llvm::append_range(w.shape, cast<ShapedType>(attr.getType()).getShape());
      return w;
    }
  w.copy = *constantValue(v);
  w.values = w.copy.f32();
  llvm::append_range(w.shape, w.copy.shape());
  return w;
}

/// Quantizes `w` (rows of `shape[0]`). A row's scale is at least
/// `minScales[row]` when given (see biasScaleFloors).
QuantizedWeights quantizeWeights(ArrayRef<float> w, ArrayRef<int64_t> shape,
                                 unsigned bits, bool perChannel,
                                 ArrayRef<double> minScales = {}) {
  int64_t rows = shape[0], cols = rows ? int64_t(w.size()) / rows : 0;
  double qmax = double(fixed::maxOf(bits));
  QuantizedWeights q{std::vector<int32_t>(w.size()),
                     SmallVector<int64_t, 4>(shape),
                     {}};
  double global = 0, globalFloor = 0;
  for (float v : w)
    global = std::max(global, double(std::fabs(v)));
  for (double s : minScales)
    globalFloor = std::max(globalFloor, s);
  for (int64_t r = 0; r < rows; ++r) {
    ArrayRef<float> row = w.slice(r * cols, cols);
    double amax = global, floor = globalFloor;
    if (perChannel) {
      amax = 0;
      for (float v : row)
        amax = std::max(amax, double(std::fabs(v)));
      floor = minScales.empty() ? 0 : minScales[r];
    }
    double natural = amax > 0 ? amax / qmax : 1;
    double scale = std::max(natural, floor);
    // An all-zero row loses nothing to a coarser scale.
    if (amax > 0)
      q.coarsened = std::max(q.coarsened, scale / natural);
    q.scales.push_back(scale);
    for (int64_t c = 0; c < cols; ++c)
      q.values[r * cols + c] =
          int32_t(std::clamp(std::nearbyint(row[c] / scale), -qmax, qmax));
  }
  return q;
}

/// The smallest weight scale per output channel that keeps the integer
/// bias (bias / (input scale x weight scale)) within 2^29, leaving the rest
/// of the 32-bit bias field to the zero-point correction (at most K x 127 x
/// 128 with 8-bit operands: room for K up to about 99,000; requant reports
/// a larger one). The layer is named in a warning: its weights lose
/// precision, which matters little when, as in untrained classifiers with
/// tiny inputs, the bias dominates the accumulated products. Empty when no
/// channel has a bias.
SmallVector<double> biasScaleFloors(ArrayRef<double> bias, double inputScale) {
  SmallVector<double> floors;
  double worst = 0;
  for (double v : bias) {
    floors.push_back(std::fabs(v) / (inputScale * double(1 << 29)));
    worst = std::max(worst, floors.back());
  }
  if (worst == 0 || !std::isfinite(worst))
    return {};
  return floors;
}

/// Says when biasScaleFloors coarsened `what` weights of `op`.
void warnIfCoarsened(Operation *op, const QuantizedWeights &q, StringRef what) {
  if (q.coarsened > 1)
    op->emitWarning("escalate-quantize: the bias is too large for the ")
        << what << " scale: " << what << "s quantized up to "
        << llvm::formatv("{0:e2}", q.coarsened).str()
        << "x more coarsely than their range needs so the integer bias "
           "fits 32 bits (the bias dominates this layer's output)";
}

/// Sum of each row (output channel) of integer weights.
SmallVector<int64_t> rowSums(const QuantizedWeights &q) {
  int64_t rows = q.shape[0];
  int64_t cols = rows ? int64_t(q.values.size()) / rows : 0;
  SmallVector<int64_t> sums(rows, 0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      sums[r] += q.values[r * cols + c];
  return sums;
}

/// Largest shift <= maxShift with |round(real * 2^shift)| <= limit.
std::optional<int32_t> fixedShift(double real, int64_t limit,
                                  unsigned maxShift) {
  for (int shift = maxShift; shift >= 0; --shift)
    if (std::fabs(std::nearbyint(std::ldexp(real, shift))) <= double(limit))
      return shift;
  return std::nullopt;
}

class Quantizer {
public:
  Quantizer(func::FuncOp f, const QuantConfig &config,
            const DenseMap<Value, QType> &types,
            function_ref<std::string(Value)> nameOf)
      : f(f), config(config), types(types), nameOf(nameOf), b(f.getContext()) {}

  LogicalResult run();

private:
  FailureOr<QType> typeOf(Value v);
  RankedTensorType tensorOf(Value like, QType q) {
    return RankedTensorType::get(shapeOf(like), q);
  }
  FailureOr<Value> quantized(Value v);
  Value constant(Operation *anchor, const QuantizedWeights &q,
                 unsigned bits) {
    auto type = RankedTensorType::get(q.shape, b.getIntegerType(bits));
    return ConstantOp::create(b, anchor->getLoc(), attrFromInts(q.values, type))
        .getResult();
  }
  /// Re-encodes integer weights in the format `op` had chosen for floats.
  void encodeLike(Operation *op, Operation *qop, ArrayRef<int32_t> values);
  /// Accumulators to the activation `out`, for output channel scales
  /// `accScale`, float bias `bias` (or empty) and zero-point corrections
  /// `zpCorrection`, fusing `act`.
  FailureOr<Value> requant(Operation *op, Value acc, ArrayRef<double> accScale,
                           ArrayRef<double> bias,
                           ArrayRef<int64_t> zpCorrection, Operation *act,
                           Value out);
  /// Clamp limits of `out`'s storage narrowed by a fused ReLU/Clip.
  std::pair<int64_t, int64_t> clampFor(Operation *act, QType out);

  FailureOr<Value> lowerConv(ConvOp conv, Operation *act, Value out);
  FailureOr<Value> lowerDecomposed(DecomposedConvOp dec, Operation *act,
                                   Value out);
  FailureOr<Value> lowerFullyConnected(Operation *op, Value a,
                                       ArrayRef<float> w, int64_t cout,
                                       int64_t k, const Tensor *bias,
                                       Operation *act, Value out);
  FailureOr<Value> lowerEltwise(Operation *op, Operation *act, Value out);
  FailureOr<Value> lowerPool(Operation *op);
  FailureOr<Value> lowerLut(Operation *op);
  FailureOr<Value> lower(Operation *op, Operation *act, Value out);
  /// Brackets a host op: its activation operands become dequantizations
  /// of integer tensors and its result is quantized (float constants stay:
  /// the host reads their IEEE values).
  LogicalResult bracketHostOp(Operation *op);

  func::FuncOp f;
  const QuantConfig &config;
  const DenseMap<Value, QType> &types;
  function_ref<std::string(Value)> nameOf;
  OpBuilder b;
  DenseMap<Value, Value> quantizedOf;
};
} // namespace

FailureOr<QType> Quantizer::typeOf(Value v) {
  auto it = types.find(v);
  if (it != types.end())
    return it->second;
  return emitError(v.getLoc())
         << "escalate-quantize: no calibrated range for tensor '" << nameOf(v)
         << "'";
}

FailureOr<Value> Quantizer::quantized(Value v) {
  if (auto dq = v.getDefiningOp<DequantizeOp>())
    return dq.getInput();
  if (Value q = quantizedOf.lookup(v))
    return q;
  FailureOr<QType> type = typeOf(v);
  if (failed(type))
    return failure();
  OpBuilder::InsertionGuard guard(b);
  if (Operation *def = v.getDefiningOp())
    b.setInsertionPointAfter(def);
  else
    b.setInsertionPointToStart(&f.getBody().front());
  Value q = QuantizeOp::create(b, v.getLoc(), tensorOf(v, *type), v);
  quantizedOf[v] = q;
  return q;
}

void Quantizer::encodeLike(Operation *op, Operation *qop,
                           ArrayRef<int32_t> values) {
  auto enc = op->getAttrOfType<SparseEncodingAttr>(kEncodingAttr);
  if (!enc)
    return;
  std::vector<float> asFloat(values.begin(), values.end());
  qop->setAttr(kEncodingAttr,
               encodeMatrix(op->getContext(), asFloat, enc.getRows(),
                            enc.getCols(), enc.getFormat(),
                            enc.getIndexBits()));
}

std::pair<int64_t, int64_t> Quantizer::clampFor(Operation *act, QType out) {
  int64_t lo = out.getStorageTypeMin(), hi = out.getStorageTypeMax();
  auto at = [&](double real) {
    double q = std::nearbyint(real / out.getScale()) + out.getZeroPoint();
    return int64_t(std::clamp(q, double(lo), double(hi)));
  };
  if (isa_and_nonnull<ReluOp>(act))
    lo = std::max(lo, out.getZeroPoint());
  if (auto clip = dyn_cast_or_null<ClipOp>(act)) {
    lo = std::max(lo, at(clip.getMin().convertToDouble()));
    hi = std::min(hi, at(clip.getMax().convertToDouble()));
    hi = std::max(hi, lo);
  }
  return {lo, hi};
}

FailureOr<Value> Quantizer::requant(Operation *op, Value acc,
                                    ArrayRef<double> accScale,
                                    ArrayRef<double> bias,
                                    ArrayRef<int64_t> zpCorrection,
                                    Operation *act, Value out) {
  FailureOr<QType> outType = typeOf(out);
  if (failed(outType))
    return failure();
  SmallVector<int32_t> biases, mults, shifts;
  for (size_t o = 0; o < accScale.size(); ++o) {
    fixed::FixedMultiplier m;
    if (!fixed::toFixedMultiplier(accScale[o] / outType->getScale(), 63, m))
      return op->emitError("escalate-quantize: output channel ")
             << o << " needs a requantization multiplier above 2^31";
    double q = bias.empty() ? 0 : std::nearbyint(bias[o] / accScale[o]);
    double total = q - double(zpCorrection[o]);
    if (std::fabs(total) > double(INT32_MAX))
      return op->emitError("escalate-quantize: the integer bias of output "
                           "channel ")
             << o << " (" << total << ") does not fit 32 bits";
    biases.push_back(int32_t(total));
    mults.push_back(m.multiplier);
    shifts.push_back(m.shift);
  }
  auto [lo, hi] = clampFor(act, *outType);
  int64_t negMult = 1, negShift = 0;
  if (auto leaky = dyn_cast_or_null<LeakyReluOp>(act)) {
    double alpha = leaky.getAlpha().convertToDouble();
    std::optional<int32_t> shift = fixedShift(alpha, INT16_MAX, 31);
    if (!shift)
      return op->emitError("escalate-quantize: LeakyReLU alpha ")
             << alpha << " does not fit the 16-bit negative multiplier";
    negShift = *shift;
    negMult = int64_t(std::nearbyint(std::ldexp(alpha, *shift)));
  }
  return RequantOp::create(b, op->getLoc(), tensorOf(acc, *outType), acc,
                           biases, mults, shifts, lo, hi, negMult, negShift)
      .getResult();
}

FailureOr<Value> Quantizer::lowerConv(ConvOp conv, Operation *act, Value out) {
  FailureOr<Value> x = quantized(conv.getInput());
  if (failed(x))
    return failure();
  QType xt = quantType(x->getType());
  QuantConfig layer = layerQuantConfig(conv, config);
  FloatWeights w = floatWeights(conv.getWeight());
  SmallVector<double> bias;
  if (conv.getBias())
    llvm::append_range(bias, constantValue(conv.getBias())->f32());
  QuantizedWeights qw =
      quantizeWeights(w.values, w.shape, layer.weightBits, config.perChannel,
                      biasScaleFloors(bias, xt.getScale()));
  warnIfCoarsened(conv, qw, "weight");
  Value acc = QConvOp::create(b, conv.getLoc(), *x,
                              constant(conv, qw, layer.weightBits),
                              conv.getStrides(), conv.getDilations(),
                              conv.getPads(), conv.getGroup(), config.accBits);
  encodeLike(conv, acc.getDefiningOp(), qw.values);
  SmallVector<double> accScale;
  SmallVector<int64_t> zp = rowSums(qw);
  for (auto [o, s] : llvm::enumerate(qw.scales)) {
    accScale.push_back(xt.getScale() * s);
    zp[o] *= xt.getZeroPoint();
  }
  return requant(conv, acc, accScale, bias, zp, act, out);
}

FailureOr<Value> Quantizer::lowerDecomposed(DecomposedConvOp dec,
                                            Operation *act, Value out) {
  FailureOr<Value> x = quantized(dec.getInput());
  if (failed(x))
    return failure();
  QType xt = quantType(x->getType());
  QuantConfig layer = layerQuantConfig(dec, config);
  Tensor bases = *constantValue(dec.getBases());
  Tensor coefs = *constantValue(dec.getCoefficients());
  // Bases are scaled per basis (or together); each basis scale is folded
  // into its coefficients so one output channel has one accumulator scale.
  QuantizedWeights qb =
      quantizeWeights(bases.f32(), bases.shape(), layer.basisBits,
                      config.perChannel);
  int64_t m = bases.dim(0), rows = coefs.dim(0), cols = coefs.dim(1);
  for (int64_t i = 0; i < coefs.numElements(); ++i)
    coefs.f32()[i] *= float(qb.scales[i % m]);
  SmallVector<double> bias;
  if (dec.getBias())
    llvm::append_range(bias, constantValue(dec.getBias())->f32());
  QuantizedWeights qc =
      quantizeWeights(coefs.f32(), coefs.shape(), layer.coefBits,
                      config.perChannel, biasScaleFloors(bias, xt.getScale()));
  warnIfCoarsened(dec, qc, "coefficient");
  SmallVector<int64_t> basisSum = rowSums(qb);
  Value acc = QDecomposedConvOp::create(
      b, dec.getLoc(), *x, constant(dec, qb, layer.basisBits),
      constant(dec, qc, layer.coefBits), dec.getStrides(),
      dec.getDilations(), dec.getPads(), dec.getGroup(), config.mapBits,
      config.accBits);
  encodeLike(dec, acc.getDefiningOp(), qc.values);
  SmallVector<double> accScale;
  SmallVector<int64_t> zp(rows, 0);
  for (int64_t o = 0; o < rows; ++o) {
    accScale.push_back(xt.getScale() * qc.scales[o]);
    for (int64_t j = 0; j < cols * m; ++j)
      zp[o] += qc.values[o * cols * m + j] * basisSum[j % m];
    zp[o] *= xt.getZeroPoint();
  }
  return requant(dec, acc, accScale, bias, zp, act, out);
}

FailureOr<Value> Quantizer::lowerFullyConnected(Operation *op, Value a,
                                                ArrayRef<float> w,
                                                int64_t cout, int64_t k,
                                                const Tensor *bias,
                                                Operation *act, Value out) {
  FailureOr<Value> x = quantized(a);
  if (failed(x))
    return failure();
  QType xt = quantType(x->getType());
  QuantConfig layer = layerQuantConfig(op, config);
  int64_t n = shapeOf(a)[0];
  // An N x K by K x C_out product is a 1 x 1 convolution of N x K x 1 x 1.
  Value x4 =
      ReshapeOp::create(b, op->getLoc(), *x, ArrayRef<int64_t>{n, k, 1, 1});
  SmallVector<double> biasValues;
  if (bias)
    for (int64_t o = 0; o < cout; ++o)
      biasValues.push_back(bias->f32()[bias->numElements() == 1 ? 0 : o]);
  QuantizedWeights qw =
      quantizeWeights(w, {cout, k, 1, 1}, layer.weightBits, config.perChannel,
                      biasScaleFloors(biasValues, xt.getScale()));
  warnIfCoarsened(op, qw, "weight");
  Value acc = QConvOp::create(b, op->getLoc(), x4,
                              constant(op, qw, layer.weightBits),
                              ArrayRef<int64_t>{1, 1}, ArrayRef<int64_t>{1, 1},
                              ArrayRef<int64_t>{0, 0, 0, 0}, 1, config.accBits);
  SmallVector<double> accScale;
  SmallVector<int64_t> zp = rowSums(qw);
  for (auto [o, s] : llvm::enumerate(qw.scales)) {
    accScale.push_back(xt.getScale() * s);
    zp[o] *= xt.getZeroPoint();
  }
  FailureOr<Value> y = requant(op, acc, accScale, biasValues, zp, act, out);
  if (failed(y))
    return failure();
  return ReshapeOp::create(b, op->getLoc(), *y, ArrayRef<int64_t>{n, cout})
      .getResult();
}

FailureOr<Value> Quantizer::lowerEltwise(Operation *op, Operation *act,
                                         Value out) {
  auto [lhs, rhs] = eltwiseOperands(op);
  FailureOr<Value> qa = quantized(lhs), qb = quantized(rhs);
  FailureOr<QType> outType = typeOf(out);
  if (failed(qa) || failed(qb) || failed(outType))
    return failure();
  double sa = quantType(qa->getType()).getScale();
  double sb = quantType(qb->getType()).getScale();
  double so = outType->getScale();
  bool isMul = llvm::isa<MulOp>(op);
  // A subtraction is an add with the subtrahend's multiplier negated
  // (eltwiseOperands puts the full-shaped operand first, which may be it).
  bool minuendFirst = lhs == op->getOperand(0);
  double signA = 1, signB = 1;
  if (llvm::isa<SubOp>(op))
    (minuendFirst ? signB : signA) = -1;
  // Multipliers stay below 2^30 so the (a - za) * m products keep headroom.
  double largest = isMul ? sa * sb / so : std::max(sa, sb) / so;
  std::optional<int32_t> shift = fixedShift(largest, int64_t(1) << 30, 63);
  if (!shift)
    return op->emitError("escalate-quantize: the scale ratio ")
           << largest << " of this element-wise op exceeds 2^30";
  auto fixedOf = [&](double real) {
    return int32_t(std::nearbyint(std::ldexp(real, *shift)));
  };
  auto [lo, hi] = clampFor(act, *outType);
  RankedTensorType type = tensorOf(out, *outType);
  if (isMul)
    return QMulOp::create(b, op->getLoc(), type, *qa, *qb,
                          fixedOf(sa * sb / so), *shift, lo, hi)
        .getResult();
  return QAddOp::create(b, op->getLoc(), type, *qa, *qb,
                        fixedOf(signA * sa / so), fixedOf(signB * sb / so),
                        *shift, lo, hi)
      .getResult();
}

FailureOr<Value> Quantizer::lowerPool(Operation *op) {
  FailureOr<Value> x = quantized(op->getOperand(0));
  if (failed(x))
    return failure();
  SmallVector<int64_t> kernel, strides = {1, 1}, pads = {0, 0, 0, 0};
  auto window = [&](auto pool) {
    kernel.assign(pool.getKernelShape().begin(), pool.getKernelShape().end());
    strides.assign(pool.getStrides().begin(), pool.getStrides().end());
    pads.assign(pool.getPads().begin(), pool.getPads().end());
  };
  PoolKind kind = llvm::isa<MaxPoolOp>(op) ? PoolKind::max : PoolKind::avg;
  if (auto pool = dyn_cast<MaxPoolOp>(op)) {
    window(pool);
  } else if (auto pool = dyn_cast<AveragePoolOp>(op)) {
    window(pool);
    AveragePoolBands ap = averagePoolBands(pool);
    if (ap.bands.any()) {
      // One multiplier per counted size n: 2^30 / n keeps every one below
      // 2^31 (docs/quantization.md, "Pooling").
      constexpr int64_t shift = 30;
      SmallVector<int64_t> divisors;
      for (int64_t n = 1; n <= product(kernel); ++n)
        divisors.push_back(std::llround(std::ldexp(1.0 / double(n), shift)));
      const fixed::UncountedBands &u = ap.bands;
      return QPoolOp::create(
                 b, op->getLoc(), *x, kind, kernel, strides, ap.pads,
                 divisors.back(), shift,
                 b.getDenseI64ArrayAttr({u.top, u.left, u.bottom, u.right}),
                 b.getDenseI64ArrayAttr(divisors))
          .getResult();
    }
  } else { // global average pooling: one window over the whole plane
    kernel.assign(shapeOf(op->getOperand(0)).begin() + 2,
                  shapeOf(op->getOperand(0)).end());
  }
  // avg_multiplier / 2^avg_shift ~ 1 / window, the multiplier below 2^31.
  int64_t count = product(kernel);
  int64_t shift = std::min<int64_t>(30 + llvm::Log2_64_Ceil(count), 63);
  int64_t mult = kind == PoolKind::max
                     ? 0
                     : std::llround(std::ldexp(1.0 / double(count), shift));
  return QPoolOp::create(b, op->getLoc(), *x, kind, kernel, strides, pads,
                         kind == PoolKind::max ? 0 : mult,
                         kind == PoolKind::max ? 0 : shift,
                         /*uncounted=*/nullptr, /*divisors=*/nullptr)
      .getResult();
}

FailureOr<Value> Quantizer::lowerLut(Operation *op) {
  Value in = op->getOperand(0), out = op->getResult(0);
  FailureOr<Value> x = quantized(in);
  FailureOr<QType> outType = typeOf(out);
  if (failed(x) || failed(outType))
    return failure();
  QType xt = quantType(x->getType());
  // The table is the float op itself evaluated at all 256 inputs, so it
  // shares the float model's numerics.
  Tensor grid(DType::F32, {256});
  for (int j = 0; j < 256; ++j)
    grid.f32()[j] =
        float(xt.getScale() * double(int8_t(j) - xt.getZeroPoint()));
  // Operands after the first are constants (a power's exponent).
  SmallVector<Tensor> constants;
  for (Value v : op->getOperands().drop_front()) {
    FailureOr<Tensor> c = constantValue(v);
    if (failed(c))
      return op->emitError("escalate-quantize: a table's operand ")
             << "other than its input is not a constant";
    constants.push_back(std::move(*c));
  }
  OperationState state(op->getLoc(), op->getName());
  state.addOperands(op->getOperands());
  state.addTypes(RankedTensorType::get({256}, b.getF32Type()));
  state.addAttributes(op->getAttrs());
  Operation *probe = Operation::create(state);
  SmallVector<Tensor> results;
  SmallVector<const Tensor *> operands = {&grid};
  for (const Tensor &c : constants)
    operands.push_back(&c);
  LogicalResult ok =
      cast<EvaluateOpInterface>(probe).evaluate(operands, results);
  probe->destroy();
  if (failed(ok))
    return failure();
  SmallVector<int8_t> table;
  for (float v : results[0].f32())
    table.push_back(int8_t(fixed::quantizeHost(v, outType->getScale(),
                                               outType->getZeroPoint(), 8)));
  return QLutOp::create(b, op->getLoc(), tensorOf(out, *outType), *x, table)
      .getResult();
}

FailureOr<Value> Quantizer::lower(Operation *op, Operation *act, Value out) {
  if (auto conv = dyn_cast<ConvOp>(op))
    return lowerConv(conv, act, out);
  if (auto dec = dyn_cast<DecomposedConvOp>(op))
    return lowerDecomposed(dec, act, out);
  if (auto g = dyn_cast<GemmOp>(op)) {
    FloatWeights bt = floatWeights(g.getB());
    int64_t r = bt.shape[0], c = bt.shape[1];
    float alpha = g.getAlpha().convertToFloat();
    std::optional<Tensor> bias;
    if (g.getC()) {
      bias = *constantValue(g.getC());
      for (float &v : bias->f32())
        v *= g.getBeta().convertToFloat();
    }
    // A fully connected layer's usual form: the weights as they are stored.
    if (g.getTransB() && alpha == 1.0f)
      return lowerFullyConnected(op, g.getA(), bt.values, r, c,
                                 bias ? &*bias : nullptr, act, out);
    Tensor w(DType::F32, {g.getTransB() ? r : c, g.getTransB() ? c : r});
    for (int64_t i = 0; i < r; ++i)
      for (int64_t j = 0; j < c; ++j)
        w.f32()[g.getTransB() ? i * c + j : j * r + i] =
            alpha * bt.values[i * c + j];
    return lowerFullyConnected(op, g.getA(), w.f32(), w.dim(0), w.dim(1),
                               bias ? &*bias : nullptr, act, out);
  }
  if (auto mm = dyn_cast<MatMulOp>(op)) {
    FloatWeights bt = floatWeights(mm.getRhs());
    int64_t k = bt.shape[0], c = bt.shape[1];
    Tensor w(DType::F32, {c, k});
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < c; ++j)
        w.f32()[j * k + i] = bt.values[i * c + j];
    return lowerFullyConnected(op, mm.getLhs(), w.f32(), c, k, nullptr, act,
                               out);
  }
  if (llvm::isa<AddOp, SubOp, MulOp>(op))
    return lowerEltwise(op, act, out);
  if (llvm::isa<MaxPoolOp, AveragePoolOp, GlobalAveragePoolOp>(op))
    return lowerPool(op);
  if (isActivationFunction(op))
    return lowerLut(op);
  if (auto sm = dyn_cast<SoftmaxOp>(op)) {
    FailureOr<Value> x = quantized(sm.getInput());
    FailureOr<QType> t = typeOf(out);
    if (failed(x) || failed(t))
      return failure();
    return QSoftmaxOp::create(b, op->getLoc(), tensorOf(out, *t), *x,
                              sm.getAxis())
        .getResult();
  }
  SmallVector<Value> inputs;
  for (Value v : op->getOperands()) {
    FailureOr<Value> q = quantized(v);
    if (failed(q))
      return failure();
    inputs.push_back(*q);
  }
  if (auto r = dyn_cast<ReshapeOp>(op))
    return ReshapeOp::create(b, op->getLoc(), inputs[0], r.getShape())
        .getResult();
  if (llvm::isa<InterleaveOp>(op))
    return InterleaveOp::create(b, op->getLoc(), inputs).getResult();
  if (auto s = dyn_cast<SliceOp>(op))
    return SliceOp::create(b, op->getLoc(), inputs[0], s.getStarts(),
                           s.getSizes(), s.getSteps())
        .getResult();
  // The model's own quantization: its operand already has exactly this
  // scale and zero point (they share a scale class).
  if (llvm::isa<FakeQuantOp>(op))
    return inputs[0];
  return ConcatOp::create(b, op->getLoc(), inputs, cast<ConcatOp>(op).getAxis())
      .getResult();
}

LogicalResult Quantizer::bracketHostOp(Operation *op) {
  for (OpOperand &use : op->getOpOperands()) {
    Value v = use.get();
    if (isConstant(v) || v.getDefiningOp<DequantizeOp>())
      continue;
    // A graph input (or a float op's result) read by the host.
    FailureOr<Value> q = quantized(v);
    if (failed(q))
      return failure();
    b.setInsertionPointAfter(q->getDefiningOp());
    use.set(DequantizeOp::create(b, op->getLoc(), v.getType(), *q));
  }
  Value out = op->getResult(0);
  FailureOr<Value> q = quantized(out);
  if (failed(q))
    return failure();
  b.setInsertionPointAfter(q->getDefiningOp());
  Value dq = DequantizeOp::create(b, op->getLoc(), out.getType(), *q);
  out.replaceAllUsesExcept(dq, q->getDefiningOp());
  return success();
}

LogicalResult Quantizer::run() {
  SmallVector<Operation *> ops;
  DenseSet<Operation *> onHost;
  for (Operation &op : f.getBody().front()) {
    std::optional<std::string> reason = unquantizableReason(&op, config);
    if (!reason)
      ops.push_back(&op);
    else if (hostForm(&op) && onHost.insert(&op).second)
      ops.push_back(&op);
    else if (llvm::isa<ConvOp, DecomposedConvOp, GemmOp, MatMulOp, AddOp, SubOp,
                       MulOp, MaxPoolOp, AveragePoolOp, GlobalAveragePoolOp>(
                 op) ||
             isActivationFunction(&op))
      op.setAttr(kNotQuantizedAttr, b.getStringAttr(*reason));
  }
  DenseSet<Operation *> fused;
  for (Operation *op : ops) {
    if (fused.contains(op))
      continue;
    if (onHost.contains(op)) {
      if (failed(bracketHostOp(op)))
        return failure();
      continue;
    }
    bool producesAcc = llvm::isa<ConvOp, DecomposedConvOp, GemmOp, MatMulOp>(op);
    Operation *act = nullptr;
    if (producesAcc || llvm::isa<AddOp, SubOp, MulOp>(op))
      act = fusedActivation(op->getResult(0), /*allowLeaky=*/producesAcc);
    Value out = act ? act->getResult(0) : op->getResult(0);
    b.setInsertionPoint(act ? act : op);
    FailureOr<Value> q = lower(op, act, out);
    if (failed(q))
      return failure();
    FailureOr<QType> want = typeOf(out);
    if (failed(want))
      return failure();
    if (quantType(q->getType()) != *want)
      return op->emitError("escalate-quantize: the result is quantized as ")
             << quantType(q->getType()) << " but its range needs " << *want;
    // The final integer op computes what `out` computed: it takes its
    // layer name (the fused activation's), so dumps compare by name.
    q->getDefiningOp()->setLoc(out.getLoc());
    b.setInsertionPointAfter(q->getDefiningOp());
    Value dq = DequantizeOp::create(b, op->getLoc(), out.getType(), *q);
    out.replaceAllUsesWith(dq);
    if (act) {
      fused.insert(act);
      act->erase();
    }
    op->erase();
  }
  // An output that is a graph input as it is (an Identity model, a pass-
  // through second output) is that input's quantized tensor: the program
  // declares the output where the input lives.
  Operation *ret = f.getBody().front().getTerminator();
  for (OpOperand &use : ret->getOpOperands()) {
    if (!llvm::isa<BlockArgument>(use.get()))
      continue;
    FailureOr<Value> q = quantized(use.get());
    if (failed(q))
      return failure();
    b.setInsertionPoint(ret);
    use.set(DequantizeOp::create(b, ret->getLoc(), use.get().getType(), *q));
  }
  // Dequantizations nobody reads were only bridges between integer ops, and
  // the float weights were replaced by integer ones.
  SmallVector<Operation *> dead;
  f.walk([&](Operation *op) {
    if (llvm::isa<DequantizeOp, ConstantOp>(op) && op->use_empty())
      dead.push_back(op);
  });
  for (Operation *op : dead)
    op->erase();
  return success();
}

LogicalResult
escalate::quantizeFunction(func::FuncOp f, const QuantConfig &config,
                           const DenseMap<Value, QType> &types,
                           function_ref<std::string(Value)> nameOf) {
  return Quantizer(f, config, types, nameOf).run();
}
