//===- MemoryPlan.cpp - DRAM for activations by liveness ------------------===//
#include "MemoryPlan.h"
#include "escalate/Dialect/Escalate/Utils/AcceleratorLayers.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using namespace escalate;

namespace {
constexpr uint64_t kAlign = hw::kDramAlign;

uint64_t tensorBytes(Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  return uint64_t(t.getNumElements()) * (storageBits(t) / 8);
}
uint64_t imageBytes(Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  return tensorBytes(v) / uint64_t(std::max<int64_t>(1, t.getDimSize(0)));
}

/// Union-find with byte offsets: a value lives at its parent's address
/// plus its offset.
struct Aliases {
  llvm::DenseMap<Value, std::pair<Value, int64_t>> parent;
  std::pair<Value, int64_t> find(Value v) const {
    int64_t off = 0;
    for (auto it = parent.find(v); it != parent.end(); it = parent.find(v)) {
      off += it->second.second;
      v = it->second.first;
    }
    return {v, off};
  }
};

/// `v` with the (aliasing) reshapes it came through peeled off.
Value reshapeBase(Value v) {
  while (auto r = v.getDefiningOp<ReshapeOp>())
    v = r->getOperand(0);
  return v;
}

/// Placement of channel concats inside their results. A tensor lives in
/// one place, so an operand can be placed inside its concat only if it is
/// not a graph input (written before the program, outside the arena) or a
/// channel slice (a view of another tensor), not repeated in the concat, and
/// not already inside another concat, except when that concat's whole operand
/// list recurs here in order (DenseNet's growing concats): then the earlier
/// concat is placed inside this one.
struct ConcatPlacer {
  Aliases alias;
  /// The concat each placed tensor (reshape base) was put in directly.
  llvm::DenseMap<Value, ConcatOp> heldBy;
  /// Concats with an operand that needs a copy: once copied, their operand
  /// lists no longer recur in a later concat's, so they never count as a
  /// recurring prefix (planning after the copies must agree).
  llvm::DenseSet<Operation *> withCopies;

  /// Bytes between the channels of tensors placed inside an interleave.
  llvm::DenseMap<Value, uint64_t> channelStride;

  /// Places `op`'s operand j at channel j of its result, every n-th
  /// channel (n operands). Only a layer's own output that nothing else
  /// reads can be: the layer writes it with channel-strided stores, and no
  /// op reads a strided view. `unplaceable` collects the others.
  void placeInterleave(InterleaveOp op, uint64_t plane,
                       llvm::SmallVectorImpl<OpOperand *> &unplaceable) {
    uint64_t n = op.getNumOperands();
    for (OpOperand &use : op->getOpOperands()) {
      Value v = use.get();
      Operation *def = v.getDefiningOp();
      if (!def || !llvm::isa<RequantOp, QPoolOp, QAddOp, QMulOp, QLutOp>(def) ||
          !v.hasOneUse() || alias.parent.count(v)) {
        unplaceable.push_back(&use);
        continue;
      }
      alias.parent[v] = {op.getResult(),
                         int64_t(use.getOperandNumber() * plane)};
      channelStride[v] = n * plane;
    }
  }

  static int64_t channels(Value v) {
    return cast<RankedTensorType>(v.getType()).getDimSize(1);
  }

  /// The earlier concat, itself not inside another, whose operands are
  /// `ops` from index `i` on, if `ops[i]` sits in it; null otherwise.
  ConcatOp recurring(OperandRange ops, size_t i) const {
    auto it = heldBy.find(reshapeBase(ops[i]));
    while (it != heldBy.end()) {
      ConcatOp p = it->second;
      OperandRange prefix = p.getOperands();
      if (withCopies.contains(p) || i + prefix.size() > ops.size() ||
          !std::equal(prefix.begin(), prefix.end(), ops.begin() + i))
        return nullptr;
      it = heldBy.find(p.getResult());
      if (it == heldBy.end())
        return p;
    }
    return nullptr;
  }

