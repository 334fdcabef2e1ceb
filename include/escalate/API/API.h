//===- API.h - the compiler and simulator behind plain C++ types -*- C++
//-*-===//
//
// The entry points the Python package binds. Only standard types cross this
// header: pybind11 needs exceptions and RTTI, LLVM is built without them,
// so the binding's translation unit must not instantiate LLVM's polymorphic
// classes. Failures come back as messages, never as exceptions.
//
//===----------------------------------------------------------------------===//
#ifndef ESCALATE_API_API_H
#define ESCALATE_API_API_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace escalate::api {

/// A tensor as flat data; exactly one of `f32` and `i64` is used.
struct HostTensor {
  std::string name;
  std::vector<int64_t> shape;
  bool isFloat = true;
  std::vector<float> f32;
  std::vector<int64_t> i64;
};

struct CompileResult {
  std::string error;  ///< empty on success
  std::string binary; ///< the .escb bytes (emit "bin")
  std::string text;   ///< the listing or IR (any other emit)
  /// What escalate-compile would print as warnings (synthetic calibration,
  /// a kernel left dense...), for the caller to raise as its own.
  std::vector<std::string> warnings;
};

/// What escalate-compile's --input-shape ("name:1x3x224x224") and
/// --freeze-input ("name=FILE") say about the graph's inputs.
struct InputSpecs {
  std::vector<std::string> shapes, frozen;
};

/// Compiles an ONNX model (binary or protobuf text) through the registered
/// `escalate-compile` pipeline. `options` uses that pipeline's syntax
/// ("mode=pruned sparsity=0.9 calib=DIR ..."); `name` labels messages.
/// `emit` is escalate-compile's --emit: "bin" (the binary), "asm" (its
/// listing) or a stage whose IR is returned as text; `jobs` its -j (0: all
/// cores).
CompileResult compileOnnx(const std::string &model, const std::string &name,
                          const std::string &options,
                          const InputSpecs &inputs = {},
                          const std::string &emit = "bin", unsigned jobs = 0);

/// One option of the compiler's option table (CompileOptions.def): its
/// pipeline name, default (as the pipeline parses it) and description.
/// `toolFlag` is false for the ones escalate-compile sets itself.
struct OptionInfo {
  std::string name, defaultValue, description;
  bool toolFlag;
};
std::vector<OptionInfo> compileOptions();

/// A program's interface, for checking inputs before a run.
struct ProgramInfo {
  std::string error;
  std::vector<HostTensor> inputs, outputs; ///< names and shapes only
};
ProgramInfo describeProgram(const std::string &binary);

struct RunResult {
  std::string error;
  std::vector<HostTensor> outputs;
  /// escalate-sim --stats JSON: totals, per-layer cycles, energy, MACs,
  /// traffic and roofline.
  std::string statsJson;
};

/// Runs `binary` on `inputs` (in the program's input order; floats are
/// quantized with the input's scale). Outputs are dequantized floats when
/// `dequantize`, else the integers.
RunResult runProgram(const std::string &binary,
                     const std::vector<HostTensor> &inputs, bool dequantize,
                     uint64_t maxCycles);

/// A model compiled up to a stage of the `escalate-compile` pipeline and
/// held for the reference interpreter: `stop-after=escalate` is the float
/// model as imported and cleaned up (what `escalate-run` runs),
/// `stop-after=quantized` the integer model the simulator reproduces bit
/// for bit. Compiled once, run many times.
class ReferenceModel {
public:
  ~ReferenceModel();
  /// `options` as compileOnnx's, with `stop-after` escalate, decomposed or
  /// quantized. Null with `error` set on failure.
  static std::unique_ptr<ReferenceModel> create(const std::string &model,
                                                const std::string &name,
                                                const std::string &options,
                                                std::string &error,
                                                const InputSpecs &inputs = {});
  /// Runs the model on float `inputs` in its input order; statsJson is
  /// empty.
  RunResult run(const std::vector<HostTensor> &inputs);
  /// Names and shapes of the inputs and outputs.
  const ProgramInfo &interface() const;

private:
  struct State;
  explicit ReferenceModel(std::unique_ptr<State> state);
  std::unique_ptr<State> state;
};

} // namespace escalate::api

#endif
