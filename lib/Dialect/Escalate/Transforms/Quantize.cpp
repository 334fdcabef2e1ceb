//===- Quantize.cpp - escalate-quantize: calibration and scale assignment -===//
//
// Decides every activation's scale and zero point (calibration or a table,
// then one shared quantization for values that pooling, reshape and concat
// tie together), then hands the rewrite to Quantizer.cpp.
//
//===----------------------------------------------------------------------===//
#include "Quantize.h"
#include "escalate/Dialect/Escalate/Utils/AcceleratorLayers.h"
#include "escalate/Dialect/Escalate/Transforms/Decomposition.h"
#include "escalate/Dialect/Escalate/Transforms/LayerConfig.h"
#include "escalate/Dialect/Escalate/Transforms/Passes.h"
#include "escalate/Hardware/Hardware.h"
#include "escalate/Quantization/Calibration.h"
#include "escalate/Support/FixedPoint.h"

namespace escalate {
#define GEN_PASS_DEF_QUANTIZE
#include "escalate/Dialect/Escalate/Transforms/Passes.h.inc"
} // namespace escalate

using namespace mlir;
using namespace escalate;
using QType = quant::UniformQuantizedType;

namespace {
/// Union-find over activation values that must share one quantization.
class ScaleClasses {
public:
  unsigned id(Value v) {
    auto [it, inserted] = ids.try_emplace(v, parent.size());
    if (inserted)
      parent.push_back(parent.size());
    return it->second;
  }
  unsigned find(unsigned i) {
    while (parent[i] != i)
      i = parent[i] = parent[parent[i]];
    return i;
  }
  void join(Value a, Value b) { parent[find(id(a))] = find(id(b)); }
  const DenseMap<Value, unsigned> &members() const { return ids; }

private:
  DenseMap<Value, unsigned> ids;
  SmallVector<unsigned> parent;
};

struct QuantizePass : public escalate::impl::QuantizeBase<QuantizePass> {
  using QuantizeBase::QuantizeBase;

  void runOnOperation() override;

  LogicalResult fail(const Twine &msg) {
    emitError(getOperation().getLoc()) << "escalate-quantize: " << msg;
    return failure();
  }
  FailureOr<QuantConfig> configure();
  FailureOr<calib::Table> ranges(func::FuncOp f);
  DenseMap<unsigned, quant::UniformQuantizedType>
  modelQuantization(func::FuncOp f, ScaleClasses &classes,
                    const QuantConfig &config);
};
} // namespace

FailureOr<QuantConfig> QuantizePass::configure() {
  FailureOr<hw::HwDesc> loaded =
      loadHardware(getOperation().getLoc(), getArgument(), hwFile);
  if (failed(loaded))
    return failure();
  hw::HwDesc desc = std::move(*loaded);
  auto check = [&](StringRef option, unsigned bits,
                   ArrayRef<unsigned> supported) -> LogicalResult {
    if (llvm::is_contained(supported, bits))
      return success();
    std::string list;
    llvm::raw_string_ostream os(list);
    llvm::interleaveComma(supported, os);
    return fail(option + "=" + Twine(bits) + " is not supported by hardware '" +
                desc.name + "' (widths: " + list + ")");
  };
  // Each width option, the layer setting that overrides it (if any), and
  // the hardware's widths for it.
  struct Width {
    StringRef option, layerKey;
    unsigned bits;
    ArrayRef<unsigned> supported;
  } widths[] = {{"act-bits", "", actBits, desc.actBits},
                {"weight-bits", "weight_bits", weightBits, desc.coefBits},
                {"basis-bits", "basis_bits", basisBits, desc.basisBits},
                {"coef-bits", "coef_bits", coefBits, desc.coefBits}};
  for (const Width &w : widths)
    if (failed(check(w.option, w.bits, w.supported)))
      return failure();
  // Widths a layer's configuration sets must be the hardware's too.
  WalkResult layers = getOperation().walk([&](Operation *op) {
    for (const Width &w : widths)
      if (std::optional<double> bits =
              w.layerKey.empty() ? std::nullopt : layerSetting(op, w.layerKey))
        if (failed(check("layer '" + layerName(op) + "': " + w.layerKey.str(),
                         unsigned(*bits), w.supported)))
          return WalkResult::interrupt();
    return WalkResult::advance();
  });
  if (layers.wasInterrupted())
    return failure();
  QuantConfig config;
  config.actBits = actBits;
  config.weightBits = weightBits;
  config.basisBits = basisBits;
  config.coefBits = coefBits;
  config.perChannel = perChannel;
  config.symmetric = symmetric;
  config.accBits = desc.accumBits;
  config.mapBits = desc.streamBits;
  return config;
}

