"""The escalate Python package against the command-line tools.

Run by test/Python/api.test under Debian's python3 with the build tree's
package first on the path.
"""
import json
import os
import subprocess

import numpy as np
import onnx
import onnx.numpy_helper
import pytest

import escalate
from escalate import models, report

BIN = os.environ["ESCALATE_BIN"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    d = tmp_path_factory.mktemp("tiny")
    path = str(d / "tiny.onnx")
    onnx.save(models.build("tiny_cnn"), path)
    x = models.random_input("tiny_cnn")
    np.save(str(d / "x.npy"), x)
    return d, path, x


def tool(*args):
    return subprocess.run([os.path.join(BIN, args[0])] + list(args[1:]),
                          check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)


def test_compile_run_matches_the_tools(tiny):
    d, path, x = tiny
    program = escalate.compile(path, calib_samples=1, mode="pruned")
    assert program.inputs == [("input", (1, 3, 32, 32))]
    outputs, stats = program.run({"input": x})
    # The same binary as escalate-compile's, the same results as escalate-sim.
    tool("escalate-compile", path, "--calib-samples", "1", "--mode", "pruned",
         "--quiet", "-o", str(d / "cli.escb"))
    assert open(d / "cli.escb", "rb").read() == program.binary
    tool("escalate-sim", str(d / "cli.escb"), "--input", str(d / "x.npy"),
         "--dequantize", "--output-dir", str(d / "sim"), "--stats",
         str(d / "stats.json"), "--quiet")
    expected = np.load(str(d / "sim" / "output.npy"))
    assert outputs["output"].dtype == np.float32
    assert np.array_equal(outputs["output"], expected)
    assert stats.cycles == json.load(open(d / "stats.json"))["total"]["cycles"]


def test_keywords_are_the_tools_flags(tiny):
    d, path, _ = tiny
    # One option table: every keyword is an escalate-compile flag with the
    # same default and description, and the same flag gives the same bytes.
    options = escalate.compile_options()
    help_text = tool("escalate-compile", "--help").stdout
    for key, (default, description) in options.items():
        assert "--" + key.replace("_", "-") in help_text, key
        assert description.split(" (")[0] in help_text, key
    assert options["per_tensor"][0] == "false"
    assert options["mode"][0] == "decomposed"
    program = escalate.compile(path, calib_samples=1, per_tensor=True,
                               mode="dense")
    tool("escalate-compile", path, "--calib-samples", "1", "--per-tensor",
         "--mode", "dense", "--quiet", "-o", str(d / "pt.escb"))
    assert open(d / "pt.escb", "rb").read() == program.binary
    assert program.binary != escalate.compile(path, calib_samples=1,
                                              mode="dense").binary
    with pytest.raises(TypeError, match="per_channel.*options are: .*per_tensor"):
        escalate.compile(path, per_channel=False)


def test_input_shape_and_freeze_input_as_the_tool(tiny, tmp_path):
    d, path, _ = tiny
    # A batch left symbolic needs its shape, as --input-shape gives it.
    m = onnx.load(path)
    for value in (m.graph.input[0], m.graph.output[0]):
        value.type.tensor_type.shape.dim[0].dim_param = "N"
    dynamic = str(tmp_path / "dynamic.onnx")
    onnx.save(m, dynamic)
    with pytest.raises(escalate.CompileError):
        escalate.compile(dynamic, calib_samples=1)
    program = escalate.compile(dynamic, calib_samples=1,
                               input_shape={"input": (1, 3, 32, 32)})
    tool("escalate-compile", dynamic, "--calib-samples", "1", "--input-shape",
         "input:1x3x32x32", "--quiet", "-o", str(tmp_path / "shape.escb"))
    assert open(tmp_path / "shape.escb", "rb").read() == program.binary
    # Weights fed as a graph input become constants, as --freeze-input.
    w = np.random.default_rng(0).standard_normal((4, 3, 3, 3)).astype(np.float32)
    np.save(str(tmp_path / "w.npy"), w)
    graph = onnx.helper.make_graph(
        [onnx.helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1],
                               name="conv"),
         onnx.helper.make_node("Relu", ["c"], ["y"], name="relu")], "g",
        [onnx.helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, 3, 8, 8]),
         onnx.helper.make_tensor_value_info("w", onnx.TensorProto.FLOAT, [4, 3, 3, 3])],
        [onnx.helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1, 4, 8, 8])])
    fed = str(tmp_path / "fed.onnx")
    onnx.save(onnx.helper.make_model(graph, opset_imports=[
        onnx.helper.make_opsetid("", 13)]), fed)
    program = escalate.compile(fed, calib_samples=1, mode="dense",
                               freeze_input={"w": tmp_path / "w.npy"})
    assert program.inputs == [("x", (1, 3, 8, 8))]
    tool("escalate-compile", fed, "--calib-samples", "1", "--mode", "dense",
         "--freeze-input", "w=" + str(tmp_path / "w.npy"), "--quiet", "-o",
         str(tmp_path / "fed.escb"))
    assert open(tmp_path / "fed.escb", "rb").read() == program.binary
    # The reference takes the same two, and computes the conv with w.
    x = np.random.default_rng(1).standard_normal((1, 3, 8, 8)).astype(np.float32)
    ref = escalate.Reference(fed, freeze_input={"w": tmp_path / "w.npy"})
    assert ref.inputs == [("x", (1, 3, 8, 8))]
    y = ref.run({"x": x})["y"]
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    expect = np.zeros((1, 4, 8, 8), np.float32)
    for i in range(3):
        for j in range(3):
            expect += np.einsum("oc,nchw->nohw", w[:, :, i, j],
                                xp[:, :, i:i + 8, j:j + 8])
    assert np.allclose(y, np.maximum(expect, 0), atol=1e-4)
    shaped = escalate.Reference(dynamic, input_shape={"input": (1, 3, 32, 32)})
    assert shaped.inputs == [("input", (1, 3, 32, 32))]
    with pytest.raises(TypeError, match="Reference.*bases_per_layer"):
        escalate.Reference(fed, bases_per_layer=2)


