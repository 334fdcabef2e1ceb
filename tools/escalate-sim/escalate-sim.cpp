//===- escalate-sim.cpp - run an ESCALATE binary --------------------------===//
//
// Loads and validates a .escb program, feeds its inputs, runs it on the
// instruction-level simulator and writes outputs, stats and a trace.
//
//===----------------------------------------------------------------------===//
#include "escalate/Hardware/Binary.h"
#include "escalate/Sim/HostIO.h"
#include "escalate/Sim/Simulator.h"
#include "escalate/Support/FixedPoint.h"
#include "escalate/Support/Progress.h"
#include "escalate/Support/TensorFiles.h"
#include "escalate/Support/Tool.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"
#include <chrono>
#include <cmath>

using namespace escalate;
namespace cl = llvm::cl;

static cl::OptionCategory category("escalate-sim options");

static cl::opt<std::string>
    programPath(cl::Positional, cl::desc("<program.escb>"), cl::cat(category));
static cl::opt<bool> printEncoding(
    "print-encoding",
    cl::desc("Print the instruction encoding table (Markdown) and exit"),
    cl::cat(category));
static cl::list<std::string>
    inputFiles("input",
               cl::desc("Input tensors (.npy or .pb): FILE... in the order "
                        "of the program's inputs, or name=FILE for the input "
                        "of that name; integers are taken as stored, floats "
                        "are quantized"),
               cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string>
    outputDir("output-dir", cl::desc("Write each output as DIR/<name>.npy"),
              cl::value_desc("dir"), cl::cat(category));
static cl::opt<bool> dequantize(
    "dequantize",
    cl::desc("Write outputs as float32 (scale * (q - zero_point)) instead "
             "of the stored integers"),
    cl::cat(category));
// libLLVM owns a "-stats" option, registered while parsing, so ours is taken
// out of argv before cl sees it (see main).
static std::string statsPath;
static cl::opt<std::string>
    tracePath("trace", cl::desc("Write a Chrome trace-event JSON (Perfetto)"),
              cl::value_desc("file"), cl::cat(category));
static cl::opt<uint64_t> maxCycles("max-cycles",
                                   cl::desc("Stop a run that passes N cycles"),
                                   cl::init(uint64_t(1) << 40),
                                   cl::cat(category));
static cl::opt<uint64_t>
    maxDram("max-dram", cl::desc("Largest DRAM a binary may ask for (bytes)"),
            cl::init(uint64_t(4) << 30), cl::cat(category));
static cl::opt<bool>
    functionalOnly("functional-only",
                   cl::desc("Compute outputs and event counts only; skip "
                            "the timing model"),
                   cl::cat(category));
static cl::opt<unsigned>
    jobs("j",
         cl::desc("Host threads for each instruction's arithmetic (0: all "
                  "cores); results are the same for any count"),
         cl::init(1), cl::cat(category));
static cl::opt<bool>
    timePhases("time",
               cl::desc("Print on stderr the wall time of reading the "
                        "binary and of the simulation (machine set-up, "
                        "inputs and run), for benchmarks"),
               cl::cat(category));
static cl::opt<bool> quiet("quiet",
                           cl::desc("Do not print the layer table or, on a "
                                    "terminal, the progress line"),
                           cl::cat(category));
static cl::opt<bool> allowNonFinite(
    "allow-nonfinite",
    cl::desc("Quantize NaN in float inputs as the zero point and +-inf as "
             "the extremes, instead of refusing them"),
    cl::cat(category));

static int error(const llvm::Twine &msg) {
  llvm::WithColor::error(llvm::errs(), "escalate-sim") << msg << "\n";
  return tool::kExitInvalid;
}

/// Reads `path` as the values of input `desc` (sim::inputValues).
static llvm::Expected<std::vector<int64_t>>
readInput(llvm::StringRef path, const isa::TensorDesc &desc) {
  std::string stored;
  llvm::Expected<Tensor> t = readTensorFile(path, &stored);
  if (!t)
    return t.takeError();
  if (stored == "float64")
    llvm::WithColor::warning(llvm::errs(), "escalate-sim")
        << path << ": float64 values are read as float32\n";
  if (t->shape() != llvm::ArrayRef<int64_t>(desc.shape)) {
    auto dims = [](llvm::ArrayRef<int64_t> shape) {
      return llvm::join(llvm::map_range(
                            shape, [](int64_t d) { return std::to_string(d); }),
                        "x");
    };
    return llvm::createStringError(
        path + ": shape " + dims(t->shape()) + " (" + stored +
        ") does not match input '" + desc.name + "' (" + dims(desc.shape) +
        ")");
  }
  if (!allowNonFinite)
    if (std::optional<std::string> bad = describeNonFinite(*t))
      return llvm::createStringError(
          path + ": input '" + desc.name + "': " + *bad +
          "; pass --allow-nonfinite to quantize NaN as the zero point and "
          "+-inf as the extremes");
  llvm::Expected<std::vector<int64_t>> values = sim::inputValues(desc, *t);
  if (!values)
    return llvm::createStringError(path + ": " +
                                   llvm::toString(values.takeError()));
  return values;
}

/// The field table of every opcode, as docs/generated/isa-encoding.md.
static void printEncodingTable(llvm::raw_ostream &os) {
  os << "# Instruction encoding\n\nGenerated by `escalate-sim "
        "--print-encoding` from the ISA field table. Every instruction is "
     << isa::kWordBytes * 8
     << " bits, little-endian: the opcode in bits [0, 8), then the fields "
        "LSB-first in this order; the remaining bits must be zero.\n";
  for (const isa::OpcodeDesc &d : isa::opcodeTable()) {
    os << "\n## `" << d.mnemonic << "` (opcode " << unsigned(d.opcode)
       << ", unit " << d.unit << ")\n\n"
       << d.doc << ".\n";
    if (d.fields.empty())
      continue;
    os << "\n| bits | field | width | values | meaning |\n"
          "|---|---|---|---|---|\n";
    unsigned pos = 8;
    for (const isa::FieldDesc &f : d.fields) {
      std::string values =
          f.enumeration ? llvm::join(f.enumeration->keywords, ", ")
                       : (f.isSigned ? "signed" : "unsigned");
      os << "| " << pos << "-" << pos + f.bits - 1 << " | `" << f.name << "` | "
         << f.bits << " | " << values << " | " << f.doc << " |\n";
      pos += f.bits;
    }
  }
}

static int writeJson(llvm::StringRef path,
                     llvm::function_ref<void(llvm::raw_ostream &)> write) {
  if (llvm::Error err = writeFileAtomically(path, write))
    return error(llvm::toString(std::move(err)));
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  std::vector<std::string> expanded;
  std::vector<const char *> given =
      tool::expandFileLists(argc, argv, {"input"}, expanded);
  std::vector<const char *> args;
  for (size_t i = 0; i < given.size(); ++i) {
    llvm::StringRef arg = given[i];
    if (arg == "--stats" || arg == "-stats") {
      if (i + 1 == given.size())
        return error("--stats needs a file name");
      statsPath = given[++i];
    } else if (arg.consume_front("--stats=") || arg.consume_front("-stats=")) {
      statsPath = arg.str();
    } else {
      args.push_back(given[i]);
    }
  }
  cl::HideUnrelatedOptions(category);
  tool::installVersionPrinter("escalate-sim");
  cl::ParseCommandLineOptions(
      args.size(), args.data(),
      "ESCALATE instruction-level simulator\n\n"
      "  --stats <file>  Write statistics (per layer and total) as JSON\n");

  if (printEncoding) {
    printEncodingTable(llvm::outs());
    return 0;
  }
  if (programPath.empty())
    return error("no program given (escalate-sim PROG.escb --input ...)");
  auto start = std::chrono::steady_clock::now();
  auto file = llvm::MemoryBuffer::getFile(programPath, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return error("cannot read '" + programPath +
                 "': " + file.getError().message());
  llvm::Expected<isa::Program> program =
      isa::readBinary((*file)->getBuffer(), maxDram);
  if (!program)
    return error(programPath + ": " + llvm::toString(program.takeError()));
  std::vector<std::string> inputNames;
  for (const isa::TensorDesc &desc : program->inputs)
    inputNames.push_back(desc.name);
  llvm::Expected<std::vector<std::string>> bound =
      tool::bindInputs(inputFiles, inputNames);
  if (!bound)
    return error(programPath + ": " + llvm::toString(bound.takeError()));

  auto loaded = std::chrono::steady_clock::now();
  sim::Options options;
  options.functionalOnly = functionalOnly;
  options.maxCycles = maxCycles;
  options.recordTrace = !tracePath.empty();
  options.threads = jobs;
  sim::Simulator simulator(*program, options);
  for (auto [i, path] : llvm::enumerate(*bound)) {
    llvm::Expected<std::vector<int64_t>> values =
        readInput(path, program->inputs[i]);
    if (!values)
      return error(llvm::toString(values.takeError()));
    if (llvm::Error err = simulator.setInput(i, *values))
      return error(path + ": " + llvm::toString(std::move(err)));
  }
  // On a terminal, the layer being simulated and the time left.
  bool progress = !quiet && llvm::sys::Process::StandardErrIsDisplayed();
  if (progress)
    startTerminalProgress();
  llvm::Error runError = simulator.run();
  if (progress)
    endTerminalProgress();
  if (runError)
    return error(programPath + ": " + llvm::toString(std::move(runError)));
  if (timePhases) {
    std::chrono::duration<double> load = loaded - start;
    std::chrono::duration<double> run = std::chrono::steady_clock::now() - loaded;
    llvm::errs() << llvm::formatv("escalate-sim: load {0:f4} s, simulate "
                                  "{1:f4} s\n",
                                  load.count(), run.count());
  }

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
      names.push_back(desc.name);
      tensors.push_back(
          sim::outputTensor(desc, simulator.output(i), dequantize));
    }
    if (llvm::Error err = writeNpyFiles(outputDir, names, tensors))
      return error(llvm::toString(std::move(err)));
  }
  return tool::kExitOk;
}
