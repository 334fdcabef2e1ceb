//===- EscalateModule.cpp - the _escalate Python extension ----------------===//
//
// Binds escalate/API/API.h, which carries only standard types (this
// translation unit is built with exceptions and RTTI for pybind11; LLVM is
// not). Errors come back as messages; escalate/__init__.py raises them as
// escalate.CompileError.
//
//===----------------------------------------------------------------------===//
#include "escalate/API/API.h"
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace py = pybind11;
using escalate::api::HostTensor;

namespace {
py::array toArray(const HostTensor &t) {
  if (t.isFloat)
    return py::array_t<float>(t.shape, t.f32.data());
  return py::array_t<int64_t>(t.shape, t.i64.data());
}

std::vector<HostTensor> toHosts(const py::list &arrays) {
  std::vector<HostTensor> hosts;
  for (py::handle item : arrays) {
    HostTensor t;
    py::array a = py::reinterpret_borrow<py::array>(item);
    t.shape.assign(a.shape(), a.shape() + a.ndim());
    if (py::isinstance<py::array_t<float>>(a)) {
      auto f = py::array_t<float, py::array::c_style | py::array::forcecast>(a);
      t.f32.assign(f.data(), f.data() + f.size());
    } else {
      t.isFloat = false;
      auto i =
          py::array_t<int64_t, py::array::c_style | py::array::forcecast>(a);
      t.i64.assign(i.data(), i.data() + i.size());
    }
    hosts.push_back(std::move(t));
  }
  return hosts;
}

py::list outputList(const std::vector<HostTensor> &tensors) {
  py::list outputs;
  for (const HostTensor &t : tensors)
    outputs.append(py::make_tuple(t.name, toArray(t)));
  return outputs;
}

py::list describe(const std::vector<HostTensor> &tensors) {
  py::list out;
  for (const HostTensor &t : tensors)
    out.append(py::make_tuple(t.name, py::tuple(py::cast(t.shape))));
  return out;
}
} // namespace

PYBIND11_MODULE(_escalate, m) {
  m.doc() = "ESCALATE compiler and simulator (see the escalate package)";

  m.def(
      "compile_onnx",
      [](py::bytes model, const std::string &name, const std::string &options,
         const std::vector<std::string> &shapes,
         const std::vector<std::string> &frozen, const std::string &emit,
         unsigned jobs) {
        std::string bytes = model;
        escalate::api::CompileResult r;
        {
          py::gil_scoped_release release;
          r = escalate::api::compileOnnx(bytes, name, options,
                                         {shapes, frozen}, emit, jobs);
        }
        return py::make_tuple(r.error, py::bytes(r.binary), r.text,
                              r.warnings);
      },
      py::arg("model"), py::arg("name"), py::arg("options"),
      py::arg("input_shapes") = std::vector<std::string>(),
      py::arg("frozen_inputs") = std::vector<std::string>(),
      py::arg("emit") = "bin", py::arg("jobs") = 0u,
      "(error, binary, text, warnings): compile ONNX bytes with "
      "escalate-compile's --emit and -j; "
      "pipeline "
      "options; input_shapes and frozen_inputs as --input-shape "
      "(name:1x3x224x224) and --freeze-input (name=FILE)");

  m.def(
      "compile_options",
      [] {
        py::list out;
        for (const escalate::api::OptionInfo &o :
             escalate::api::compileOptions())
          out.append(py::make_tuple(o.name, o.defaultValue, o.description,
                                    o.toolFlag));
        return out;
      },
      "[(name, default, description, is_tool_flag)]: the compiler's option "
      "table (CompileOptions.def)");

  m.def(
      "describe_program",
      [](py::bytes binary) {
        escalate::api::ProgramInfo info =
            escalate::api::describeProgram(std::string(binary));
        return py::make_tuple(info.error, describe(info.inputs),
                              describe(info.outputs));
      },
      py::arg("binary"), "(error, inputs, outputs) as (name, shape) lists");

  m.def(
      "run_program",
      [](py::bytes binary, const py::list &inputs, bool dequantize,
         uint64_t maxCycles) {
        std::vector<HostTensor> hosts = toHosts(inputs);
        std::string bytes = binary;
        escalate::api::RunResult r;
        {
          py::gil_scoped_release release;
          r = escalate::api::runProgram(bytes, hosts, dequantize, maxCycles);
        }
        return py::make_tuple(r.error, outputList(r.outputs), r.statsJson);
      },
      py::arg("binary"), py::arg("inputs"), py::arg("dequantize"),
      py::arg("max_cycles"),
      "(error, [(name, array)], stats JSON): simulate the program");

  using escalate::api::ReferenceModel;
  py::class_<ReferenceModel>(m, "ReferenceModel")
      .def_static(
          "create",
          [](py::bytes model, const std::string &name,
             const std::string &options, const std::vector<std::string> &shapes,
             const std::vector<std::string> &frozen) {
            std::string bytes = model, error;
            std::unique_ptr<ReferenceModel> r;
            {
              py::gil_scoped_release release;
              r = ReferenceModel::create(bytes, name, options, error,
                                         {shapes, frozen});
            }
            return py::make_tuple(error, std::move(r));
          },
          py::arg("model"), py::arg("name"), py::arg("options"),
          py::arg("input_shapes") = std::vector<std::string>(),
          py::arg("frozen_inputs") = std::vector<std::string>(),
          "(error, model or None): compile up to a stage for the reference")
      .def(
          "run",
          [](ReferenceModel &self, const py::list &inputs) {
            std::vector<HostTensor> hosts = toHosts(inputs);
            escalate::api::RunResult r;
            {
              py::gil_scoped_release release;
              r = self.run(hosts);
            }
            return py::make_tuple(r.error, outputList(r.outputs));
          },
          py::arg("inputs"), "(error, [(name, array)])")
      .def_property_readonly("inputs",
                             [](const ReferenceModel &self) {
                               return describe(self.interface().inputs);
                             })
      .def_property_readonly("outputs", [](const ReferenceModel &self) {
        return describe(self.interface().outputs);
      });
}
