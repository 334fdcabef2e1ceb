//===- HostOps.cpp - the host core's op kinds -----------------------------===//
#include "escalate/Hardware/HostOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include <climits>
#include <cmath>

using namespace escalate;
using namespace escalate::isa;

namespace {
llvm::Error fail(const llvm::Twine &msg) {
  return llvm::createStringError(msg.str());
}

using Shape = llvm::SmallVector<int64_t, 4>;

/// Numpy broadcasting of two shapes, if they broadcast.
std::optional<Shape> broadcast(llvm::ArrayRef<int64_t> a,
                               llvm::ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    int64_t db = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    out[i] = std::max(da, db);
  }
  return out;
}

/// The output shape `kind` computes from its inputs and parameters; the
/// checks that need no shape arithmetic are done by the caller.
llvm::Expected<Shape> impliedShape(host::Kind kind, const HostOp &op) {
  llvm::ArrayRef<int64_t> in = op.inputs[0].shape, out = op.output.shape;
  int64_t rank = in.size();
  switch (kind) {
  case host::Softmax:
    // Softmax runs on the integers (fixed::softmaxRow), not on floats.
    if (op.inputs[0].scale <= 0)
      return fail("softmax needs a quantized input");
    if (op.axis < -rank || op.axis >= rank)
      return fail(llvm::formatv("axis {0} is outside rank {1}", op.axis, rank));
    return Shape(in);
  case host::Transpose: {
    if (int64_t(op.ints.size()) != rank)
      return fail("ints must be a permutation of the input's axes");
    Shape shape;
    llvm::SmallVector<bool, 4> seen(rank);
    for (int64_t p : op.ints) {
      if (p < 0 || p >= rank || seen[p])
        return fail("ints must be a permutation of the input's axes");
      seen[p] = true;
      shape.push_back(in[p]);
    }
    return shape;
  }
  case host::Slice: {
    // starts then steps; every index an output element reads must exist.
    if (int64_t(op.ints.size()) != 2 * rank || int64_t(out.size()) != rank)
      return fail("ints must be the starts then the steps of every axis");
    for (int64_t d = 0; d < rank; ++d) {
      int64_t start = op.ints[d], step = op.ints[rank + d];
      int64_t last = out[d] - 1;
      if (step == 0 || step == INT64_MIN || start < 0 || start >= in[d] ||
          (step > 0 ? last > (in[d] - 1 - start) / step : last > start / -step))
        return fail(llvm::formatv("axis {0}: start {1}, step {2} and {3} "
                                  "outputs leave the input's {4}",
                                  d, start, step, out[d], in[d]));
    }
    return Shape(out);
  }
  case host::Resize: {
    // [linear, nearest rounding], then per axis the scale then the offset
    // of output index -> input coordinate (clamped by the kernel).
    if (op.ints.size() != 2 || op.ints[0] < 0 || op.ints[0] > 1 ||
        op.ints[1] < 0 || op.ints[1] > 3)
      return fail("ints must be [linear 0|1, rounding 0..3]");
    if (int64_t(op.reals.size()) != 2 * rank || int64_t(out.size()) != rank)
      return fail("reals must be the scales then the offsets of every axis");
    if (!llvm::all_of(op.reals, [](double v) { return std::isfinite(v); }))
      return fail("reals must be finite");
    return Shape(out);
  }
  case host::Add:
  case host::Sub:
  case host::Mul:
  case host::Div:
  case host::Pow:
    if (std::optional<Shape> s = broadcast(in, op.inputs[1].shape))
      return *s;
    return fail("the inputs' shapes do not broadcast");
  case host::Sqrt:
  case host::Erf:
  case host::Exp:
  case host::Tanh:
  case host::Neg:
  case host::Abs:
    return Shape(in);
  case host::ReduceMean: {
    // The reduced axes; the output keeps them as 1 or drops them.
    Shape kept(in);
    for (int64_t a : op.ints) {
      if (a < 0 || a >= rank || kept[a] == 0)
        return fail("ints must be distinct axes of the input");
      kept[a] = 0;
    }
    Shape keep, drop;
    for (int64_t d : kept) {
      keep.push_back(d ? d : 1);
      if (d)
        drop.push_back(d);
    }
    return llvm::ArrayRef<int64_t>(out) == llvm::ArrayRef<int64_t>(drop) ? drop
                                                                         : keep;
  }
  case host::MatMul: {
    llvm::ArrayRef<int64_t> b = op.inputs[1].shape;
    if (rank < 2 || b.size() < 2 || in.back() != b[b.size() - 2])
      return fail("matmul needs operands of rank 2 or more with matching "
                  "inner dimensions");
    std::optional<Shape> batch = broadcast(in.drop_back(2), b.drop_back(2));
    if (!batch)
      return fail("the batch dimensions do not broadcast");
    batch->push_back(in[rank - 2]);
    batch->push_back(b.back());
    return *batch;
  }
  }
  return fail("unknown kind");
}

unsigned inputCount(host::Kind kind) {
  switch (kind) {
  case host::Add:
  case host::Sub:
  case host::Mul:
  case host::Div:
  case host::Pow:
  case host::MatMul:
    return 2;
  default:
    return 1;
  }
}
} // namespace

std::optional<host::Kind> isa::hostKind(const HostOp &op) {
  llvm::ArrayRef<const char *> kinds = hostKinds().keywords;
  auto it = llvm::find_if(
      kinds, [&](const char *k) { return llvm::StringRef(k) == op.kind; });
  if (it == kinds.end())
    return std::nullopt;
  return host::Kind(it - kinds.begin());
}

llvm::Error isa::checkHostOp(const HostOp &op) {
  std::optional<host::Kind> kind = hostKind(op);
  if (!kind)
    return fail(
        "unknown kind (known: " + llvm::join(hostKinds().keywords, ", ") + ")");
  if (op.inputs.size() != inputCount(*kind))
    return fail(llvm::formatv("takes {0} inputs, not {1}", inputCount(*kind),
                              op.inputs.size()));
  bool usesInts = *kind == host::Transpose || *kind == host::Slice ||
                  *kind == host::Resize || *kind == host::ReduceMean;
  if ((!usesInts && !op.ints.empty()) ||
      (*kind != host::Resize && !op.reals.empty()))
    return fail("has parameters its kind does not take");
  llvm::Expected<Shape> shape = impliedShape(*kind, op);
  if (!shape)
    return shape.takeError();
  if (llvm::ArrayRef<int64_t>(*shape) !=
      llvm::ArrayRef<int64_t>(op.output.shape))
    return fail("the output's shape is not the one its inputs and "
                "parameters give");
  return llvm::Error::success();
}

uint64_t isa::hostWork(const HostOp &op) {
  uint64_t out = op.output.numElements();
  switch (*hostKind(op)) {
  case host::MatMul:
    return out * uint64_t(op.inputs[0].shape.back());
  case host::Resize: {
    // Linear reads two input elements along each axis it resamples.
    if (!op.ints[0])
      return out;
    size_t rank = op.inputs[0].shape.size();
    for (size_t d = 0; d < rank; ++d)
      if (op.reals[d] != 1 || op.reals[rank + d] != 0 ||
          op.inputs[0].shape[d] != op.output.shape[d])
        out *= 2;
    return out;
  }
  default: {
    uint64_t read = 0;
    for (const TensorDesc &t : op.inputs)
      read += t.numElements();
    return std::max(read, out);
  }
  }
}
