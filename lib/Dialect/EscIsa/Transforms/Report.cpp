//===- Report.cpp - the escisa-report pass --------------------------------===//
#include "escalate/Dialect/EscIsa/Transforms/Passes.h"
#include "escalate/Support/FileIO.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

namespace escalate::escisa {
#define GEN_PASS_DEF_REPORT
#include "escalate/Dialect/EscIsa/Transforms/Passes.h.inc"
} // namespace escalate::escisa

using namespace mlir;
using namespace escalate;
using namespace escalate::escisa;

namespace {
/// The records are plain dictionaries of integers, floats, booleans and
/// strings, so they map one to one onto JSON.
llvm::json::Value toJson(Attribute a) {
  if (auto b = dyn_cast<BoolAttr>(a))
    return b.getValue();
  if (auto i = dyn_cast<IntegerAttr>(a))
    return i.getInt();
  if (auto f = dyn_cast<FloatAttr>(a))
    return f.getValueAsDouble();
  if (auto s = dyn_cast<StringAttr>(a))
    return s.getValue();
  if (auto arr = dyn_cast<ArrayAttr>(a)) {
    llvm::json::Array out;
    for (Attribute e : arr)
      out.push_back(toJson(e));
    return out;
  }
  llvm::json::Object out;
  if (auto d = dyn_cast<DictionaryAttr>(a))
    for (NamedAttribute e : d)
      out[e.getName().getValue()] = toJson(e.getValue());
  return out;
}

struct ReportPass : public escisa::impl::ReportBase<ReportPass> {
  using ReportBase::ReportBase;

  void runOnOperation() override {
    for (ProgramOp program : getOperation().getOps<ProgramOp>()) {
      if (!reportFile.empty() && failed(write(program)))
        return signalPassFailure();
      program->removeAttr(kLayerRecordsAttr);
      program->removeAttr(kArenaRecordAttr);
    }
  }

  LogicalResult write(ProgramOp program) {
    std::string hwName = hw::defaultHwDesc().name;
    if (std::optional<StringRef> text = program.getHw()) {
      llvm::Expected<hw::HwDesc> desc = hw::parseHwDesc(*text);
      if (!desc)
        return program.emitOpError() << llvm::toString(desc.takeError());
      hwName = desc->name;
    }
    // Totals come from the program itself.
    int64_t instructions = 0;
    uint64_t constantBytes = 0;
    for (Operation &op : program.getBody().front()) {
      if (auto segment = dyn_cast<SegmentOp>(op))
        constantBytes += llvm::alignTo(
            cast<ShapedType>(segment.getData().getType()).getNumElements(),
            hw::kDramAlign);
      else if (!llvm::isa<TensorOp>(op))
        ++instructions;
    }
    llvm::json::Object dram;
    if (auto arena = program->getAttrOfType<DictionaryAttr>(kArenaRecordAttr))
      for (NamedAttribute e : arena)
        dram[e.getName().getValue()] = toJson(e.getValue());
    dram["constant_bytes"] = constantBytes;
    dram["total_bytes"] = program.getDramBytes();

    uint64_t peak[hw::kNumBuffers] = {};
    llvm::json::Array layers;
    if (auto records = program->getAttrOfType<ArrayAttr>(kLayerRecordsAttr)) {
      for (Attribute record : records) {
        auto dict = dyn_cast<DictionaryAttr>(record);
        auto sram =
            dict ? dict.getAs<DictionaryAttr>("sram_bytes") : DictionaryAttr();
        for (unsigned b = 0; sram && b < hw::kNumBuffers; ++b)
          if (auto bytes =
                  sram.getAs<IntegerAttr>(hw::bufferName(hw::Buffer(b))))
            peak[b] = std::max(peak[b], uint64_t(bytes.getInt()));
        layers.push_back(toJson(record));
      }
    }
    llvm::json::Object sramPeak;
    for (unsigned b = 0; b < hw::kNumBuffers; ++b)
      sramPeak[hw::bufferName(hw::Buffer(b))] = peak[b];
    llvm::json::Object report{{"hw", hwName},
                              {"dram", std::move(dram)},
                              {"sram_peak_bytes", std::move(sramPeak)},
                              {"instructions", instructions},
                              {"layers", std::move(layers)}};
    if (llvm::Error err =
            writeFileAtomically(reportFile, [&](llvm::raw_ostream &os) {
              os << llvm::formatv("{0:2}", llvm::json::Value(std::move(report)))
                 << "\n";
            }))
      return emitError(getOperation().getLoc())
             << llvm::toString(std::move(err));
    return success();
  }
};
} // namespace
