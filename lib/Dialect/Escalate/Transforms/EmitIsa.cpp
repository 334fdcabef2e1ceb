//===- EmitIsa.cpp - the tiled, quantized graph as an escisa.program ------===//
#include "AcceleratorLayers.h"
#include "MemoryPlan.h"
#include "escalate/Dialect/EscIsa/IR/EscIsaOps.h"
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "llvm/Support/JSON.h"

namespace escalate {
#define GEN_PASS_DEF_EMITISA
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;
using tiling::DramView;

namespace {
constexpr uint64_t kAlign = 64;
uint64_t align(uint64_t v) { return (v + kAlign - 1) / kAlign * kAlign; }

tiling::Tile tileOf(TileAttr a) {
  return {a.getRows(),
          a.getCols(),
          a.getInChannels(),
          a.getOutChannels(),
          a.getOrder() == TileOrder::channel_outer,
          a.getDoubleBuffer()};
}

struct EmitIsaPass : public escalate::impl::EmitIsaBase<EmitIsaPass> {
  using EmitIsaBase::EmitIsaBase;

  const hw::HwDesc *hw = nullptr;
  DramPlan plan;
  isa::Program program;
  uint64_t constCursor = 0;
  unsigned basisLayers = 0;
  llvm::json::Array layers;
  uint64_t sramPeak[hw::kNumBuffers] = {};

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto funcs = llvm::to_vector(module.getOps<func::FuncOp>());
    if (funcs.size() != 1) {
      emitError(module.getLoc())
          << "escalate-emit-isa: expected one function, found " << funcs.size();
      return signalPassFailure();
    }
    FailureOr<hw::HwDesc> desc =
        loadHardware(module.getLoc(), getArgument(), hwFile);
    if (failed(desc))
      return signalPassFailure();
    func::FuncOp f = funcs.front();
    hw = &*desc;
    program.hw = *desc;
    FailureOr<DramPlan> planned = planDram(f);
    if (failed(planned))
      return signalPassFailure();
    plan = std::move(*planned);
    constCursor = align(plan.arenaBytes);
    uint64_t constStart = constCursor;
    for (Operation &op : f.getBody().front()) {
      if (failed(emit(f, &op)))
        return signalPassFailure();
      if (program.code.size() > maxInstructions) {
        op.emitOpError() << "brings the program past the limit of "
                         << uint64_t(maxInstructions)
                         << " instructions; raise it with --max-instructions";
        return signalPassFailure();
      }
    }
    isa::Instruction halt;
    halt.opcode = isa::Opcode::Halt;
    program.code.push_back(halt);
    program.dramBytes = std::max<uint64_t>(constCursor, kAlign);

    if (!reportFile.empty() &&
        failed(writeReport(module.getLoc(), constCursor - constStart)))
      return signalPassFailure();
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    escisa::fromProgram(b, f.getLoc(), program);
    f.erase();
  }

  isa::TensorDesc describe(StringRef name, Value v) {
    auto type = cast<RankedTensorType>(v.getType());
    quant::UniformQuantizedType q = quantType(type);
    isa::TensorDesc t;
    t.name = name.str();
    t.dram = plan.views.lookup(v).base;
    t.shape.assign(type.getShape().begin(), type.getShape().end());
    t.bits = storageBits(type);
    t.scale = q.getScale();
    t.zeroPoint = q.getZeroPoint();
    return t;
  }

  LogicalResult needContiguous(Operation *op, Value v) {
    if (plan.contiguous(v))
      return success();
    return op->emitOpError("needs a contiguous tensor, but its operand lives "
                           "inside a concat with batch > 1");
  }