def test_bytes_and_paths_compile_alike(tiny):
    _, path, _ = tiny
    with open(path, "rb") as f:
        data = f.read()
    a = escalate.compile(data, calib_samples=1)
    b = escalate.compile(path, calib_samples=1)
    assert a.binary == b.binary


def test_stats_are_plain_data(tiny, tmp_path):
    _, path, x = tiny
    _, stats = escalate.compile(path, calib_samples=1).run([x])
    assert isinstance(stats.layers, list) and stats.layers
    layer = stats.layers[0]
    assert layer["name"] == "/conv1/Conv"
    assert layer["cycles"] > 0 and layer["energy_pj"]["total"] > 0
    # Layers overlap (a layer's loads start under the previous one's tail),
    # so only each span is bounded by the total.
    assert max(l["cycles"] for l in stats.layers) <= stats.cycles
    json.dumps(stats.json)  # nothing but JSON types
    stats.save(str(tmp_path / "stats.json"))
    assert report.main([str(tmp_path / "stats.json"), "-o",
                        str(tmp_path / "r.html")]) == 0
    page = open(tmp_path / "r.html").read()
    assert page.count("<svg") == 3 and "/conv2/Conv" in page
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")


def test_outputs_get_the_usual_mode_and_failures_leave_nothing(tiny, tmp_path):
    _, path, x = tiny
    program = escalate.compile(path, calib_samples=1)
    _, stats = program.run([x])
    old = os.umask(0o022)
    try:
        program.save(str(tmp_path / "p.escb"))
        stats.save(str(tmp_path / "s.json"))
        assert report.main([str(tmp_path / "s.json"), "-o",
                            str(tmp_path / "r.html")]) == 0
    finally:
        os.umask(old)
    for name in ("p.escb", "s.json", "r.html"):
        assert os.stat(tmp_path / name).st_mode & 0o777 == 0o644, name
    # A directory as the report's output: a message, exit 1, no temp file.
    (tmp_path / "dir").mkdir()
    assert report.main([str(tmp_path / "s.json"), "-o",
                        str(tmp_path / "dir")]) == 1
    assert sorted(os.listdir(tmp_path)) == ["dir", "p.escb", "r.html",
                                            "s.json"]


