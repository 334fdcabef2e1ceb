"""The ESCALATE compiler and simulator from Python.

    import escalate
    program = escalate.compile("model.onnx", mode="decomposed", calib="cal/")
    outputs, stats = program.run({"input": x})
    stats.cycles, stats.energy_pj, stats.layers[0]["name"]

`compile` runs the same registered `escalate-compile` pipeline as the tool
(keyword arguments are its options, `_` for `-`); `Program.run` simulates
the binary instruction by instruction; `search` runs `escalate-search`.
Failures raise `CompileError` carrying the compiler's or simulator's own
message. The package is assembled in the build tree
(`build/python/escalate`, with the `_escalate` extension); `escalate.models`
(the model builders) and `python -m escalate.report` need only numpy.
"""

# Imported under private names: the package's namespace is its API.
import json as _json
import os as _os
import subprocess as _subprocess
import tempfile as _tempfile
import warnings as _warnings

__all__ = ["EscalateError", "CompileError", "SimulationError", "InputError",
           "EscalateWarning", "Program", "Reference", "Stats", "compile",
           "compile_options", "evaluate", "search", "models"]


class EscalateError(Exception):
    """Base of every error escalate raises; the message is the tools'."""


class EscalateWarning(UserWarning):
    """What escalate-compile prints as a warning (calibration on synthetic
    data, a kernel left dense...), raised through `warnings`."""


class CompileError(EscalateError):
    """A model or option the compiler refuses (or a search that fails)."""


class SimulationError(EscalateError):
    """A run that stops: the simulator's run-time faults and max_cycles,
    the reference interpreter's errors."""


class InputError(EscalateError, ValueError):
    """A binary, input tensor or argument that cannot be used as given."""


def _native():
    # Imported on first use, so that the model builders and the report
    # work from the source tree, without the extension.
    from . import _escalate
    return _escalate


def _bindir():
    """The tools beside this package in the build tree (build/bin)."""
    here = _os.path.dirname(_os.path.abspath(__file__))
    return _os.environ.get("ESCALATE_BIN",
                          _os.path.join(here, _os.pardir, _os.pardir, "bin"))


def _option_string(options):
    parts = []
    for key, value in sorted(options.items()):
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        value = _os.fspath(value) if isinstance(value, _os.PathLike) else value
        text = str(value)
        if any(c in text for c in " {}"):
            raise CompileError("option %s=%r: values may not hold spaces or "
                               "braces" % (key, text))
        parts.append("%s=%s" % (key.replace("_", "-"), text))
    return " ".join(parts)


class Stats:
    """Simulation statistics as plain Python data (escalate-sim --stats).

    `cycles`, `energy_pj` and `time_us` are the totals; `layers` is a list
    of dicts, one per layer in program order (name, cycles, energy_pj by
    kind, MACs, DRAM traffic, unit utilization, roofline_cycles,
    roofline_efficiency); `json` is the whole document.
    """

    def __init__(self, document):
        self.json = document
        total = document["total"]
        self.cycles = total["cycles"]
        self.energy_pj = total["energy_pj"]["total"]
        self.time_us = total["time_us"]
        self.layers = document["layers"]

    def save(self, path):
        """Writes the JSON that `python -m escalate.report` reads."""
        _write_atomically(path, _json.dumps(self.json, indent=1).encode())

    def __repr__(self):
        return "Stats(cycles=%d, energy_pj=%.4g, layers=%d)" % (
            self.cycles, self.energy_pj, len(self.layers))