  /// Appends a layer's code and constants under its name.
  void append(Operation *op, StringRef kind, const tiling::LayerCode &code,
              TileAttr tile) {
    std::string name = layerName(op);
    uint64_t begin = program.code.size();
    for (const tiling::Step &s : code.steps)
      program.code.push_back(s.inst);
    program.debug.push_back({begin, program.code.size(), name});
    if (!code.constants.empty()) {
      program.segments.push_back({name, constCursor, code.constants});
      constCursor = align(constCursor + code.constants.size());
    }
    llvm::json::Object sram;
    for (unsigned b = 0; b < hw::kNumBuffers; ++b) {
      sramPeak[b] = std::max(sramPeak[b], code.peakBytes[b]);
      sram[hw::bufferName(hw::Buffer(b))] = code.peakBytes[b];
    }
    auto result = cast<RankedTensorType>(op->getResult(0).getType());
    llvm::json::Object weights = weightStats(op);
    layers.push_back(llvm::json::Object{
        {"name", name},
        {"kind", kind},
        {"in_channels",
         cast<RankedTensorType>(op->getOperand(0).getType()).getDimSize(1)},
        {"out_channels", result.getDimSize(1)},
        {"instructions", int64_t(code.steps.size())},
        {"tile",
         llvm::json::Object{{"rows", tile.getRows()},
                            {"cols", tile.getCols()},
                            {"in_channels", tile.getInChannels()},
                            {"out_channels", tile.getOutChannels()},
                            {"order", stringifyTileOrder(tile.getOrder())},
                            {"double_buffer", tile.getDoubleBuffer()}}},
        {"estimated_cycles", tile.getCycles()},
        {"estimated_dram_bytes", tile.getDramBytes()},
        {"constant_bytes", int64_t(code.constants.size())},
        {"weights", std::move(weights)},
        {"sram_bytes", std::move(sram)}});
  }

  /// What a convolution layer keeps of its weights, as compiled: M and the
  /// coefficient sparsity of a decomposed layer, the weight sparsity of a
  /// dense or pruned one (empty for other layers).
  static llvm::json::Object weightStats(Operation *op) {
    auto sparsity = [](Value v, llvm::json::Object &o, StringRef count,
                       StringRef fraction) {
      FailureOr<Tensor> t = constantValue(v);
      if (failed(t))
        return;
      int64_t n = t->numElements();
      int64_t nonzero = t->dtype() == DType::F32
                            ? n - llvm::count(t->f32(), 0.0f)
                            : n - llvm::count(t->i64(), int64_t(0));
      o[count] = nonzero;
      o[fraction] = n ? 1.0 - double(nonzero) / n : 0.0;
    };
    llvm::json::Object o;
    if (auto dec = dyn_cast<QDecomposedConvOp>(op)) {
      o["bases"] = cast<RankedTensorType>(dec.getBases().getType()).getDimSize(0);
      sparsity(dec.getCoefficients(), o, "nonzero_coefficients",
               "coefficient_sparsity");
    } else if (auto conv = dyn_cast<QConvOp>(op)) {
      sparsity(conv.getWeight(), o, "nonzero_weights", "weight_sparsity");
    }
    return o;
  }

  LogicalResult misfit(Operation *op, llvm::Error err) {
    return op->emitOpError() << "tile does not fit hardware '" << hw->name
                             << "': " << llvm::toString(std::move(err));
  }

  FailureOr<TileAttr> tileAttr(Operation *op) {
    auto tile = op->getAttrOfType<TileAttr>(kTileAttr);
    if (!tile)
      return op->emitOpError("has no #escalate.tile: run escalate-tile first");
    return tile;
  }