def test_integers_in_and_out(tiny):
    _, path, x = tiny
    program = escalate.compile(path, calib_samples=1)
    q, _ = program.run({"input": np.zeros(x.shape, np.int64)},
                       dequantize=False)
    assert q["output"].dtype == np.int64


def test_errors_carry_the_compilers_message(tiny, tmp_path):
    _, path, x = tiny
    with pytest.raises(escalate.CompileError,
                       match="not a valid ONNX model: the protobuf data is "
                             "truncated or corrupt"):
        escalate.compile(open(path, "rb").read()[:100])
    with pytest.raises(escalate.CompileError, match="unknown mode 'fast'"):
        escalate.compile(path, mode="fast")
    with pytest.raises(escalate.CompileError, match="cannot read"):
        escalate.compile(str(tmp_path / "missing.onnx"))
    # An op neither the accelerator nor the host runs, named by its node.
    # (A gather by indices the model computes: the host's takes constants.)
    gather = onnx.helper.make_model(onnx.helper.make_graph(
        [onnx.helper.make_node("Gather", ["a", "i"], ["c"], name="pick",
                               axis=1)], "g",
        [onnx.helper.make_tensor_value_info("a", onnx.TensorProto.FLOAT,
                                            [1, 4]),
         onnx.helper.make_tensor_value_info("i", onnx.TensorProto.INT64,
                                            [2])],
        [onnx.helper.make_tensor_value_info("c", onnx.TensorProto.FLOAT,
                                            [1, 2])]),
        opset_imports=[onnx.helper.make_opsetid("", 13)])
    with pytest.raises(escalate.CompileError, match="node 'pick'"):
        escalate.compile(gather.SerializeToString(), calib_samples=1)
    with pytest.raises(escalate.InputError, match="not an ESCALATE binary"):
        escalate.Program(b"junk")
    program = escalate.compile(path, calib_samples=1)
    with pytest.raises(escalate.InputError, match="has shape"):
        program.run({"input": x[:, :2]})
    with pytest.raises(escalate.InputError, match="no input named"):
        program.run({"image": x})
    with pytest.raises(escalate.SimulationError, match="max-cycles"):
        program.run([x], max_cycles=100)


def test_error_classes_and_short_messages(tiny):
    _, path, x = tiny
    for cls in (escalate.CompileError, escalate.SimulationError,
                escalate.InputError):
        assert issubclass(cls, escalate.EscalateError)
    assert issubclass(escalate.InputError, ValueError)
    program = escalate.compile(path, calib_samples=1)
    # A wrong argument is named in a short message, not a repr of the binary.
    with pytest.raises(escalate.InputError, match="max_cycles") as e:
        program.run([x], max_cycles=-1)
    assert len(str(e.value)) < 200
    with pytest.raises(escalate.InputError, match="takes 1 input"):
        program.run([x, x])
    with pytest.raises(escalate.InputError, match="dtype"):
        program.run([np.full(x.shape, "a")])
    with pytest.raises(escalate.InputError, match="bytes of a .escb"):
        escalate.Program("model.escb")


def test_nonfinite_inputs_are_refused_unless_allowed(tiny):
    _, path, x = tiny
    bad = x.copy()
    bad.flat[5] = np.nan
    bad.flat[9] = np.inf
    program = escalate.compile(path, calib_samples=1)
    with pytest.raises(escalate.InputError,
                       match=r"input 'input': element 5 is nan \(2 of"):
        program.run([bad])
    out, _ = program.run([bad], allow_nonfinite=True)
    assert np.isfinite(out["output"]).all()
    reference = escalate.Reference(path)
    with pytest.raises(escalate.InputError, match="element 5 is nan"):
        reference.run([bad])
    assert np.isnan(reference.run([bad], allow_nonfinite=True)["output"]).any()


