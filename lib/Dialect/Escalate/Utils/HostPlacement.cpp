//===- HostPlacement.cpp - which float ops the host core runs -------------===//
#include "escalate/Dialect/Escalate/Utils/HostPlacement.h"
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace escalate;
namespace host = escalate::isa::host;

namespace {
bool isF32(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.getElementType().isF32();
}

/// Whether a conv's or gemm's weights (and bias) are constants: the host
/// runs a layer of the model, not a product of two computed tensors (a
/// weight that is a graph input is an error that suggests
/// --freeze-input).
bool constantWeights(Operation *op) {
  return llvm::all_of(op->getOperands().drop_front(),
                      [](Value v) { return matchPattern(v, m_Constant()); });
}

int64_t rankOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getRank();
}

/// The window parameters the host's conv and pool kernels take, in the
/// order docs/isa.md gives; 1 to 3 spatial axes (the kernels' limit).
std::optional<HostForm>
windowForm(host::Kind kind, Value input, ArrayRef<int64_t> lead,
           std::initializer_list<ArrayRef<int64_t>> rest) {
  int64_t nsp = rankOf(input) - 2;
  if (nsp < 1 || nsp > 3)
    return std::nullopt;
  HostForm form{kind, llvm::to_vector(lead), {}};
  for (ArrayRef<int64_t> part : rest)
    llvm::append_range(form.ints, part);
  return form;
}
} // namespace

ValueRange escalate::hostInputs(Operation *op) {
  // Gather's indices are constant integers: they travel as parameters.
  if (llvm::isa<GatherOp>(op))
    return op->getOperands().take_front();
  return op->getOperands();
}

