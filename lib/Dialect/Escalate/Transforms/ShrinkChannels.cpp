//===- ShrinkChannels.cpp - remove dead and zero channels across the graph ===//
//
// Two facts per activation channel drive the removal:
//   - its constant value, when the whole map is one number (forward: a conv
//     output channel whose kernels all see zero weights or zero inputs is
//     its bias; channel-wise ops map constants to constants);
//   - whether it may be dropped (backward and forward constraints: every
//     user must either not need it or see zero in it, and ops linking
//     channels one-to-one must drop the same ones).
// The drop sets start full and only shrink until every constraint holds, so
// the result is the largest consistent removal.
//
//===----------------------------------------------------------------------===//
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/MapVector.h"
#include <cmath>

namespace escalate {
#define GEN_PASS_DEF_SHRINKCHANNELS
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;

namespace {
/// An activation with a channel axis (NC...).
bool hasChannels(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.getRank() >= 2 && type.getElementType().isF32() &&
         type.getDimSize(1) > 0;
}

/// A group-1 convolution (plain or decomposed) with constant weights: which
/// (output, input) channel pairs have any nonzero weight, and the bias.
struct Layer {
  int64_t cout = 0, cin = 0;
  Tensor weight; // [C_out, C_in, rest]: conv kernels or coefficients
  std::vector<float> bias;
  std::vector<char> reads; // cout x cin