DenseMap<unsigned, QType>
QuantizePass::modelQuantization(func::FuncOp f, ScaleClasses &classes,
                                const QuantConfig &config) {
  // A model that states its activations' scales (fake_quant from its QDQ
  // pairs or QLinear ops) keeps them when they fit the activation width;
  // an unsigned zero point moves down by 2^(bits-1) with the same scale.
  DenseMap<unsigned, QType> types;
  llvm::DenseSet<unsigned> conflicting;
  f.walk([&](FakeQuantOp fq) {
    int64_t span = fq.getQmaxAttr().getInt() - fq.getQminAttr().getInt();
    if (span != (int64_t(1) << config.actBits) - 1)
      return;
    int64_t shift = fq.getQminAttr().getInt() - fixed::minOf(config.actBits);
    QType t = QType::get(
        quant::QuantizationFlags::Signed,
        IntegerType::get(&getContext(), config.actBits),
        Float32Type::get(&getContext()), fq.getScale().convertToDouble(),
        fq.getZeroPointAttr().getInt() - shift, fixed::minOf(config.actBits),
        fixed::maxOf(config.actBits));
    unsigned root = classes.find(classes.id(fq.getResult()));
    auto [it, inserted] = types.try_emplace(root, t);
    if (!inserted && it->second != t && conflicting.insert(root).second)
      fq.emitWarning()
          << "escalate-quantize: values tied by pooling, reshape or concat "
             "carry different model scales ("
          << it->second << " and " << t << "); calibrating them instead";
  });
  for (unsigned root : conflicting)
    types.erase(root);
  return types;
}

FailureOr<calib::Table> QuantizePass::ranges(func::FuncOp f) {
  if (!calibTable.empty()) {
    if (!calibDir.empty())
      return fail("give calib-dir or calib-table, not both");
    llvm::Expected<calib::Table> table = calib::Table::load(calibTable);
    if (!table) {
      (void)fail(llvm::toString(table.takeError()));
      return failure();
    }
    return std::move(*table);
  }
  std::optional<calib::Method> method = calib::parseMethod(calibMethod);
  if (!method)
    return fail("calib-method '" + calibMethod +
                "' is not minmax, percentile or kl");
  if (!(percentile > 0 && percentile <= 100))
    return fail("percentile must be in (0, 100]");
  std::vector<calib::Sample> samples;
  if (calibDir.empty()) {
    llvm::Expected<std::vector<calib::Sample>> synthetic =
        calib::syntheticSamples(f, calibSamples ? calibSamples : 8);
    if (!synthetic) {
      (void)fail(llvm::toString(synthetic.takeError()));
      return failure();
    }
    samples = std::move(*synthetic);
    // A diagnostic, so tools place it (escalate-compile clears its
    // progress line first).
    emitWarning(f.getLoc())
        << "escalate-quantize: no calibration data (calib-dir): calibrating "
           "on "
        << samples.size()
        << " synthetic N(0, 1) inputs. Activation ranges, and so accuracy, "
           "will not reflect real data.";
  } else {
    llvm::Expected<std::vector<calib::Sample>> loaded =
        calib::loadSamples(calibDir, f, calibSamples);
    if (!loaded) {
      (void)fail(llvm::toString(loaded.takeError()));
      return failure();
    }
    samples = std::move(*loaded);
  }
  return calib::calibrate(f, samples, {*method, percentile, actBits});
}

