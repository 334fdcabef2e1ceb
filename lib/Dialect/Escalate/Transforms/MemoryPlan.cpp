//===- MemoryPlan.cpp - DRAM for activations by liveness ------------------===//
#include "MemoryPlan.h"
#include "AcceleratorLayers.h"

using namespace mlir;
using namespace escalate;

namespace {
constexpr uint64_t kAlign = 64;

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
} // namespace

bool DramPlan::contiguous(Value v) const {
  auto it = views.find(v);
  auto t = cast<RankedTensorType>(v.getType());
  return it == views.end() || t.getDimSize(0) <= 1 ||
         it->second.imageStride == imageBytes(v);
}

FailureOr<DramPlan> escalate::planDram(func::FuncOp f) {
  Block &body = f.getBody().front();
  llvm::DenseMap<Operation *, int64_t> index;
  int64_t n = 0;
  // A conv and its requant are one layer: the conv's input must stay intact
  // until the requant's last store, so both take the conv's position.
  for (Operation &op : body) {
    auto rq = dyn_cast<RequantOp>(op);
    Operation *conv = rq ? rq.getInput().getDefiningOp() : nullptr;
    index[&op] = conv && index.count(conv) ? index[conv] : ++n;
  }
  int64_t end = n + 1;

  llvm::SmallVector<Value> values;
  Aliases alias;
  llvm::DenseMap<Value, uint64_t> rootStride;
  for (Operation &op : body) {
    for (Value r : op.getResults())
      if (quantType(r.getType()))
        values.push_back(r);
    if (auto reshape = dyn_cast<ReshapeOp>(op)) {
      if (quantType(reshape.getType()))
        alias.parent[reshape.getResult()] = {reshape->getOperand(0), 0};
      continue;
    }
    auto concat = dyn_cast<ConcatOp>(op);
    if (!concat || !quantType(concat.getType()))
      continue;
    auto type = cast<RankedTensorType>(concat.getType());
    int64_t axis = concat.getAxis() < 0 ? concat.getAxis() + type.getRank()
                                        : concat.getAxis();
    if (axis != 1)
      return concat.emitOpError(
          "runs on the accelerator only along channels (axis 1)");
    uint64_t plane = imageBytes(concat.getResult()) / type.getDimSize(1);
    int64_t channel = 0;
    llvm::SmallPtrSet<Value, 4> roots;
    for (Value operand : concat.getOperands()) {
      auto [root, off] = alias.find(operand);
      if (llvm::isa<BlockArgument>(root) || root.getDefiningOp<QuantizeOp>() ||
          !roots.insert(root).second)
        return concat.emitOpError()
               << "cannot place operand " << channel
               << " inside its result: graph inputs and repeated operands "
                  "are not supported";
      alias.parent[root] = {concat.getResult(), int64_t(channel * plane) - off};
      channel += cast<RankedTensorType>(operand.getType()).getDimSize(1);
    }
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
      // A graph output's dequantize keeps its operand alive to the end.
      if (llvm::isa<DequantizeOp>(user))
        for (Operation *u : user->getUsers())
          if (llvm::isa<func::ReturnOp>(u))
            last = end;
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
    // Graph inputs are written before the program starts.
    int64_t first = llvm::isa<QuantizeOp>(def) &&
                            llvm::isa<BlockArgument>(def->getOperand(0))
                        ? 0
                        : index[def];
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
    plan.views[v] = {r.addr + uint64_t(off), imageBytes(root)};
  }
  return plan;
}
