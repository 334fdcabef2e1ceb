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

/// The real parameters of an element-wise function: LeakyRelu's alpha,
/// Clip's min and max, HardSigmoid's alpha and beta.
size_t activationParams(host::Kind kind) {
  switch (kind) {
  case host::LeakyRelu:
  case host::Elu:
  case host::Celu:
  case host::ThresholdedRelu:
    return 1;
  case host::Clip:
  case host::HardSigmoid:
  case host::Selu:
    return 2;
  default:
    return 0;
  }
}

/// Checks the window parameters of a conv or pool entry: `ints` from
/// `first` holds, per spatial axis, the kernel (when `kernel` is empty),
/// then the strides, dilations, begin pads and end pads. Returns the
/// kernel, strides, dilations and pads as one array each.
struct WindowParams {
  Shape kernel, strides, dilations, pads;
};
llvm::Expected<WindowParams> windowParams(const HostOp &op, size_t first,
                                          llvm::ArrayRef<int64_t> kernel) {
  int64_t nsp = int64_t(op.inputs[0].shape.size()) - 2;
  if (nsp < 1 || nsp > 3)
    return fail("needs an input of rank 3 to 5 (N x C x 1-3 spatial axes)");
  size_t want = first + (kernel.empty() ? 5 : 4) * nsp;
  if (op.ints.size() != want)
    return fail(llvm::formatv("ints must hold {0} values, not {1}", want,
                              op.ints.size()));
  llvm::ArrayRef<int64_t> p = llvm::ArrayRef(op.ints).drop_front(first);
  WindowParams w;
  if (kernel.empty()) {
    w.kernel.assign(p.begin(), p.begin() + nsp);
    p = p.drop_front(nsp);
  } else {
    w.kernel.assign(kernel.begin(), kernel.end());
  }
  w.strides.assign(p.begin(), p.begin() + nsp);
  w.dilations.assign(p.begin() + nsp, p.begin() + 2 * nsp);
  w.pads.assign(p.begin() + 2 * nsp, p.end());
  // Bounds that keep every product below are far from int64 overflow.
  auto within = [](llvm::ArrayRef<int64_t> v, int64_t lo) {
    return llvm::all_of(v, [&](int64_t x) { return x >= lo && x < (1 << 20); });
  };
  if (!within(w.kernel, 1) || !within(w.strides, 1) ||
      !within(w.dilations, 1) || !within(w.pads, 0))
    return fail("kernel, strides and dilations must be in [1, 2^20) and "
                "pads in [0, 2^20)");
  return w;
}

