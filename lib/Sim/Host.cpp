//===- Host.cpp - ops the accelerator lacks, run on the host model -------===//
//
// The host is a CPU. Softmax runs on the integers in double precision
// (fixed::softmaxRow); every other kind dequantizes its inputs, computes in
// single precision with the float reference's own kernels (Numerics), and
// requantizes (round half to even), which is what the quantized IR's
// dequantize -> float op -> quantize computes, so the two agree bit for
// bit. It is reported apart from the accelerator, whose path stays integer.
//
//===----------------------------------------------------------------------===//
#include "Machine.h"
#include "Memory.h"
#include "escalate/Hardware/HostOps.h"
#include "escalate/Numerics/Numerics.h"
#include "llvm/ADT/bit.h"

using namespace escalate;
using namespace escalate::sim;
using namespace escalate::isa;

namespace {
void softmax(Machine &m, const HostOp &op) {
  const TensorDesc &in = op.inputs[0], &out = op.output;
  int64_t rank = in.shape.size();
  int64_t axis = op.axis < 0 ? op.axis + rank : op.axis;
  uint64_t outer = 1, len = in.shape[axis], inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= in.shape[d];
  for (int64_t d = axis + 1; d < rank; ++d)
    inner *= in.shape[d];
  const uint8_t *src = m.dram.data() + in.dram;
  uint8_t *dst = m.dram.data() + out.dram;
  std::vector<int64_t> row(len), result(len);
  std::vector<double> scratch(len);
  for (uint64_t o = 0; o < outer; ++o)
    for (uint64_t i = 0; i < inner; ++i) {
      for (uint64_t k = 0; k < len; ++k)
        row[k] = loadElem(src, (o * len + k) * inner + i, in.bits);
      fixed::softmaxRow(row, in.scale, in.zeroPoint, out.scale, out.zeroPoint,
                        out.bits, result, scratch);
      for (uint64_t k = 0; k < len; ++k)
        storeElem(dst, (o * len + k) * inner + i, out.bits, result[k]);
    }
}

numerics::QuantInfo quantInfo(const TensorDesc &t) {
  return {t.scale, t.zeroPoint, t.bits};
}

/// A host-op input as the float op sees it: dequantized, or the IEEE
/// values of a float constant (scale 0).
Tensor loadFloat(const Machine &m, const TensorDesc &t) {
  const uint8_t *src = m.dram.data() + t.dram;
  Tensor out(DType::F32, t.shape);
  uint64_t n = t.numElements();
  if (t.scale <= 0) {
    for (uint64_t i = 0; i < n; ++i)
      out.f32()[i] = llvm::bit_cast<float>(uint32_t(loadElem(src, i, 32)));
    return out;
  }
  Tensor q(DType::I64, t.shape);
  for (uint64_t i = 0; i < n; ++i)
    q.i64()[i] = loadElem(src, i, t.bits);
  numerics::dequantize(q, quantInfo(t), out);
  return out;
}

/// The window of a checked conv or pool entry: ints from `first` hold the
/// kernel (unless the weight gives it), strides, dilations and pads.
numerics::Window windowOf(const HostOp &op, size_t first,
                          llvm::ArrayRef<int64_t> kernel) {
  size_t nsp = op.inputs[0].shape.size() - 2;
  llvm::ArrayRef<int64_t> p = llvm::ArrayRef(op.ints).drop_front(first);
  numerics::Window win;
  if (kernel.empty()) {
    kernel = p.take_front(nsp);
    p = p.drop_front(nsp);
  }
  win.kernel.assign(kernel.begin(), kernel.end());
  win.strides.assign(p.begin(), p.begin() + nsp);
  win.dilations.assign(p.begin() + nsp, p.begin() + 2 * nsp);
  win.pads.assign(p.begin() + 2 * nsp, p.end());
  return win;
}

/// The float op of `kind`, with the kernel (and parameters) the escalate
/// op's `evaluate` uses.
void compute(host::Kind kind, const HostOp &op, llvm::ArrayRef<Tensor> in,
             Tensor &out) {
  using namespace numerics;
  llvm::ArrayRef<int64_t> ints = op.ints;
  auto binaryOf = [&](BinaryKind k) { binary(k, in[0], in[1], out); };
  switch (kind) {
  case host::Softmax:
    return; // on the integers, above
  case host::Transpose:
    return transpose(in[0], ints, out);
  case host::Slice:
    return slice(in[0], ints.take_front(ints.size() / 2),
                 ints.drop_front(ints.size() / 2), out);
  case host::Resize: {
    Resample how;
    how.linear = ints[0] == 1;
    how.rounding = Resample::Rounding(ints[1]);
    llvm::ArrayRef<double> reals = op.reals;
    how.scale = reals.take_front(reals.size() / 2);
    how.offset = reals.drop_front(reals.size() / 2);
    return resample(in[0], how, out);
  }
  case host::Add:
    return binaryOf(BinaryKind::Add);
  case host::Sub:
    return binaryOf(BinaryKind::Sub);
  case host::Mul:
    return binaryOf(BinaryKind::Mul);
  case host::Div:
    return binaryOf(BinaryKind::Div);
  case host::Pow:
    return binaryOf(BinaryKind::Pow);
  case host::Sqrt:
    return unary(UnaryKind::Sqrt, in[0], out);
  case host::Erf:
    return unary(UnaryKind::Erf, in[0], out);
  case host::Exp:
    return unary(UnaryKind::Exp, in[0], out);
  case host::Log:
    return unary(UnaryKind::Log, in[0], out);
  case host::Tanh:
    return unary(UnaryKind::Tanh, in[0], out);
  case host::Neg:
    return unary(UnaryKind::Neg, in[0], out);
  case host::Abs:
    return unary(UnaryKind::Abs, in[0], out);
  case host::ReduceMean:
    return reduceMean(in[0], ints, out);
  case host::ReduceMax:
    return reduceExtremum(in[0], ints, /*isMax=*/true, out);
  case host::ReduceMin:
    return reduceExtremum(in[0], ints, /*isMax=*/false, out);
  case host::MatMul:
    return matmul(in[0], in[1], out);
  case host::Conv: {
    Window win = windowOf(op, 1, in[1].shape().drop_front(2));
    return numerics::conv(in[0], in[1], in.size() > 2 ? &in[2] : nullptr, win,
                          ints[0], out);
  }
  case host::ConvTranspose: {
    Window win = windowOf(op, 1, in[1].shape().drop_front(2));
    return convTranspose(in[0], in[1], in.size() > 2 ? &in[2] : nullptr,
                         win.strides, win.dilations, win.pads, ints[0], out);
  }
  case host::MaxPool:
    return maxPool(in[0], windowOf(op, 0, {}), out);
  case host::AveragePool:
    return averagePool(in[0], windowOf(op, 1, {}), ints[0] == 1, out);
  case host::Pad:
    return pad(in[0], ints.drop_front(), PadKind(ints[0]), float(op.reals[0]),
               out);
  case host::Gather: {
    llvm::ArrayRef<int64_t> shape = ints.slice(2, ints[1]);
    Tensor indices(DType::I64, shape);
    llvm::copy(ints.drop_front(2 + shape.size()), indices.i64().begin());
    return gather(in[0], indices, ints[0], out);
  }
  case host::PRelu:
    return binaryOf(BinaryKind::PRelu);
  case host::ArgMax:
    return argMax(in[0], ints[0], ints[2] == 1, out);
  case host::LogSoftmax:
    return logSoftmax(in[0], ints[0], out);
  case host::Concat: {
    llvm::SmallVector<const Tensor *> inputs;
    for (const Tensor &t : in)
      inputs.push_back(&t);
    return concat(inputs, ints[0], out);
  }
  case host::Max:
    return binaryOf(BinaryKind::Max);
  case host::Min:
    return binaryOf(BinaryKind::Min);
  case host::GlobalAveragePool:
    return globalAveragePool(in[0], out);
  case host::Relu:
    return activation(ActivationKind::Relu, 0, 0, in[0], out);
  case host::LeakyRelu:
    return activation(ActivationKind::LeakyRelu, float(op.reals[0]), 0, in[0],
                      out);
  case host::Clip:
    return activation(ActivationKind::Clip, float(op.reals[0]),
                      float(op.reals[1]), in[0], out);
  case host::Sigmoid:
    return activation(ActivationKind::Sigmoid, 0, 0, in[0], out);
  case host::HardSigmoid:
    return activation(ActivationKind::HardSigmoid, float(op.reals[0]),
                      float(op.reals[1]), in[0], out);
  case host::HardSwish:
    return activation(ActivationKind::HardSwish, 0, 0, in[0], out);
  case host::Elu:
    return activation(ActivationKind::Elu, float(op.reals[0]), 0, in[0], out);
  case host::Selu:
    return activation(ActivationKind::Selu, float(op.reals[0]),
                      float(op.reals[1]), in[0], out);
  case host::Celu:
    return activation(ActivationKind::Celu, float(op.reals[0]), 0, in[0], out);
  case host::Softplus:
    return activation(ActivationKind::Softplus, 0, 0, in[0], out);
  case host::Softsign:
    return activation(ActivationKind::Softsign, 0, 0, in[0], out);
  case host::ThresholdedRelu:
    return activation(ActivationKind::ThresholdedRelu, float(op.reals[0]), 0,
                      in[0], out);
  case host::Gemm:
    return gemm(in[0], in[1], in.size() > 2 ? &in[2] : nullptr,
                float(op.reals[0]), float(op.reals[1]), ints[0] == 1,
                ints[1] == 1, out);
  }
}
} // namespace

