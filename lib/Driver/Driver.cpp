//===- Driver.cpp - ONNX to compiled module, and how errors read ----------===//
#include "escalate/Driver/Driver.h"
#include "escalate/Dialect/Escalate/IR/EscalateOps.h"
#include "escalate/Support/Tool.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace escalate;

OwningOpRef<ModuleOp>
driver::compileOnnx(MLIRContext &ctx, StringRef model, StringRef name,
                    const ImportOptions &importOptions,
                    const CompileOptions &options,
                    llvm::function_ref<void(PassManager &, ModuleOp)> configure,
                    bool *unsupported) {
  ImportResult imported = importOnnx(model, name, importOptions, &ctx);
  if (unsupported)
    *unsupported = !imported.module &&
                   imported.failure == ImportFailure::Unsupported;
  if (!imported.module)
    return nullptr;
  PassManager pm(&ctx, ModuleOp::getOperationName());
  buildCompilePipeline(pm, options);
  if (configure)
    configure(pm, *imported.module);
  if (failed(pm.run(*imported.module)))
    return nullptr;
  return std::move(imported.module);
}

driver::ThreadedContext::ThreadedContext(const DialectRegistry &registry,
                                         unsigned jobs)
    : ctx(registry, MLIRContext::Threading::DISABLED) {
  if (jobs != 1) {
    pool.emplace(llvm::hardware_concurrency(jobs));
    ctx.setThreadPool(*pool);
  }
}

uint64_t driver::floatWeightBytes(ModuleOp imported) {
  uint64_t bytes = 0;
  auto add = [&](Value v) {
    if (auto t = v ? dyn_cast<RankedTensorType>(v.getType()) : nullptr)
      if (t.getElementType().isF32() && v.getDefiningOp<ConstantOp>())
        bytes += uint64_t(t.getNumElements()) * 4;
  };
  imported.walk([&](Operation *op) {
    if (auto conv = dyn_cast<ConvOp>(op)) {
      add(conv.getWeight());
      add(conv.getBias());
    } else if (auto gemm = dyn_cast<GemmOp>(op)) {
      add(gemm.getB());
      add(gemm.getC());
    }
  });
  return bytes;
}

static std::string grouped(uint64_t v) {
  return tool::groupThousands(std::to_string(v));
}

/// What a layer's weights became: "M=9, 50% zero" (decomposed), "80% zero"
/// (pruned), "" (no weights).
static std::string weightsOf(const llvm::json::Object &layer) {
  const llvm::json::Object *w = layer.getObject("weights");
  if (!w)
    return "";
  if (std::optional<int64_t> m = w->getInteger("bases"))
    return llvm::formatv("M={0}, {1:P0} of coefs zero", *m,
                         w->getNumber("coefficient_sparsity").value_or(0))
        .str();
  if (std::optional<double> s = w->getNumber("weight_sparsity"))
    return llvm::formatv("{0:P0} zero", *s).str();
  return "";
}