/// The spatial extent of a window op's output on axis `d`: floor division
/// over the padded input, or (`ceil`) one more when the last window still
/// starts inside the input or its begin padding.
int64_t windowOut(int64_t in, const WindowParams &w, size_t d, bool ceil) {
  size_t nsp = w.kernel.size();
  int64_t span = (w.kernel[d] - 1) * w.dilations[d] + 1;
  int64_t avail = in + w.pads[d] + w.pads[nsp + d] - span;
  if (avail < 0)
    return 0;
  int64_t s = w.strides[d];
  int64_t out = (ceil ? (avail + s - 1) / s : avail / s) + 1;
  if (ceil && out > 1 && (out - 1) * s >= in + w.pads[d])
    --out;
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
  case host::Max:
  case host::Min:
    if (std::optional<Shape> s = broadcast(in, op.inputs[1].shape))
      return *s;
    return fail("the inputs' shapes do not broadcast");
  case host::Sqrt:
  case host::Erf:
  case host::Exp:
  case host::Log:
  case host::Tanh:
  case host::Neg:
  case host::Abs:
  case host::Relu:
  case host::LeakyRelu:
  case host::Clip:
  case host::Sigmoid:
  case host::HardSigmoid:
  case host::HardSwish:
  case host::Elu:
  case host::Selu:
  case host::Celu:
  case host::Softplus:
  case host::Softsign:
  case host::ThresholdedRelu:
    if (op.reals.size() != activationParams(kind))
      return fail(
          llvm::formatv("reals must hold {0} values", activationParams(kind)));
    return Shape(in);
  case host::GlobalAveragePool: {
    if (rank < 3)
      return fail("needs an input of rank 3 or more (N x C x spatial axes)");
    Shape shape(in.take_front(2));
    shape.append(rank - 2, 1);
    return shape;
  }
  case host::ReduceMean:
  case host::ReduceMax:
  case host::ReduceMin: {
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
  case host::Conv:
  case host::ConvTranspose: {
    // [group, strides, dilations, pads]; the kernel is the weight's.
    llvm::ArrayRef<int64_t> w = op.inputs[1].shape;
    if (rank < 3 || w.size() != size_t(rank))
      return fail("the weight must have the input's rank");
    if (op.ints.empty() || op.ints[0] < 1 || in[1] % op.ints[0])
      return fail("group (ints[0]) must divide the input channels");
    int64_t group = op.ints[0];
    llvm::Expected<WindowParams> win = windowParams(op, 1, w.drop_front(2));
    if (!win)
      return win.takeError();
    bool transposed = kind == host::ConvTranspose;
    // conv: C_out x C_in/group x k; transposed: C_in x C_out/group x k.
    if (transposed ? w[0] != in[1] : w[1] * group != in[1] || w[0] % group)
      return fail("the weight's channels do not match the input's and group");
    int64_t cout = transposed ? w[1] * group : w[0];
    if (op.inputs.size() == 3 &&
        llvm::ArrayRef<int64_t>(op.inputs[2].shape) != llvm::ArrayRef(cout))
      return fail(llvm::formatv("the bias must hold {0} values", cout));
    Shape shape = {in[0], cout};
    for (int64_t d = 0; d + 2 < rank; ++d) {
      if (!transposed) {
        shape.push_back(windowOut(in[d + 2], *win, d, false));
        continue;
      }
      // The full output less the pads, plus an output padding below the
      // stride (the entry's output shape carries it).
      int64_t full = (in[d + 2] - 1) * win->strides[d] +
                     (win->kernel[d] - 1) * win->dilations[d] + 1 -
                     win->pads[d] - win->pads[rank - 2 + d];
      int64_t extra = out.size() == size_t(rank) ? out[d + 2] - full : 0;
      if (extra < 0 || extra >= std::max(win->strides[d], win->dilations[d]))
        return fail(llvm::formatv("axis {0}: the output's extent is not the "
                                  "transposed conv's {1} plus an output "
                                  "padding below the stride",
                                  d + 2, full));
      shape.push_back(full + extra);
    }
    if (llvm::any_of(shape, [](int64_t d) { return d < 1; }))
      return fail("the window does not fit the input");
    return shape;
  }
  case host::MaxPool:
  case host::AveragePool: {
    // [count_include_pad (average)], kernel, strides, dilations, pads. An
    // output rounded either way (ceil_mode) is accepted.
    bool avg = kind == host::AveragePool;
    if (avg && (op.ints.empty() || op.ints[0] < 0 || op.ints[0] > 1))
      return fail("ints[0] (count_include_pad) must be 0 or 1");
    llvm::Expected<WindowParams> win = windowParams(op, avg ? 1 : 0, {});
    if (!win)
      return win.takeError();
    Shape shape(in.take_front(2));
    for (int64_t d = 0; d + 2 < rank; ++d) {
      int64_t lo = windowOut(in[d + 2], *win, d, false),
              hi = windowOut(in[d + 2], *win, d, true);
      int64_t got = out.size() == size_t(rank) ? out[d + 2] : lo;
      if (lo < 1 || got < lo || got > hi)
        return fail(llvm::formatv("axis {0}: the window gives {1} to {2} "
                                  "outputs, not {3}",
                                  d + 2, lo, hi, got));
      shape.push_back(got);
    }
    return shape;
  }
  case host::Pad: {
    // [mode 0..3 (constant, reflect, edge, wrap), begin pads, end pads];
    // reals [the constant].
    if (int64_t(op.ints.size()) != 1 + 2 * rank || op.ints[0] < 0 ||
        op.ints[0] > 3)
      return fail("ints must be [mode 0..3, the begin then end pads of every "
                  "axis]");
    if (op.reals.size() != 1)
      return fail("reals must be [the constant]");
    Shape shape;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t b = op.ints[1 + d], e = op.ints[1 + rank + d];
      if (std::abs(b) >= (1 << 20) || std::abs(e) >= (1 << 20))
        return fail("pads must be below 2^20 in magnitude");
      shape.push_back(in[d] + b + e);
    }
    return shape;
  }
  case host::Gather: {
    // [axis, indices' rank r, indices' shape (r values), the indices].
    if (op.ints.size() < 2 || op.ints[0] < 0 || op.ints[0] >= rank ||
        op.ints[1] < 0 || op.ints[1] > 8 ||
        op.ints.size() < size_t(2 + op.ints[1]))
      return fail("ints must be [axis, indices' rank, their shape, them]");
    int64_t axis = op.ints[0];
    llvm::ArrayRef<int64_t> ishape =
        llvm::ArrayRef(op.ints).slice(2, op.ints[1]);
    llvm::ArrayRef<int64_t> idx =
        llvm::ArrayRef(op.ints).drop_front(2 + ishape.size());
    // The count never exceeds the indices given (so it cannot wrap).
    uint64_t count = 1;
    for (int64_t d : ishape) {
      if (d < 1 || d >= (1 << 20))
        return fail("the indices' shape must be positive");
      count *= uint64_t(d);
      if (count > idx.size())
        break;
    }
    if (idx.size() != count)
      return fail("the indices' shape does not match their count");
    int64_t n = in[axis];
    for (int64_t i : idx)
      if (i < -n || i >= n)
        return fail(llvm::formatv("index {0} is outside axis {1} of size {2}",
                                  i, axis, n));
    Shape shape(in.take_front(axis));
    shape.append(ishape.begin(), ishape.end());
    shape.append(in.begin() + axis + 1, in.end());
    return shape;
  }
  case host::Gemm: {
    // [trans_a, trans_b], reals [alpha, beta]; C broadcasts to M x N.
    llvm::ArrayRef<int64_t> b = op.inputs[1].shape;
    if (op.ints.size() != 2 || op.ints[0] < 0 || op.ints[0] > 1 ||
        op.ints[1] < 0 || op.ints[1] > 1)
      return fail("ints must be [trans_a 0|1, trans_b 0|1]");
    if (op.reals.size() != 2 ||
        !llvm::all_of(op.reals, [](double v) { return std::isfinite(v); }))
      return fail("reals must be [alpha, beta], finite");
    if (rank != 2 || b.size() != 2)
      return fail("gemm needs 2-D A and B");
    int64_t m = op.ints[0] ? in[1] : in[0], k = op.ints[0] ? in[0] : in[1];
    int64_t kb = op.ints[1] ? b[1] : b[0], n = op.ints[1] ? b[0] : b[1];
    if (k != kb)
      return fail("A's and B's inner dimensions differ");
    Shape shape = {m, n};
    if (op.inputs.size() == 3) {
      std::optional<Shape> s = broadcast(op.inputs[2].shape, shape);
      if (!s || llvm::ArrayRef<int64_t>(*s) != llvm::ArrayRef<int64_t>(shape))
        return fail("C must broadcast to M x N");
    }
    return shape;
  }
  case host::LogSoftmax:
    // [axis]; in floats, unlike softmax.
    if (op.ints.size() != 1 || op.ints[0] < 0 || op.ints[0] >= rank)
      return fail("ints must be [axis], an axis of the input");
    return Shape(in);
  case host::ArgMax: {
    // [axis, keepdims 0|1, select_last_index 0|1].
    if (op.ints.size() != 3 || op.ints[0] < 0 || op.ints[0] >= rank ||
        op.ints[1] < 0 || op.ints[1] > 1 || op.ints[2] < 0 || op.ints[2] > 1)
      return fail("ints must be [axis, keepdims 0|1, select_last_index 0|1]");
    Shape shape(in);
    if (op.ints[1])
      shape[op.ints[0]] = 1;
    else
      shape.erase(shape.begin() + op.ints[0]);
    // The loader's tensors have rank >= 1.
    if (shape.empty())
      shape.push_back(1);
    return shape;
  }
  case host::Concat: {
    // [axis]; every input has the first's shape but along the axis.
    if (op.ints.size() != 1 || op.ints[0] < 0 || op.ints[0] >= rank)
      return fail("ints must be [axis], an axis of the inputs");
    int64_t axis = op.ints[0];
    Shape shape(in);
    for (const TensorDesc &t : llvm::ArrayRef(op.inputs).drop_front()) {
      llvm::ArrayRef<int64_t> s = t.shape;
      for (int64_t d = 0; d < rank; ++d)
        if (s.size() != size_t(rank) || (d != axis && s[d] != in[d]))
          return fail("the inputs differ in a dimension other than the axis");
      shape[axis] += s[axis];
    }
    return shape;
  }
  case host::PRelu:
    if (std::optional<Shape> s = broadcast(in, op.inputs[1].shape);
        s && llvm::ArrayRef<int64_t>(*s) == in)
      return *s;
    return fail("the slope must broadcast to the input's shape");
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

bool takesInts(host::Kind kind) {
  switch (kind) {
  case host::Transpose:
  case host::Slice:
  case host::Resize:
  case host::ReduceMean:
  case host::ReduceMax:
  case host::ReduceMin:
  case host::Conv:
  case host::ConvTranspose:
  case host::MaxPool:
  case host::AveragePool:
  case host::Pad:
  case host::Gather:
  case host::Gemm:
  case host::Concat:
  case host::ArgMax:
  case host::LogSoftmax:
    return true;
  default:
    return false;
  }
}

unsigned inputCount(host::Kind kind) {
  switch (kind) {
  case host::Add:
  case host::Sub:
  case host::Mul:
  case host::Div:
  case host::Pow:
  case host::MatMul:
  case host::PRelu:
  case host::Max:
  case host::Min:
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
  // A conv's bias and a gemm's C are optional.
  bool conv = *kind == host::Conv || *kind == host::ConvTranspose ||
              *kind == host::Gemm;
  // A concat takes any number of inputs.
  bool concat = *kind == host::Concat;
  if (concat ? op.inputs.empty()
      : conv ? op.inputs.size() != 2 && op.inputs.size() != 3
             : op.inputs.size() != inputCount(*kind))
    return fail(llvm::formatv("takes {0} inputs, not {1}",
                              concat ? "1 or more"
                              : conv ? "2 or 3"
                                     : std::to_string(inputCount(*kind)),
                              op.inputs.size()));
  bool usesReals = *kind == host::Resize || *kind == host::Pad ||
                   *kind == host::Gemm || activationParams(*kind);
  if ((!takesInts(*kind) && !op.ints.empty()) ||
      (!usesReals && !op.reals.empty()))
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
  case host::Gemm:
    return out * uint64_t(op.inputs[0].shape[op.ints[0] ? 0 : 1]);
  case host::Conv: {
    // One multiply-add per output and weight tap of its group.
    llvm::ArrayRef<int64_t> w = op.inputs[1].shape;
    uint64_t taps = 1;
    for (int64_t d : w.drop_front())
      taps *= uint64_t(d);
    return out * taps;
  }
  case host::ConvTranspose: {
    // Each input element scatters into C_out/group x k outputs.
    uint64_t taps = 1;
    for (int64_t d : llvm::ArrayRef(op.inputs[1].shape).drop_front())
      taps *= uint64_t(d);
    return op.inputs[0].numElements() * taps;
  }
  case host::MaxPool:
  case host::AveragePool: {
    size_t nsp = op.inputs[0].shape.size() - 2;
    size_t first = *hostKind(op) == host::AveragePool ? 1 : 0;
    uint64_t window = 1;
    for (size_t d = 0; d < nsp; ++d)
      window *= uint64_t(op.ints[first + d]);
    return out * window;
  }
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