void QuantizePass::runOnOperation() {
  auto f = getOperation().lookupSymbol<func::FuncOp>("main");
  if (!f) {
    (void)fail("the module has no func.func @main");
    return signalPassFailure();
  }
  FailureOr<QuantConfig> config = configure();
  if (failed(config))
    return signalPassFailure();
  FailureOr<calib::Table> table = ranges(f);
  if (failed(table))
    return signalPassFailure();
  if (!writeCalibTable.empty())
    if (llvm::Error e = table->save(writeCalibTable)) {
      (void)fail(llvm::toString(std::move(e)));
      return signalPassFailure();
    }

  // Values tied by pooling, reshape and concat share the union of their
  // ranges, so those ops move integers without rescaling.
  llvm::MapVector<Value, std::string> names = calib::activationNames(f);
  ScaleClasses classes;
  for (auto &[value, name] : names)
    if (table->ranges.count(name))
      classes.id(value);
  f.walk([&](Operation *op) {
    if (!sharesScale(op) || !isQuantizable(op, *config))
      return;
    for (Value v : op->getOperands())
      classes.join(v, op->getResult(0));
  });
  DenseMap<unsigned, calib::Range> merged;
  for (auto &[value, id] : classes.members()) {
    auto it = names.find(value);
    if (it == names.end() || !table->ranges.count(it->second))
      continue;
    calib::Range r = table->ranges.lookup(it->second);
    auto [slot, inserted] = merged.try_emplace(classes.find(id), r);
    slot->second.min = std::min(slot->second.min, r.min);
    slot->second.max = std::max(slot->second.max, r.max);
  }
  DenseMap<unsigned, QType> modelTypes = modelQuantization(f, classes, *config);
  DenseMap<Value, QType> types;
  for (auto &[value, id] : classes.members()) {
    unsigned root = classes.find(id);
    if (auto model = modelTypes.find(root); model != modelTypes.end())
      types[value] = model->second;
    else if (auto it = merged.find(root); it != merged.end())
      types[value] = activationType(&getContext(), it->second.min,
                                    it->second.max, *config);
  }
  // A value the host writes and only the host reads (not tied to others by
  // a shared scale) is kHostValueBits wide whatever the activation width.
  DenseMap<unsigned, unsigned> classSize;
  for (auto &[value, id] : classes.members())
    ++classSize[classes.find(id)];
  auto onHost = [&](Operation *op) { return runsOnHost(op, *config); };
  for (auto &[value, id] : classes.members()) {
    unsigned root = classes.find(id);
    Operation *def = value.getDefiningOp();
    auto range = merged.find(root);
    if (!def || classSize[root] != 1 || range == merged.end() ||
        modelTypes.count(root) || !onHost(def) || value.use_empty() ||
        !llvm::all_of(value.getUsers(), onHost))
      continue;
    types[value] = activationType(&getContext(), range->second.min,
                                  range->second.max, *config, kHostValueBits);
  }
  // ArgMax's indices quantize exactly: scale 1, zero point 0, as wide as
  // the largest index needs.
  f.walk([&](ArgMaxOp a) {
    int64_t len = a.getInput().getType().getDimSize(a.getAxis());
    unsigned bits = len <= 128 ? 8 : 16;
    types[a.getResult()] = QType::get(quant::QuantizationFlags::Signed,
                                      IntegerType::get(&getContext(), bits),
                                      Float32Type::get(&getContext()), 1.0, 0,
                                      fixed::minOf(bits), fixed::maxOf(bits));
  });
  auto nameOf = [&](Value v) {
    auto it = names.find(v);
    return it != names.end() ? it->second : std::string("<unnamed>");
  };
  if (failed(quantizeFunction(f, *config, types, nameOf)))
    return signalPassFailure();
}