  LogicalResult emit(func::FuncOp f, Operation *op) {
    if (llvm::isa<ConstantOp, ReshapeOp, ConcatOp, RequantOp>(op))
      return success(); // data, placement, or emitted with its conv
    if (auto q = dyn_cast<QuantizeOp>(op)) {
      auto arg = dyn_cast<BlockArgument>(q.getInput());
      if (!arg)
        return op->emitOpError(
            "quantizes a float result computed in the graph: the op before "
            "it has no accelerator lowering");
      auto name =
          f.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "escalate.name");
      program.inputs.push_back(describe(
          name ? name.getValue() : ("input" + Twine(arg.getArgNumber())).str(),
          q.getResult()));
      return needContiguous(op, q.getResult());
    }
    if (llvm::isa<DequantizeOp>(op)) {
      for (Operation *user : op->getUsers())
        if (!llvm::isa<func::ReturnOp>(user))
          return op->emitOpError()
                 << "feeds float op '" << user->getName() << "' (layer '"
                 << layerName(user) << "'), which the accelerator cannot run";
      return success();
    }
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
        Value q = v;
        if (auto deq = v.getDefiningOp<DequantizeOp>())
          q = deq.getInput();
        if (!quantType(q.getType()) || !plan.views.count(q))
          return op->emitOpError()
                 << "output " << i << " is not a quantized activation";
        auto name = f.getResultAttrOfType<StringAttr>(i, "escalate.name");
        program.outputs.push_back(
            describe(name ? name.getValue() : ("output" + Twine(i)).str(), q));
        if (failed(needContiguous(op, q)))
          return failure();
      }
      return success();
    }
    if (auto sm = dyn_cast<QSoftmaxOp>(op)) {
      if (failed(needContiguous(op, sm.getInput())) ||
          failed(needContiguous(op, sm.getOutput())))
        return failure();
      isa::HostOp host{"softmax", describe("input", sm.getInput()),
                       describe("output", sm.getOutput()),
                       sm.getAxisAttr().getInt()};
      isa::Instruction inst;
      inst.opcode = isa::Opcode::Host;
      inst.f[isa::host::Index] = program.hostOps.size();
      program.hostOps.push_back(host);
      uint64_t pc = program.code.size();
      program.code.push_back(inst);
      program.debug.push_back({pc, pc + 1, layerName(op)});
      return success();
    }
    if (llvm::isa<QConvOp, QDecomposedConvOp>(op)) {
      FailureOr<TileAttr> tile = tileAttr(op);
      FailureOr<tiling::ConvLayer> layer = convLayer(op);
      if (failed(tile) || failed(layer))
        return failure();
      Value out = requantOf(op)->getOutput();
      llvm::Expected<tiling::LayerCode> code = tiling::buildConv(
          *layer, tileOf(*tile), *hw, plan.views.lookup(op->getOperand(0)),
          plan.views.lookup(out), constCursor,
          layer->window ? 0 : basisLayers % 2);
      if (!code)
        return misfit(op, code.takeError());
      basisLayers += !layer->window;
      append(op, layer->window ? "conv" : "decomposed_conv", *code, *tile);
      return success();
    }
    if (isTiledLayer(op)) {
      FailureOr<TileAttr> tile = tileAttr(op);
      FailureOr<tiling::PpuLayer> layer = ppuLayer(op);
      if (failed(tile) || failed(layer))
        return failure();
      DramView other;
      if (op->getNumOperands() > 1) {
        other = plan.views.lookup(op->getOperand(1));
        if (layer->other.n == 1)
          other.imageStride = 0; // one rhs image for every lhs image
      }
      llvm::Expected<tiling::LayerCode> code = tiling::buildPpu(
          *layer, tileOf(*tile), *hw, plan.views.lookup(op->getOperand(0)),
          other, plan.views.lookup(op->getResult(0)), constCursor);
      if (!code)
        return misfit(op, code.takeError());
      append(op, op->getName().stripDialect(), *code, *tile);
      return success();
    }
    return op->emitOpError(
        "has no accelerator lowering: it is not quantized (escalate-quantize "
        "leaves it in floating point, see docs/quantization.md) and the "
        "accelerator has no floating-point unit");
  }

  LogicalResult writeReport(Location loc, uint64_t constantBytes) {
    llvm::json::Object sram;
    for (unsigned b = 0; b < hw::kNumBuffers; ++b)
      sram[hw::bufferName(hw::Buffer(b))] = sramPeak[b];
    llvm::json::Object report{
        {"hw", hw->name},
        {"dram", llvm::json::Object{{"activation_arena_bytes", plan.arenaBytes},
                                    {"activation_bytes_without_reuse",
                                     plan.unsharedBytes},
                                    {"activation_buffers", plan.buffers},
                                    {"constant_bytes", constantBytes},
                                    {"total_bytes", program.dramBytes}}},
        {"sram_peak_bytes", std::move(sram)},
        {"instructions", int64_t(program.code.size())},
        {"layers", std::move(layers)}};
    return writeJsonFile(loc, reportFile, std::move(report));
  }
};
} // namespace