def _write_atomically(path, data):
    """Writes `data` (bytes or str) through a temporary file renamed into
    place, with the mode any new file gets (0666 less the umask, as the
    tools' outputs): a failed write leaves nothing behind."""
    directory = _os.path.dirname(_os.path.abspath(path))
    fd, temp = _tempfile.mkstemp(dir=directory, prefix=".escalate-")
    try:
        with _os.fdopen(fd, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        umask = _os.umask(0)
        _os.umask(umask)
        _os.chmod(temp, 0o666 & ~umask)
        _os.replace(temp, path)
    except BaseException:
        _os.unlink(temp)
        raise


class Program:
    """A compiled `.escb` program: its bytes and its interface."""

    def __init__(self, binary):
        if not isinstance(binary, (bytes, bytearray, memoryview)):
            raise InputError("Program takes the bytes of a .escb binary, not %s"
                             % type(binary).__name__)
        error, inputs, outputs = _native().describe_program(bytes(binary))
        if error:
            raise InputError(error)
        self.binary = bytes(binary)
        #: [(name, shape)] of the graph inputs and outputs, in order.
        self.inputs = [(n, tuple(s)) for n, s in inputs]
        self.outputs = [(n, tuple(s)) for n, s in outputs]

    def __repr__(self):
        describe = lambda tensors: ", ".join(
            "%s: %s" % (n, "x".join(map(str, shape))) for n, shape in tensors)
        return "Program(inputs=[%s], outputs=[%s], %d bytes)" % (
            describe(self.inputs), describe(self.outputs), len(self.binary))

    @classmethod
    def load(cls, path):
        with open(path, "rb") as f:
            return cls(f.read())

    def save(self, path):
        _write_atomically(path, self.binary)

    def run(self, inputs, dequantize=True, max_cycles=1 << 40,
            allow_nonfinite=False):
        """Simulates the program. `inputs` maps input names to arrays (or is
        a list in input order); floats are quantized with each input's
        scale, integers taken as stored. A NaN or infinity in a float input
        is an InputError unless `allow_nonfinite` (then NaN becomes the zero
        point and +-inf the extremes, as escalate-sim --allow-nonfinite).
        Returns ({output name: array}, Stats); outputs are dequantized
        floats unless `dequantize` is False. Raises SimulationError when
        the run stops.
        """
        if isinstance(max_cycles, bool) or not isinstance(max_cycles, int) \
                or not 0 < max_cycles < 1 << 63:
            raise InputError("max_cycles must be a positive integer below "
                             "2^63, not %r" % (max_cycles,))
        arrays = _ordered_inputs(self.inputs, inputs, allow_nonfinite)
        error, outputs, stats = _native().run_program(
            self.binary, arrays, bool(dequantize), max_cycles)
        if error:
            raise SimulationError(error)
        return dict(outputs), Stats(_json.loads(stats))


def _model_bytes(model):
    """(bytes, name for messages) of a model given as a path or bytes."""
    if isinstance(model, (bytes, bytearray)):
        return bytes(model), "<bytes>"
    name = _os.fspath(model)
    try:
        with open(name, "rb") as f:
            return f.read(), name
    except OSError as e:
        raise CompileError("cannot read '%s': %s" % (name, e.strerror))


def _ordered_inputs(interface, inputs, allow_nonfinite=False):
    """`inputs` (a dict by name or a list in order) as arrays in the order
    of `interface` [(name, shape)], shapes checked, floats finite unless
    `allow_nonfinite`."""
    import numpy as np
    if isinstance(inputs, dict):
        unknown = set(inputs) - {n for n, _ in interface}
        if unknown:
            raise InputError("no input named %s (inputs: %s)" % (
                ", ".join(sorted(unknown)), ", ".join(n for n, _ in interface)))
        missing = [n for n, _ in interface if n not in inputs]
        if missing:
            raise InputError("input %s not given" % ", ".join(missing))
        ordered = [inputs[n] for n, _ in interface]
    else:
        ordered = list(inputs)
        if len(ordered) != len(interface):
            raise InputError("the model takes %d input(s); %d given"
                             % (len(interface), len(ordered)))
    arrays = []
    for (name, shape), value in zip(interface, ordered):
        a = np.asarray(value)
        if a.dtype.kind not in "fiub":
            raise InputError("input '%s' has dtype %s; give floats or integers"
                             % (name, a.dtype))
        if a.shape != shape:
            raise InputError("input '%s' has shape %s; the model takes %s"
                             % (name, a.shape, shape))
        if a.dtype.kind == "f" and not allow_nonfinite:
            bad = np.flatnonzero(~np.isfinite(a))
            if bad.size:
                raise InputError(
                    "input '%s': element %d is %s (%d of %d values are not "
                    "finite); pass allow_nonfinite=True to quantize NaN as "
                    "the zero point and +-inf as the extremes"
                    % (name, bad[0], a.ravel()[bad[0]], bad.size, a.size))
        arrays.append(np.ascontiguousarray(
            a, np.float32 if a.dtype.kind == "f" else np.int64))
    return arrays


class Reference:
    """A model compiled up to `stage` and run by the reference interpreter:
    "escalate" is the float model as imported and cleaned up (what
    escalate-run runs), "decomposed" after decomposition and pruning,
    "quantized" the integer model the simulator reproduces bit for bit.
    Options, `input_shape` and `freeze_input` are compile's. `run` returns
    {output name: array}."""

    def __init__(self, model, stage="escalate", input_shape=None,
                 freeze_input=None, **options):
        _check_options("Reference", options)
        shapes, frozen = _input_specs(input_shape, freeze_input)
        data, name = _model_bytes(model)
        options["stop_after"] = stage
        error, self._model = _native().ReferenceModel.create(
            data, name, _option_string(options), shapes, frozen)
        if error:
            raise CompileError(error)
        self.inputs = [(n, tuple(s)) for n, s in self._model.inputs]
        self.outputs = [(n, tuple(s)) for n, s in self._model.outputs]
        self.stage = stage

    def run(self, inputs, allow_nonfinite=False):
        """Runs the reference; a NaN or infinity in an input is an
        InputError unless `allow_nonfinite` (then it propagates as float
        arithmetic does)."""
        import numpy as np
        arrays = [a.astype(np.float32) for a in
                  _ordered_inputs(self.inputs, inputs, allow_nonfinite)]
        error, outputs = self._model.run(arrays)
        if error:
            raise SimulationError(error)
        return dict(outputs)

    def __repr__(self):
        return "Reference(stage=%r, inputs=%r)" % (self.stage, self.inputs)


def compile_options():
    """The compiler's options, from its one option table
    (include/escalate/Pipelines/CompileOptions.def): {keyword: (default,
    description)}, keywords as `escalate.compile` takes them (the tool's
    flags with '_' for '-')."""
    return {name.replace("-", "_"): (default, description)
            for name, default, description, tool in
            _native().compile_options() if tool}


def _check_options(caller, options):
    """Unknown keywords are a TypeError naming the valid ones."""
    known = compile_options()
    for key in options:
        if key not in known:
            raise TypeError("%s() got an unexpected keyword argument %r; "
                            "options are: %s" % (caller, key,
                                                 ", ".join(sorted(known))))


def _input_specs(input_shape, freeze_input):
    """{name: dims} and {name: path} as --input-shape and --freeze-input."""
    shapes = ["%s:%s" % (name, "x".join(str(int(d)) for d in dims))
              for name, dims in (input_shape or {}).items()]
    frozen = ["%s=%s" % (name, _os.fspath(path))
              for name, path in (freeze_input or {}).items()]
    return shapes, frozen


def compile(model, input_shape=None, freeze_input=None, emit="bin", jobs=0,
            **options):
    """Compiles an ONNX model (a path, or the bytes of a binary or text
    model) to a Program. Options are escalate-compile's, as keywords
    (mode="pruned", per_tensor=True, calib_samples=4, ...); see
    `escalate.compile_options()` for all of them with their defaults.
    `input_shape={"x": (1, 3, 224, 224)}` fixes graph input shapes and
    `freeze_input={"w": "w.npy"}` makes graph inputs constants, as the tool's
    --input-shape and --freeze-input do; `emit` is its --emit ("bin", the
    default, returns a Program; "asm" the listing and a stage such as
    "quantized" that stage's IR, as text) and `jobs` its -j (0: all cores).
    What the tool prints as warnings (calibration on synthetic data, without
    `calib`) is raised as an `EscalateWarning`.
    """
    _check_options("compile", options)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0:
        raise InputError("jobs must be a non-negative integer, not %r"
                         % (jobs,))
    shapes, frozen = _input_specs(input_shape, freeze_input)
    data, name = _model_bytes(model)
    error, binary, text, warned = _native().compile_onnx(
        data, name, _option_string(options), shapes, frozen, str(emit), jobs)
    for message in warned:
        _warnings.warn(message, EscalateWarning, stacklevel=2)
    if error:
        raise CompileError(error)
    return Program(binary) if emit == "bin" else text


def search(model, calib, output, objective="cycles", budget="sqnr:30dB",
           jobs=0, **flags):
    """Runs escalate-search (hardware-aware per-layer bases, sparsity and
    widths) and returns its result: {"layers": {...}, "search": {...}}, the
    JSON `escalate.compile(model, config=output)` applies. Other flags are
    the tool's (grid_bases="2,3,4", max_evals=100, pareto="front.svg", ...).
    """
    command = [_os.path.join(_bindir(), "escalate-search"), _os.fspath(model),
               "--calib", _os.fspath(calib), "-o", _os.fspath(output),
               "--objective", objective, "--budget", budget, "-j", str(jobs),
               "--quiet"]
    for key, value in sorted(flags.items()):
        command += ["--" + key.replace("_", "-"), str(value)]
    try:
        r = _subprocess.run(command, stdout=_subprocess.PIPE,
                           stderr=_subprocess.PIPE, text=True)
    except OSError as e:
        raise CompileError("cannot run escalate-search: %s" % e.strerror)
    if r.returncode:
        raise CompileError(r.stderr.strip().replace(
            "escalate-search: error: ", ""))
    with open(output) as f:
        return _json.load(f)



def __getattr__(name):
    # `escalate.evaluate(model, data, ...)`: labelled accuracy through the
    # references and the simulator. Imported on first use, so that
    # `python -m escalate.evaluate` does not find itself imported already.
    if name == "evaluate":
        import importlib
        return importlib.import_module(".evaluate", __name__)
    raise AttributeError("module 'escalate' has no attribute %r" % name)