  /// Places `concat`'s operands inside it; `unplaceable` collects the ones
  /// that cannot be (they need a copy).
  void place(ConcatOp concat, uint64_t plane,
             llvm::SmallVectorImpl<OpOperand *> &unplaceable) {
    OperandRange ops = concat.getOperands();
    int64_t channel = 0;
    llvm::SmallPtrSet<Value, 4> seen;
    for (size_t i = 0; i < ops.size();) {
      Value base = reshapeBase(ops[i]);
      if (heldBy.count(base)) {
        if (ConcatOp p = recurring(ops, i)) {
          alias.parent[p.getResult()] = {concat.getResult(),
                                         int64_t(channel * plane)};
          heldBy[p.getResult()] = concat;
          for (size_t j = 0; j < p.getNumOperands(); ++j)
            seen.insert(reshapeBase(ops[i + j]));
          channel += channels(p.getResult());
          i += p.getNumOperands();
          continue;
        }
      }
      // A channel slice is a view into a larger tensor, which cannot move
      // into the concat as a whole.
      if (heldBy.count(base) || llvm::isa<BlockArgument>(base) ||
          base.getDefiningOp<QuantizeOp>() || base.getDefiningOp<SliceOp>() ||
          !seen.insert(base).second) {
        unplaceable.push_back(&concat->getOpOperand(i));
        withCopies.insert(concat);
      } else {
        auto [root, off] = alias.find(ops[i]);
        alias.parent[root] = {concat.getResult(),
                              int64_t(channel * plane) - off};
        heldBy[base] = concat;
      }
      channel += channels(ops[i]);
      ++i;
    }
  }
};

/// Bytes of one channel of one image of a concat's or interleave's result.
uint64_t channelPlane(Value result) {
  auto type = cast<RankedTensorType>(result.getType());
  return imageBytes(result) / type.getDimSize(1);
}

bool isChannelConcat(ConcatOp concat) {
  auto type = cast<RankedTensorType>(concat.getType());
  int64_t axis = concat.getAxis() < 0 ? concat.getAxis() + type.getRank()
                                      : concat.getAxis();
  return axis == 1;
}
} // namespace

llvm::SmallVector<OpOperand *>
escalate::unplaceableConcatOperands(func::FuncOp f) {
  ConcatPlacer placer;
  llvm::SmallVector<OpOperand *> unplaceable;
  for (Operation &op : f.getBody().front()) {
    if (auto concat = dyn_cast<ConcatOp>(op);
        concat && quantType(concat.getType()) && isChannelConcat(concat))
      placer.place(concat, channelPlane(concat.getResult()), unplaceable);
    if (auto mix = dyn_cast<InterleaveOp>(op); mix && quantType(mix.getType()))
      placer.placeInterleave(mix, channelPlane(mix.getResult()), unplaceable);
  }
  return unplaceable;
}