  static std::optional<Layer> of(Operation *op) {
    Value weightV, biasV;
    if (auto conv = dyn_cast<ConvOp>(op)) {
      if (conv.getGroup() != 1)
        return std::nullopt;
      weightV = conv.getWeight();
      biasV = conv.getBias();
    } else if (auto dec = dyn_cast<DecomposedConvOp>(op)) {
      if (dec.getGroup() != 1)
        return std::nullopt;
      weightV = dec.getCoefficients();
      biasV = dec.getBias();
    } else {
      return std::nullopt;
    }
    FailureOr<Tensor> w = constantValue(weightV);
    if (failed(w) || w->rank() < 2)
      return std::nullopt;
    Layer layer;
    layer.cout = w->dim(0);
    layer.cin = w->dim(1);
    layer.bias.assign(layer.cout, 0.0f);
    if (biasV) {
      FailureOr<Tensor> b = constantValue(biasV);
      if (failed(b) || b->numElements() != layer.cout)
        return std::nullopt;
      llvm::copy(b->f32(), layer.bias.begin());
    }
    int64_t rest =
        w->numElements() / std::max<int64_t>(layer.cout * layer.cin, 1);
    layer.reads.assign(layer.cout * layer.cin, 0);
    for (int64_t p = 0; p < layer.cout * layer.cin; ++p)
      for (int64_t t = 0; t < rest && !layer.reads[p]; ++t)
        layer.reads[p] = w->f32()[p * rest + t] != 0.0f;
    layer.weight = std::move(*w);
    return layer;
  }
};

/// Ops whose output channel c is a function of their tensor operands'
/// channel c alone: the operands and the result drop the same channels.
bool isChannelwise(Operation *op) {
  if (op->getNumResults() != 1 || !hasChannels(op->getResult(0)))
    return false;
  if (llvm::isa<ReluOp, LeakyReluOp, ClipOp, SigmoidOp, HardSigmoidOp,
                HardSwishOp, IdentityOp, DropoutOp, FakeQuantOp, MaxPoolOp,
                AveragePoolOp, GlobalAveragePoolOp, BatchNormOp>(op))
    return true;
  if (llvm::isa<AddOp, SubOp, MulOp, DivOp>(op))
    return llvm::all_of(op->getOperandTypes(), [&](Type t) {
      return t == op->getResult(0).getType();
    });
  return false;
}

bool isChannelConcat(Operation *op) {
  auto concat = dyn_cast<ConcatOp>(op);
  return concat && concat.getAxis() == 1 && hasChannels(concat.getResult());
}

/// The operands of a channel-wise op that carry channels (not batch norm's
/// per-channel parameters).
OperandRange channelOperands(Operation *op) {
  return llvm::isa<BatchNormOp>(op) ? op->getOperands().take_front()
                                    : op->getOperands();
}

/// A flatten feeding only Gemm/MatMul heads with constant weights:
/// reshape(NC... -> [N, C * rest]).
bool isFlattenHead(ReshapeOp reshape) {
  auto in = reshape.getInput().getType();
  auto out = reshape.getType();
  if (!hasChannels(reshape.getInput()) || out.getRank() != 2 ||
      out.getDimSize(0) != in.getDimSize(0) || reshape->use_empty())
    return false;
  return llvm::all_of(reshape->getUses(), [](OpOperand &use) {
    if (auto gemm = dyn_cast<GemmOp>(use.getOwner()))
      return use.getOperandNumber() == 0 && !gemm.getTransA() &&
             gemm.getB().getDefiningOp<ConstantOp>();
    if (auto mm = dyn_cast<MatMulOp>(use.getOwner()))
      return use.getOperandNumber() == 0 &&
             mm.getRhs().getType().getRank() == 2 &&
             mm.getRhs().getDefiningOp<ConstantOp>();
    return false;
  });
}

/// A flatten head's weight operand and whether it is stored [N, K].
std::pair<OpOperand *, bool> headWeight(Operation *head) {
  if (auto gemm = dyn_cast<GemmOp>(head))
    return {&gemm.getBMutable(), gemm.getTransB()};
  return {&cast<MatMulOp>(head).getRhsMutable(), false};
}

/// Indices below `n` not in `dropped`.
SmallVector<int64_t> keptIndices(const llvm::BitVector &dropped, int64_t n) {
  SmallVector<int64_t> keep;
  for (int64_t c = 0; c < n; ++c)
    if (c >= int64_t(dropped.size()) || !dropped.test(c))
      keep.push_back(c);
  return keep;
}

using Konst = std::vector<std::optional<float>>;

struct ShrinkChannelsPass
    : public escalate::impl::ShrinkChannelsBase<ShrinkChannelsPass> {
  using ShrinkChannelsBase::ShrinkChannelsBase;

  llvm::DenseMap<Operation *, Layer> layers;
  llvm::DenseMap<Value, Konst> konst;
  llvm::MapVector<Value, llvm::BitVector> drop;
  /// Per flatten head: the channels whose weight rows are not all zero.
  llvm::DenseMap<Operation *, llvm::BitVector> headReads;
  /// Channel-wise ops and channel concats, classified before rewriting
  /// changes their operand types.
  llvm::DenseSet<Operation *> channelwise, concats;

  void runOnOperation() override {
    getOperation().walk([&](func::FuncOp func) { shrink(func); });
  }

  void shrink(func::FuncOp func) {
    layers.clear();
    konst.clear();
    drop.clear();
    headReads.clear();
    channelwise.clear();
    concats.clear();
    func.walk([&](Operation *op) {
      if (isChannelwise(op))
        channelwise.insert(op);
      if (isChannelConcat(op))
        concats.insert(op);
      if (std::optional<Layer> layer = Layer::of(op))
        layers.try_emplace(op, std::move(*layer));
      if (auto reshape = dyn_cast<ReshapeOp>(op);
          reshape && isFlattenHead(reshape))
        headReads[op] = readChannels(reshape);
      for (Value v : op->getResults())
        if (hasChannels(v))
          konst[v] = constants(op, v);
    });
    // Producers that can lose channels start with all of them droppable.
    func.walk([&](Operation *op) {
      if (layers.count(op) || channelwise.count(op) || concats.count(op))
        dropSet(op->getResult(0)).set();
    });
    // Narrow to the fixed point; a value left with no channel keeps its
    // first one, which may narrow others in turn.
    for (bool changed = true; changed;) {
      changed = false;
      func.walk([&](Operation *op) { changed |= constrain(op); });
      if (changed)
        continue;
      for (auto &entry : drop)
        if (entry.second.size() && entry.second.all()) {
          entry.second.reset(0);
          changed = true;
        }
    }
    if (llvm::none_of(drop, [](auto &e) { return e.second.any(); }))
      return;
    // Rewriting erases replaced weight constants, so walk a snapshot.
    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) {
      if (!llvm::isa<ConstantOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops)
      rewrite(op);
  }

  /// The channels a flatten head's weights read.
  static llvm::BitVector readChannels(ReshapeOp reshape) {
    int64_t channels = reshape.getInput().getType().getDimSize(1);
    int64_t k = reshape.getType().getDimSize(1), rest = k / channels;
    llvm::BitVector reads(channels);
    for (OpOperand &use : reshape->getUses()) {
      auto [operand, transposed] = headWeight(use.getOwner());
      FailureOr<Tensor> w = constantValue(operand->get());
      int64_t n = w->numElements() / k;
      for (int64_t r = 0; r < k; ++r)
        for (int64_t j = 0; j < n && !reads.test(r / rest); ++j)
          if (w->f32()[transposed ? j * k + r : r * n + j] != 0.0f)
            reads.set(r / rest);
    }
    return reads;
  }

  llvm::BitVector &dropSet(Value v) {
    auto [it, inserted] = drop.try_emplace(v);
    if (inserted)
      it->second.resize(cast<RankedTensorType>(v.getType()).getDimSize(1));
    return it->second;
  }

  bool isZero(Value v, int64_t c) {
    auto it = konst.find(v);
    return it != konst.end() && it->second[c] && *it->second[c] == 0.0f;
  }

  /// Forward constant analysis of `v`, the result of `op`.
  Konst constants(Operation *op, Value v) {
    int64_t channels = cast<RankedTensorType>(v.getType()).getDimSize(1);
    Konst out(channels);
    auto in = [&](Value operand) -> const Konst * {
      auto it = konst.find(operand);
      return it == konst.end() ? nullptr : &it->second;
    };
    if (auto it = layers.find(op); it != layers.end()) {
      const Layer &l = it->second;
      Value input = op->getOperand(0);
      for (int64_t o = 0; o < l.cout; ++o) {
        bool constant = true;
        for (int64_t i = 0; i < l.cin && constant; ++i)
          constant = !l.reads[o * l.cin + i] || isZero(input, i);
        if (constant)
          out[o] = l.bias[o];
      }
      return out;
    }
    if (concats.count(op)) {
      int64_t at = 0;
      for (Value operand : op->getOperands()) {
        const Konst *k = in(operand);
        int64_t n = cast<RankedTensorType>(operand.getType()).getDimSize(1);
        for (int64_t c = 0; c < n; ++c)
          out[at + c] = k ? (*k)[c] : std::nullopt;
        at += n;
      }
      return out;
    }
    if (!channelwise.count(op))
      return out;
    const Konst *a = in(op->getOperand(0));
    const Konst *b = op->getNumOperands() > 1 ? in(op->getOperand(1)) : nullptr;
    std::optional<Tensor> bnParams[4];
    if (auto bn = dyn_cast<BatchNormOp>(op)) {
      Value params[4] = {bn.getScale(), bn.getBias(), bn.getMean(),
                         bn.getVariance()};
      for (int j = 0; j < 4; ++j) {
        FailureOr<Tensor> t = constantValue(params[j]);
        if (failed(t) || t->numElements() != channels)
          return out;
        bnParams[j] = std::move(*t);
      }
    }
    for (int64_t c = 0; c < channels; ++c) {
      std::optional<float> x = a ? (*a)[c] : std::nullopt;
      std::optional<float> y = b ? (*b)[c] : std::nullopt;
      if (!x)
        continue;
      float value = *x;
      if (llvm::isa<ReluOp>(op))
        value = std::max(value, 0.0f);
      else if (auto leaky = dyn_cast<LeakyReluOp>(op))
        value = value >= 0 ? value : leaky.getAlpha().convertToFloat() * value;
      else if (auto clip = dyn_cast<ClipOp>(op))
        value = std::min(std::max(value, clip.getMin().convertToFloat()),
                         clip.getMax().convertToFloat());
      else if (auto bn = dyn_cast<BatchNormOp>(op))
        value = (value - bnParams[2]->f32()[c]) /
                    std::sqrt(bnParams[3]->f32()[c] +
                              bn.getEpsilon().convertToFloat()) *
                    bnParams[0]->f32()[c] +
                bnParams[1]->f32()[c];
      else if (llvm::isa<AddOp, SubOp, MulOp>(op)) {
        if (!y)
          continue;
        value = llvm::isa<AddOp>(op)   ? value + *y
                : llvm::isa<SubOp>(op) ? value - *y
                                       : value * *y;
      } else if (llvm::isa<AveragePoolOp, FakeQuantOp>(op)) {
        // Zero stays zero (padding counts zeros; zero is representable).
        if (value != 0.0f)
          continue;
      } else if (!llvm::isa<IdentityOp, DropoutOp, MaxPoolOp,
                            GlobalAveragePoolOp>(op)) {
        continue;
      }
      out[c] = value;
    }
    return out;
  }

  /// Narrows drop sets by what `op` needs of its operands; true if any
  /// set changed.
  bool constrain(Operation *op) {
    bool changed = false;
    auto narrow = [&](Value v, const llvm::BitVector &allowed) {
      llvm::BitVector &d = dropSet(v);
      llvm::BitVector before = d;
      d &= allowed;
      changed |= d != before;
    };
    auto keepAll = [&](Value v) {
      if (hasChannels(v))
        narrow(v, llvm::BitVector(dropSet(v).size()));
    };

    if (auto it = layers.find(op); it != layers.end()) {
      // Input channel i may go if it is zero or no surviving output reads it.
      const Layer &l = it->second;
      Value input = op->getOperand(0);
      const llvm::BitVector &outDrop = dropSet(op->getResult(0));
      llvm::BitVector allowed(l.cin);
      for (int64_t i = 0; i < l.cin; ++i) {
        bool needed = false;
        for (int64_t o = 0; o < l.cout && !needed; ++o)
          needed = l.reads[o * l.cin + i] && !outDrop.test(o);
        allowed[i] = !needed || isZero(input, i);
      }
      narrow(input, allowed);
      return changed;
    }
    if (channelwise.count(op)) {
      Value result = op->getResult(0);
      llvm::BitVector common = dropSet(result);
      for (Value operand : channelOperands(op))
        common &= dropSet(operand);
      narrow(result, common);
      for (Value operand : channelOperands(op))
        narrow(operand, common);
      return changed;
    }
    if (concats.count(op)) {
      Value result = op->getResult(0);
      llvm::BitVector resultAllowed(dropSet(result).size());
      int64_t at = 0;
      for (Value operand : op->getOperands()) {
        llvm::BitVector &in = dropSet(operand);
        llvm::BitVector allowed(in.size());
        for (unsigned c = 0; c < in.size(); ++c) {
          allowed[c] = dropSet(result).test(at + c);
          resultAllowed[at + c] = in.test(c);
        }
        narrow(operand, allowed);
        at += in.size();
      }
      narrow(result, resultAllowed);
      return changed;
    }
    if (auto it = headReads.find(op); it != headReads.end()) {
      // Channel c's weight rows must all be zero, or the channel zero.
      Value input = op->getOperand(0);
      llvm::BitVector allowed = it->second;
      allowed.flip();
      for (unsigned c = 0; c < allowed.size(); ++c)
        allowed[c] = allowed[c] || isZero(input, c);
      narrow(input, allowed);
      return changed;
    }
    for (Value operand : op->getOperands())
      keepAll(operand);
    return changed;
  }

  /// The drop set of `v`, empty if it has none.
  llvm::BitVector dropped(Value v) {
    auto it = drop.find(v);
    return it == drop.end() ? llvm::BitVector() : it->second;
  }

  void setChannels(Value v) {
    llvm::BitVector d = dropped(v);
    if (d.none())
      return;
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape[1] -= d.count();
    v.setType(type.clone(shape));
  }

  void rewrite(Operation *op) {
    OpBuilder b(op);
    auto f32Type = [&](const Tensor &t) {
      return RankedTensorType::get(t.shape(), b.getF32Type());
    };
    if (auto it = layers.find(op); it != layers.end()) {
      llvm::BitVector outDrop = dropped(op->getResult(0));
      llvm::BitVector inDrop = dropped(op->getOperand(0));
      if (outDrop.none() && inDrop.none())
        return;
      Layer &l = it->second;
      if (!op->hasAttr(kOriginalChannelsAttr))
        op->setAttr(kOriginalChannelsAttr,
                    b.getDenseI64ArrayAttr({l.cout, l.cin}));
      SmallVector<int64_t> keepOut = keptIndices(outDrop, l.cout);
      SmallVector<int64_t> keepIn = keptIndices(inDrop, l.cin);
      Tensor weight = selectAlong(selectAlong(l.weight, 0, keepOut), 1, keepIn);
      OpOperand *biasOperand = nullptr;
      if (auto dec = dyn_cast<DecomposedConvOp>(op)) {
        setCoefficients(dec, *constantValue(dec.getBases()), weight);
        if (dec.getBias())
          biasOperand = &dec.getBiasMutable()[0];
      } else {
        auto conv = cast<ConvOp>(op);
        replaceOperand(
            conv.getWeightMutable(),
            createConstant(b, op, weight, f32Type(weight), ".weight"));
        if (conv.getBias())
          biasOperand = &conv.getBiasMutable()[0];
        conv->removeAttr(kEncodingAttr);
      }
      if (biasOperand && outDrop.any()) {
        Tensor bias =
            selectAlong(*constantValue(biasOperand->get()), 0, keepOut);
        replaceOperand(*biasOperand,
                       createConstant(b, op, bias, f32Type(bias), ".bias"));
      }
      setChannels(op->getResult(0));
      return;
    }
    if (channelwise.count(op) || concats.count(op)) {
      llvm::BitVector d = dropped(op->getResult(0));
      if (auto bn = dyn_cast<BatchNormOp>(op); bn && d.any()) {
        SmallVector<int64_t> keep = keptIndices(d, d.size());
        for (OpOperand &param : op->getOpOperands().drop_front()) {
          Tensor t = selectAlong(*constantValue(param.get()), 0, keep);
          replaceOperand(param, createConstant(b, op, t, f32Type(t), ".param"));
        }
      }
      setChannels(op->getResult(0));
      return;
    }
    auto reshape = dyn_cast<ReshapeOp>(op);
    if (!headReads.count(op) || dropped(reshape.getInput()).none())
      return;
    // The flatten head: fewer rows of every consumer's weight.
    llvm::BitVector d = dropped(reshape.getInput());
    int64_t channels = d.size();
    int64_t rest = reshape.getType().getDimSize(1) / channels;
    SmallVector<int64_t> rows;
    for (int64_t c : keptIndices(d, channels))
      for (int64_t r = 0; r < rest; ++r)
        rows.push_back(c * rest + r);
    for (OpOperand &use : reshape->getUses()) {
      Operation *head = use.getOwner();
      auto [weight, transposed] = headWeight(head);
      Tensor t =
          selectAlong(*constantValue(weight->get()), transposed ? 1 : 0, rows);
      OpBuilder hb(head);
      replaceOperand(*weight,
                     createConstant(hb, head, t, f32Type(t), ".weight"));
    }
    SmallVector<int64_t> shape = {reshape.getType().getDimSize(0),
                                  int64_t(rows.size())};
    reshape.setShape(shape);
    reshape.getResult().setType(reshape.getType().clone(shape));
  }
};
} // namespace
