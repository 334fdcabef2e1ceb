//===- escalate-sim.cpp - run an ESCALATE binary --------------------------===//
//
// Loads and validates a .escb program, feeds its inputs, runs it on the
// instruction-level simulator and writes outputs, stats and a trace.
//
//===----------------------------------------------------------------------===//
#include "escalate/ISA/Binary.h"
#include "escalate/Reference/TensorIO.h"
#include "escalate/Sim/Simulator.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include <cmath>

using namespace escalate;
namespace cl = llvm::cl;

static cl::opt<std::string> programPath(cl::Positional, cl::Required,
                                        cl::desc("<program.escb>"));
static cl::list<std::string>
    inputFiles("input", cl::desc("Input tensor (.npy or .pb), in the order of "
                                 "the program's inputs; integers are taken "
                                 "as stored, floats are quantized"),
               cl::value_desc("file"));
static cl::opt<std::string>
    outputDir("output-dir", cl::desc("Write each output as DIR/<name>.npy"),
              cl::value_desc("dir"));
static cl::opt<bool> dequantize(
    "dequantize",
    cl::desc("Write outputs as float32 (scale * (q - zero_point)) instead "
             "of the stored integers"));
// libLLVM owns a "-stats" option, registered while parsing, so ours is taken
// out of argv before cl sees it (see main).
static std::string statsPath;
static cl::opt<std::string>
    tracePath("trace", cl::desc("Write a Chrome trace-event JSON (Perfetto)"),
              cl::value_desc("file"));
static cl::opt<uint64_t> maxCycles("max-cycles",
                                   cl::desc("Stop a run that passes N cycles"),
                                   cl::init(uint64_t(1) << 40));
static cl::opt<uint64_t>
    maxDram("max-dram", cl::desc("Largest DRAM a binary may ask for (bytes)"),
            cl::init(uint64_t(4) << 30));
static cl::opt<bool> functionalOnly(
    "functional-only", cl::desc("Compute outputs and event counts only; skip "
                                "the timing model"));
static cl::opt<bool> quiet("quiet", cl::desc("Do not print the layer table"));

static int error(const llvm::Twine &msg) {
  llvm::WithColor::error(llvm::errs(), "escalate-sim") << msg << "\n";
  return 1;
}

/// Reads `path` as the values of input `desc`: integers must fit its width;
/// floats are quantized with its scale (round half to even, saturating).
static llvm::Expected<std::vector<int64_t>>
readInput(llvm::StringRef path, const isa::TensorDesc &desc) {
  llvm::Expected<Tensor> t = readTensorFile(path);
  if (!t)
    return t.takeError();
  if (t->shape() != llvm::ArrayRef<int64_t>(desc.shape))
    return llvm::createStringError(
        path + ": shape " + t->describe() + " does not match input '" +
        desc.name + "'");
  std::vector<int64_t> values(desc.numElements());
  if (t->dtype() == DType::I64) {
    llvm::copy(t->i64(), values.begin());
    return values;
  }
  if (desc.scale <= 0)
    return llvm::createStringError(
        path + ": input '" + desc.name +
        "' has no quantization scale; give integers (.npy int32/int64)");
  int64_t hi = (int64_t(1) << (desc.bits - 1)) - 1, lo = -hi - 1;
  for (auto [i, v] : llvm::enumerate(t->f32())) {
    double q = std::nearbyint(double(v) / desc.scale) + desc.zeroPoint;
    values[i] = std::isnan(q) ? desc.zeroPoint
                              : int64_t(std::clamp<double>(q, lo, hi));
  }
  return values;
}

static int writeJson(llvm::StringRef path,
                     llvm::function_ref<void(llvm::raw_ostream &)> write) {
  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return error("cannot write '" + path + "': " + ec.message());
  write(out.os());
  out.os().flush();
  if (out.os().has_error())
    return error("cannot write '" + path + "'");
  out.keep();
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  std::vector<const char *> args;
  for (int i = 0; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg == "--stats" || arg == "-stats") {
      if (i + 1 == argc)
        return error("--stats needs a file name");
      statsPath = argv[++i];
    } else if (arg.consume_front("--stats=") || arg.consume_front("-stats=")) {
      statsPath = arg.str();
    } else {
      args.push_back(argv[i]);
    }
  }
  cl::ParseCommandLineOptions(
      args.size(), args.data(),
      "ESCALATE instruction-level simulator\n\n"
      "  --stats <file>  Write statistics (per layer and total) as JSON\n");

  auto file = llvm::MemoryBuffer::getFile(programPath, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return error("cannot read '" + programPath + "': " +
                 file.getError().message());
  llvm::Expected<isa::Program> program =
      isa::readBinary((*file)->getBuffer(), maxDram);
  if (!program)
    return error(programPath + ": " + llvm::toString(program.takeError()));
  if (inputFiles.size() != program->inputs.size())
    return error(llvm::Twine("the program has ") +
                 llvm::Twine(program->inputs.size()) + " input(s); " +
                 llvm::Twine(inputFiles.size()) + " --input given");

  sim::Options options;
  options.functionalOnly = functionalOnly;
  options.maxCycles = maxCycles;
  options.recordTrace = !tracePath.empty();
  sim::Simulator simulator(*program, options);
  for (auto [i, path] : llvm::enumerate(inputFiles)) {
    llvm::Expected<std::vector<int64_t>> values =
        readInput(path, program->inputs[i]);
    if (!values)
      return error(llvm::toString(values.takeError()));
    if (llvm::Error err = simulator.setInput(i, *values))
      return error(path + ": " + llvm::toString(std::move(err)));
  }
  if (llvm::Error err = simulator.run())
    return error(programPath + ": " + llvm::toString(std::move(err)));

  const sim::Stats &stats = simulator.stats();
  if (!quiet)
    sim::printStatsTable(*program, stats, llvm::outs());
  if (!statsPath.empty())
    if (int rc = writeJson(statsPath, [&](llvm::raw_ostream &os) {
          sim::writeStatsJson(*program, stats, os);
        }))
      return rc;
  if (!tracePath.empty())
    if (int rc = writeJson(tracePath, [&](llvm::raw_ostream &os) {
          sim::writeTraceJson(*program, stats, os);
        }))
      return rc;
  if (!outputDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
      return error("cannot create '" + outputDir + "': " + ec.message());
    std::vector<std::string> names;
    std::vector<Tensor> tensors;
    for (auto [i, desc] : llvm::enumerate(program->outputs)) {
      std::vector<int64_t> q = simulator.output(i);
      Tensor t(dequantize ? DType::F32 : DType::I64, desc.shape);
      for (auto [j, v] : llvm::enumerate(q)) {
        if (dequantize)
          t.f32()[j] = float(desc.scale * double(v - desc.zeroPoint));
        else
          t.i64()[j] = v;
      }
      names.push_back(desc.name);
      tensors.push_back(std::move(t));
    }
    if (llvm::Error err = writeNpyFiles(outputDir, names, tensors))
      return error(llvm::toString(std::move(err)));
  }
  return 0;
}