def test_search_then_compile_with_its_config(tiny, tmp_path):
    d, path, _ = tiny
    cal = tmp_path / "cal"
    cal.mkdir()
    rng = np.random.default_rng(3)
    for i in range(2):
        np.save(str(cal / ("%d.npy" % i)),
                rng.standard_normal((1, 3, 32, 32)).astype(np.float32))
    best = str(tmp_path / "best.json")
    result = escalate.search(path, cal, best, budget="sqnr:20dB",
                             grid_bases="3", grid_sparsity="0,0.5",
                             grid_coef_bits="8")
    assert set(result["layers"]) == {"/conv1/Conv", "/conv2/Conv",
                                     "/conv3/Conv"}
    assert result["search"]["measured"]["sqnr_db"] >= 20
    program = escalate.compile(path, config=best, calib=str(cal))
    assert program.outputs == [("output", (1, 10))]
    with pytest.raises(escalate.CompileError, match="--objective 'speed'"):
        escalate.search(path, cal, best, objective="speed")


def test_hardware_co_search_in_dense_mode(tiny, tmp_path):
    d, path, _ = tiny
    cal = tmp_path / "cal"
    cal.mkdir()
    rng = np.random.default_rng(3)
    np.save(str(cal / "0.npy"),
            rng.standard_normal((1, 3, 32, 32)).astype(np.float32))
    space = tmp_path / "space.json"
    space.write_text(json.dumps({"dimensions": {
        "coef_engine.lanes_p": [16, 32], "coef_engine.lanes_o": [8, 16]}}))
    best = str(tmp_path / "best.json")
    result = escalate.search(path, cal, best, budget="sqnr:20dB",
                             mode="dense", hw_space=str(space))
    hs = result["hardware_search"]
    assert hs["mode"] == "dense" and hs["points_measured"] == 5
    # The default's coefficient engine is 16 x 32: the point with both
    # largest is the reference itself, so it ties; no smaller one is faster.
    cycles = {p["id"]: p["measured"]["cycles"] for p in hs["points"]}
    assert hs["chosen"]["measured"]["cycles"] == min(cycles.values())
    assert cycles["p3"] == cycles["reference"]
    hw = json.load(open(str(tmp_path / "best.hw.json")))
    program = escalate.compile(path, mode="dense", calib=str(cal),
                               hw=str(tmp_path / "best.hw.json"))
    assert program.outputs == [("output", (1, 10))]
    assert hw["name"].startswith("escalate-default")
    with pytest.raises(escalate.CompileError,
                       match="--budget-area is an option of --hw-space"):
        escalate.search(path, cal, best, budget_area=3)


def test_warnings_repr_and_namespace(tiny):
    d, path, x = tiny
    # Calibration on synthetic data is a warning, as the tool prints it.
    with pytest.warns(escalate.EscalateWarning,
                      match="no calibration data.*synthetic"):
        program = escalate.compile(path, calib_samples=1)
    assert repr(program) == (
        "Program(inputs=[input: 1x3x32x32], outputs=[output: 1x10], "
        "%d bytes)" % len(program.binary))
    _, stats = program.run({"input": x})
    assert repr(stats).startswith("Stats(cycles=%d, " % stats.cycles)
    # The namespace holds the API, not the modules the package uses.
    public = {n for n in dir(escalate) if not n.startswith("_")}
    assert public <= set(escalate.__all__) | {"models", "report", "data"}, \
        public - set(escalate.__all__)


def test_emit_and_jobs_as_the_tool(tiny):
    d, path, x = tiny
    one = escalate.compile(path, calib_samples=1, jobs=1)
    assert one.binary == escalate.compile(path, calib_samples=1).binary
    ir = escalate.compile(path, calib_samples=1, emit="quantized")
    assert "escalate.qdecomposed_conv" in ir and 'loc("/conv1/Conv"' in ir
    tool("escalate-compile", path, "--calib-samples", "1", "--emit", "asm",
         "--quiet", "-o", str(d / "listing.txt"))
    listing = escalate.compile(path, calib_samples=1, emit="asm")
    assert listing == open(d / "listing.txt").read()
    with pytest.raises(escalate.CompileError, match="emit 'binary' is not"):
        escalate.compile(path, emit="binary")
    with pytest.raises(escalate.InputError, match="jobs must be"):
        escalate.compile(path, jobs=-1)
