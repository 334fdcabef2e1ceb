//===- HostPlacement.cpp - which float ops the host core runs -------------===//
#include "escalate/Dialect/Escalate/Utils/HostPlacement.h"
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace escalate;
namespace host = escalate::isa::host;

namespace {
bool isF32(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.getElementType().isF32();
}
} // namespace

std::optional<HostForm> escalate::hostForm(Operation *op) {
  if (op->getNumResults() != 1 || !isF32(op->getResult(0)) ||
      !llvm::all_of(op->getOperands(), isF32))
    return std::nullopt;
  // A DRAM tensor has rank >= 1 and no empty dimension (the loader's rule).
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  if (result.getRank() == 0 || !result.hasStaticShape() ||
      llvm::any_of(result.getShape(), [](int64_t d) { return d < 1; }))
    return std::nullopt;
  auto simple = [](host::Kind kind) -> std::optional<HostForm> {
    return HostForm{kind, {}, {}};
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
      .Case([](ReduceMeanOp r) -> std::optional<HostForm> {
        int64_t rank = cast<RankedTensorType>(r.getInput().getType()).getRank();
        HostForm form{host::ReduceMean, {}, {}};
        for (int64_t a : r.getAxes())
          form.ints.push_back(a < 0 ? a + rank : a);
        return form;
      })
      .Case([](MatMulOp m) -> std::optional<HostForm> {
        if (cast<RankedTensorType>(m.getLhs().getType()).getRank() < 2 ||
            cast<RankedTensorType>(m.getRhs().getType()).getRank() < 2)
          return std::nullopt;
        return HostForm{host::MatMul, {}, {}};
      })
      .Case([&](AddOp) { return simple(host::Add); })
      .Case([&](SubOp) { return simple(host::Sub); })
      .Case([&](MulOp) { return simple(host::Mul); })
      .Case([&](DivOp) { return simple(host::Div); })
      .Case([&](PowOp) { return simple(host::Pow); })
      .Case([&](SqrtOp) { return simple(host::Sqrt); })
      .Case([&](ErfOp) { return simple(host::Erf); })
      .Case([&](ExpOp) { return simple(host::Exp); })
      .Case([&](TanhOp) { return simple(host::Tanh); })
      .Case([&](NegOp) { return simple(host::Neg); })
      .Case([&](AbsOp) { return simple(host::Abs); })
      .Default([](Operation *) { return std::nullopt; });
}