llvm::Error sim::executeHost(Machine &m, const Instruction &inst, Step &step) {
  const HostOp &op = m.program.hostOps[inst[host::Index]];
  // The loader checked the entry (checkHostOp): its kind is known and its
  // shapes agree.
  host::Kind kind = *hostKind(op);
  if (kind == host::Softmax) {
    softmax(m, op);
  } else {
    llvm::SmallVector<Tensor, 2> in;
    for (const TensorDesc &t : op.inputs)
      in.push_back(loadFloat(m, t));
    Tensor result(DType::F32, op.output.shape);
    compute(kind, op, in, result);
    Tensor q(DType::I64, op.output.shape);
    numerics::quantize(result, quantInfo(op.output), q);
    uint8_t *dst = m.dram.data() + op.output.dram;
    for (uint64_t i = 0, n = op.output.numElements(); i < n; ++i)
      storeElem(dst, i, op.output.bits, q.i64()[i]);
  }
  uint64_t work = hostWork(op);
  step.counts.hostElements = work;
  for (const TensorDesc &t : op.inputs)
    step.counts.dramRead += t.bytes();
  step.counts.dramWrite = op.output.bytes();
  uint64_t instructions = hostCycles(m.hw, work);
  step.counts.energyPj[unsigned(EnergyKind::Host)] =
      instructions * m.hw.hostInstructionPj;
  step.unitMask = 1u << unsigned(Unit::Host);
  step.duration = instructions;
  step.counts.busy[unsigned(Unit::Host)] = instructions;
  return llvm::Error::success();
}