void driver::printSummary(llvm::raw_ostream &os, const CompileOptions &options,
                          const llvm::json::Object &report, uint64_t floatBytes,
                          const OutputAccuracy &accuracy,
                          StringRef reportPath, double seconds) {
  os << llvm::formatv("escalate-compile: {0} mode for hardware '{1}', {2:f1} s\n",
                      options.mode, report.getString("hw").value_or("?"),
                      seconds);
  const llvm::json::Array *layers = report.getArray("layers");
  uint64_t cycles = 0, constants = 0, hostCycles = 0, hostLayers = 0,
           hostConstants = 0;
  // The kind column fits the longest kind ("decomposed_conv + qadd", host
  // kinds), so the columns after it stay aligned.
  size_t kindWidth = 16;
  for (const llvm::json::Value &v : layers ? *layers : llvm::json::Array())
    if (const llvm::json::Object *l = v.getAsObject())
      kindWidth = std::max(kindWidth, l->getString("kind").value_or("").size());
  auto row = [&](StringRef name, StringRef kind, StringRef weights,
                 StringRef cycles, StringRef bytes) {
    os << "  " << llvm::left_justify(name, 32) << ' '
       << llvm::left_justify(kind, kindWidth) << ' '
       << llvm::left_justify(weights, 26) << ' '
       << llvm::right_justify(cycles, 12) << ' '
       << llvm::right_justify(bytes, 10) << '\n';
  };
  row("layer", "kind", "weights", "est. cycles", "bytes");
  for (const llvm::json::Value &v : layers ? *layers : llvm::json::Array()) {
    const llvm::json::Object *l = v.getAsObject();
    if (!l)
      continue;
    uint64_t c = l->getInteger("estimated_cycles").value_or(0);
    uint64_t b = l->getInteger("constant_bytes").value_or(0);
    cycles += c;
    // The host's float constants are not encoded accelerator weights.
    if (l->getString("unit") == "host") {
      hostCycles += c;
      hostConstants += b;
      ++hostLayers;
    } else {
      constants += b;
    }
    row(tool::elideMiddle(l->getString("name").value_or("?"), 32),
        l->getString("kind").value_or("?"), weightsOf(*l), grouped(c),
        grouped(b));
  }
  os << "  total: " << grouped(cycles) << " estimated cycles";
  if (std::optional<int64_t> n = report.getInteger("instructions"))
    os << ", " << grouped(*n) << " instructions";
  if (const llvm::json::Object *dram = report.getObject("dram"))
    if (std::optional<int64_t> total = dram->getInteger("total_bytes"))
      os << ", " << grouped(*total) << " bytes of DRAM";
  if (hostLayers)
    os << llvm::formatv("\n  host: {0} layer{1} on the host core, {2} "
                        "estimated cycles ({3:P1} of the total)",
                        hostLayers, hostLayers == 1 ? "" : "s",
                        grouped(hostCycles),
                        cycles ? double(hostCycles) / cycles : 0.0);
  os << "\n  weights: " << grouped(floatBytes) << " bytes as float, "
     << grouped(constants) << " bytes encoded";
  if (constants)
    os << llvm::formatv(" ({0:f1}x smaller)", double(floatBytes) / constants);
  if (hostConstants)
    os << ", " << grouped(hostConstants)
       << " bytes of float constants for the host";
  os << "\n";
  if (accuracy.problem.empty())
    os << llvm::formatv("  accuracy: output SQNR {0:f1} dB, cosine {1:f4} "
                        "against the float model on {2} {3}calibration "
                        "sample{4} (quantized reference, bit-exact with the "
                        "simulator)\n",
                        accuracy.sqnrDb, accuracy.cosine, accuracy.samples,
                        accuracy.synthetic ? "synthetic " : "",
                        accuracy.samples == 1 ? "" : "s");
  else
    os << "  accuracy: not measured (" << accuracy.problem << ")\n";
  if (!reportPath.empty())
    os << "  report: " << reportPath << "\n";
}

driver::Message driver::describe(Diagnostic &diag) {
  Message m;
  diag.getLocation()->walk([&](Location loc) {
    if (auto name = dyn_cast<NameLoc>(loc); name && m.node.empty())
      m.node = name.getName().str();
    if (auto f = dyn_cast<FileLineColLoc>(loc); f && m.file.empty())
      m.file = f.getFilename().str();
    return WalkResult::advance();
  });
  std::string text = diag.str();
  // A text that names its node, or a tensor of the same name (a graph
  // input's location is its name too), needs no "node '...'" in front.
  m.text = m.node.empty() || StringRef(text).contains("'" + m.node + "'")
               ? text
               : "node '" + m.node + "': " + text;
  return m;
}

void driver::print(llvm::raw_ostream &os, StringRef tool, Diagnostic &diag) {
  Message m = describe(diag);
  os << (m.file.empty() ? tool.str() : m.file) << ": ";
  switch (diag.getSeverity()) {
  case DiagnosticSeverity::Error:
    llvm::WithColor(os, llvm::HighlightColor::Error) << "error: ";
    break;
  case DiagnosticSeverity::Warning:
    llvm::WithColor(os, llvm::HighlightColor::Warning) << "warning: ";
    break;
  default:
    llvm::WithColor(os, llvm::HighlightColor::Note) << "note: ";
    break;
  }
  os << m.text << "\n";
}