std::optional<HostForm> escalate::hostForm(Operation *op) {
  if (op->getNumResults() != 1 || !isF32(op->getResult(0)) ||
      !llvm::all_of(hostInputs(op), isF32))
    return std::nullopt;
  // A DRAM tensor has rank >= 1 and no empty dimension (the loader's rule).
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  if (result.getRank() == 0 || !result.hasStaticShape() ||
      llvm::any_of(result.getShape(), [](int64_t d) { return d < 1; }))
    return std::nullopt;
  auto simple = [](host::Kind kind) -> std::optional<HostForm> {
    return HostForm{kind, {}, {}};
  };
  // An element-wise function's real parameters (docs/isa.md, "Host ops").
  auto withReals =
      [](host::Kind kind,
         std::initializer_list<APFloat> reals) -> std::optional<HostForm> {
    HostForm form{kind, {}, {}};
    for (const APFloat &r : reals)
      form.reals.push_back(r.convertToDouble());
    return form;
  };
  // A reduction's axes, counted from the front.
  auto reduceForm = [](host::Kind kind, auto r) -> std::optional<HostForm> {
    int64_t rank = cast<RankedTensorType>(r.getInput().getType()).getRank();
    HostForm form{kind, {}, {}};
    for (int64_t a : r.getAxes())
      form.ints.push_back(a < 0 ? a + rank : a);
    return form;
  };
  return llvm::TypeSwitch<Operation *, std::optional<HostForm>>(op)
      .Case([](TransposeOp t) -> std::optional<HostForm> {
        return HostForm{host::Transpose, llvm::to_vector(t.getPerm()), {}};
      })
      .Case([](SliceOp s) -> std::optional<HostForm> {
        HostForm form{host::Slice, llvm::to_vector(s.getStarts()), {}};
        llvm::append_range(form.ints, s.getSteps());
        return form;
      })
      .Case([](ResizeOp r) -> std::optional<HostForm> {
        int64_t rounding = llvm::StringSwitch<int64_t>(r.getNearestMode())
                               .Case("round_prefer_ceil", 1)
                               .Case("floor", 2)
                               .Case("ceil", 3)
                               .Default(0);
        HostForm form{host::Resize,
                      {r.getMode() == "linear", rounding},
                      llvm::to_vector(r.getCoordScale())};
        llvm::append_range(form.reals, r.getCoordOffset());
        return form;
      })
      .Case([&](ReduceMeanOp r) { return reduceForm(host::ReduceMean, r); })
      .Case([&](ReduceMaxOp r) { return reduceForm(host::ReduceMax, r); })
      .Case([&](ReduceMinOp r) { return reduceForm(host::ReduceMin, r); })
      .Case([](MatMulOp m) -> std::optional<HostForm> {
        if (cast<RankedTensorType>(m.getLhs().getType()).getRank() < 2 ||
            cast<RankedTensorType>(m.getRhs().getType()).getRank() < 2)
          return std::nullopt;
        return HostForm{host::MatMul, {}, {}};
      })
      .Case([](ConvOp c) -> std::optional<HostForm> {
        if (!constantWeights(c))
          return std::nullopt;
        return windowForm(host::Conv, c.getInput(), {int64_t(c.getGroup())},
                          {c.getStrides(), c.getDilations(), c.getPads()});
      })
      .Case([](ConvTransposeOp c) -> std::optional<HostForm> {
        if (!constantWeights(c))
          return std::nullopt;
        return windowForm(host::ConvTranspose, c.getInput(),
                          {int64_t(c.getGroup())},
                          {c.getStrides(), c.getDilations(), c.getPads()});
      })
      .Case([](MaxPoolOp p) {
        return windowForm(host::MaxPool, p.getInput(), {},
                          {p.getKernelShape(), p.getStrides(), p.getDilations(),
                           p.getPads()});
      })
      .Case([](AveragePoolOp p) {
        return windowForm(host::AveragePool, p.getInput(),
                          {int64_t(p.getCountIncludePad())},
                          {p.getKernelShape(), p.getStrides(), p.getDilations(),
                           p.getPads()});
      })
      .Case([](PadOp p) -> std::optional<HostForm> {
        HostForm form{host::Pad,
                      {int64_t(p.getMode())},
                      {p.getValue().convertToDouble()}};
        llvm::append_range(form.ints, p.getPads());
        return form;
      })
      .Case([](GatherOp g) -> std::optional<HostForm> {
        DenseElementsAttr indices;
        if (!matchPattern(g.getIndices(), m_Constant(&indices)))
          return std::nullopt;
        int64_t rank = rankOf(g.getData());
        int64_t axis = g.getAxis() < 0 ? g.getAxis() + rank : g.getAxis();
        HostForm form{host::Gather, {axis, indices.getType().getRank()}, {}};
        llvm::append_range(form.ints, indices.getType().getShape());
        for (const APInt &i : indices.getValues<APInt>())
          form.ints.push_back(i.getSExtValue());
        return form;
      })
      .Case([](GemmOp g) -> std::optional<HostForm> {
        if (!constantWeights(g))
          return std::nullopt;
        return HostForm{
            host::Gemm,
            {int64_t(g.getTransA()), int64_t(g.getTransB())},
            {g.getAlpha().convertToDouble(), g.getBeta().convertToDouble()}};
      })
      .Case([&](PReluOp) { return simple(host::PRelu); })
      .Case([](ConcatOp c) -> std::optional<HostForm> {
        int64_t rank = rankOf(c.getResult());
        return HostForm{
            host::Concat, {int64_t((c.getAxis() + rank) % rank)}, {}};
      })
      .Case([](LogSoftmaxOp s) -> std::optional<HostForm> {
        return HostForm{host::LogSoftmax, {int64_t(s.getAxis())}, {}};
      })
      .Case([](ArgMaxOp a) -> std::optional<HostForm> {
        return HostForm{host::ArgMax,
                        {int64_t(a.getAxis()), int64_t(a.getKeepdims()),
                         int64_t(a.getSelectLastIndex())},
                        {}};
      })
      .Case([&](MaxOp) { return simple(host::Max); })
      .Case([&](MinOp) { return simple(host::Min); })
      .Case([](GlobalAveragePoolOp p) -> std::optional<HostForm> {
        if (rankOf(p.getInput()) < 3)
          return std::nullopt;
        return HostForm{host::GlobalAveragePool, {}, {}};
      })
      .Case([&](ReluOp) { return simple(host::Relu); })
      .Case([&](LeakyReluOp r) {
        return withReals(host::LeakyRelu, {r.getAlpha()});
      })
      .Case([&](ClipOp c) {
        return withReals(host::Clip, {c.getMin(), c.getMax()});
      })
      .Case([&](SigmoidOp) { return simple(host::Sigmoid); })
      .Case([&](HardSigmoidOp h) {
        return withReals(host::HardSigmoid, {h.getAlpha(), h.getBeta()});
      })
      .Case([&](HardSwishOp) { return simple(host::HardSwish); })
      .Case([&](EluOp e) { return withReals(host::Elu, {e.getAlpha()}); })
      .Case([&](SeluOp s) {
        return withReals(host::Selu, {s.getAlpha(), s.getGamma()});
      })
      .Case([&](CeluOp c) { return withReals(host::Celu, {c.getAlpha()}); })
      .Case([&](SoftplusOp) { return simple(host::Softplus); })
      .Case([&](SoftsignOp) { return simple(host::Softsign); })
      .Case([&](ThresholdedReluOp t) {
        return withReals(host::ThresholdedRelu, {t.getAlpha()});
      })
      .Case([&](AddOp) { return simple(host::Add); })
      .Case([&](SubOp) { return simple(host::Sub); })
      .Case([&](MulOp) { return simple(host::Mul); })
      .Case([&](DivOp) { return simple(host::Div); })
      .Case([&](PowOp) { return simple(host::Pow); })
      .Case([&](SqrtOp) { return simple(host::Sqrt); })
      .Case([&](ErfOp) { return simple(host::Erf); })
      .Case([&](ExpOp) { return simple(host::Exp); })
      .Case([&](LogOp) { return simple(host::Log); })
      .Case([&](TanhOp) { return simple(host::Tanh); })
      .Case([&](NegOp) { return simple(host::Neg); })
      .Case([&](AbsOp) { return simple(host::Abs); })
      .Default([](Operation *) { return std::nullopt; });
}