FailureOr<DramPlan> escalate::planDram(func::FuncOp f) {
  Block &body = f.getBody().front();
  llvm::DenseMap<Operation *, int64_t> index;
  int64_t n = 0;
  // A conv and its requant are one layer: the conv's input must stay intact
  // until the requant's last store, so both take the conv's position. So
  // does a fused epilogue, which runs there (reading its other operand and
  // writing its result); the requant's own result then never reaches DRAM.
  llvm::DenseSet<Value> onChip;
  for (Operation &op : body) {
    auto rq = dyn_cast<RequantOp>(op);
    Operation *conv = rq ? rq.getInput().getDefiningOp() : nullptr;
    if (Operation *owner = epilogueOwner(&op))
      conv = owner;
    else if (conv && fusedEpilogue(conv))
      onChip.insert(rq.getOutput());
    index[&op] = conv && index.count(conv) ? index[conv] : ++n;
  }
  int64_t end = n + 1;

  llvm::SmallVector<Value> values;
  ConcatPlacer placer;
  Aliases &alias = placer.alias;
  for (Operation &op : body) {
    for (Value r : op.getResults())
      if (quantType(r.getType()) && !onChip.contains(r))
        values.push_back(r);
    if (auto reshape = dyn_cast<ReshapeOp>(op)) {
      if (quantType(reshape.getType()))
        alias.parent[reshape.getResult()] = {reshape->getOperand(0), 0};
      continue;
    }
    if (auto slice = dyn_cast<SliceOp>(op)) {
      if (!quantType(slice.getType()))
        continue;
      if (!isChannelSlice(slice))
        return slice.emitOpError("runs on the accelerator only as a slice of "
                                 "whole channels");
      Value in = slice.getInput();
      uint64_t plane =
          imageBytes(in) / cast<RankedTensorType>(in.getType()).getDimSize(1);
      alias.parent[slice.getResult()] = {in,
                                         int64_t(slice.getStarts()[1] * plane)};
      continue;
    }
    if (auto mix = dyn_cast<InterleaveOp>(op)) {
      if (!quantType(mix.getType()))
        continue;
      llvm::SmallVector<OpOperand *> unplaceable;
      placer.placeInterleave(mix, channelPlane(mix.getResult()), unplaceable);
      if (!unplaceable.empty())
        return mix.emitOpError()
               << "cannot place operand "
               << unplaceable.front()->getOperandNumber()
               << " inside its result (not a layer's output, or read by "
                  "another op too): escalate-tile copies such operands first";
      continue;
    }
    auto concat = dyn_cast<ConcatOp>(op);
    if (!concat || !quantType(concat.getType()))
      continue;
    if (!isChannelConcat(concat))
      return concat.emitOpError(
          "runs on the accelerator only along channels (axis 1)");
    llvm::SmallVector<OpOperand *> unplaceable;
    placer.place(concat, channelPlane(concat.getResult()), unplaceable);
    if (!unplaceable.empty())
      return concat.emitOpError()
             << "cannot place operand " << unplaceable.front()->getOperandNumber()
             << " inside its result (a graph input, a repeated operand, or a "
                "tensor another concat holds): escalate-tile copies such "
                "operands first";
  }

  // Lifetimes of the roots.
  struct Root {
    Value value;
    int64_t first, last;
    uint64_t bytes, addr = 0;
  };
  llvm::MapVector<Value, Root> roots;
  DramPlan plan;
  auto users = [&](Value v, int64_t &last) {
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      last =
          std::max(last, llvm::isa<func::ReturnOp>(user) ? end : index[user]);
      // A dequantize hands the tensor to a graph output (alive to the
      // end) or to a host op, which reads the integers themselves.
      if (llvm::isa<DequantizeOp>(user))
        for (Operation *u : user->getUsers())
          last = std::max(last, llvm::isa<func::ReturnOp>(u) ? end : index[u]);
    }
  };
  for (Value v : values) {
    Value root = alias.find(v).first;
    auto [it, inserted] = roots.try_emplace(root);
    Root &r = it->second;
    if (inserted) {
      r.value = root;
      r.bytes = (tensorBytes(root) + kAlign - 1) / kAlign * kAlign;
      r.first = r.last = index[root.getDefiningOp()];
      plan.unsharedBytes += r.bytes;
    }
    Operation *def = v.getDefiningOp();
    // Graph inputs are written before the program starts; a host op's
    // result (its quantize) is written by the host op, while its inputs
    // are still being read.
    int64_t first = index[def];
    if (llvm::isa<QuantizeOp>(def)) {
      Operation *host = def->getOperand(0).getDefiningOp();
      first = host ? index[host] : 0;
    }
    r.first = std::min(r.first, first);
    users(v, r.last);
  }

  // Largest first, each at the lowest address clear of every placed root
  // whose lifetime overlaps.
  llvm::SmallVector<Root *> order;
  for (auto &entry : roots)
    order.push_back(&entry.second);
  llvm::stable_sort(
      order, [](const Root *a, const Root *b) { return a->bytes > b->bytes; });
  llvm::SmallVector<Root *> placed;
  for (Root *r : order) {
    llvm::SmallVector<std::pair<uint64_t, uint64_t>> busy;
    for (Root *p : placed)
      if (p->first <= r->last && r->first <= p->last)
        busy.push_back({p->addr, p->addr + p->bytes});
    llvm::sort(busy);
    uint64_t addr = 0;
    for (auto [lo, hi] : busy) {
      if (addr + r->bytes <= lo)
        break;
      addr = std::max(addr, hi);
    }
    r->addr = addr;
    plan.arenaBytes = std::max(plan.arenaBytes, addr + r->bytes);
    placed.push_back(r);
  }
  plan.buffers = roots.size();
  for (Value v : values) {
    auto [root, off] = alias.find(v);
    const Root &r = roots.find(root)->second;
    plan.views[v] = {r.addr + uint64_t(off), imageBytes(root),
                     placer.channelStride.lookup(v)};
  }
  return plan;
}
