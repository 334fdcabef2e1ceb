"""lit format running the ONNX backend node tests through escalate-run."""
import os
import subprocess

import lit.formats
import lit.Test


def load_xfails(path):
    xfails = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, reason = line.partition(":")
                xfails[name.strip()] = reason.strip()
    return xfails


def graph_input_names(model):
    """Names of the graph inputs that are not initializers, in order."""
    import onnx  # Debian's python3-onnx; lit runs under /usr/bin/python3.

    graph = onnx.load(model, load_external_data=False).graph
    inits = {t.name for t in graph.initializer}
    return [i.name for i in graph.input if i.name not in inits]


class OnnxNodeTests(lit.formats.TestFormat):
    def __init__(self, root, run, xfails):
        self.root, self.run, self.xfails = root, run, xfails

    def getTestsInDirectory(self, testSuite, path_in_suite, litConfig, localConfig):
        if not os.path.isdir(self.root):
            return
        for name in sorted(os.listdir(self.root)):
            data = os.path.join(self.root, name, "test_data_set_0")
            if not os.path.isdir(data):
                continue
            test = lit.Test.Test(testSuite, path_in_suite + (name,), localConfig,
                                 os.path.join(self.root, name))
            if name in self.xfails:
                test.xfails = ["*"]
            yield test

    def run_model(self, model, inputs, expected, frozen):
        cmd = [self.run, model]
        for f in inputs:
            cmd += ["--input", f]
        for name, f in frozen.items():
            cmd += ["--freeze-input", "%s=%s" % (name, f)]
        for f in expected:
            cmd += ["--expected", f]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            return None, " ".join(cmd) + "\ntimed out"
        return proc, " ".join(cmd) + "\n" + proc.stdout + proc.stderr

    def execute(self, test, litConfig):
        name = test.path_in_suite[-1]
        folder = os.path.join(self.root, name)
        data = os.path.join(folder, "test_data_set_0")

        def numbered(prefix):
            files = [f for f in os.listdir(data) if f.startswith(prefix)]
            return [os.path.join(data, f) for f in
                    sorted(files, key=lambda f: int(f[len(prefix):-3]))]

        model = os.path.join(folder, "model.onnx")
        inputs, expected = numbered("input_"), numbered("output_")
        proc, output = self.run_model(model, inputs, expected, {})
        if proc is None:
            return lit.Test.TIMEOUT, output
        if proc.returncode == 3 and "must be a compile-time constant" in output:
            # The test feeds an operator parameter (shape, axes, pads, clip
            # bounds) as a graph input: specialise on the given values.
            names = graph_input_names(model)
            frozen = dict(zip(names[1:], inputs[1:]))
            proc, retry = self.run_model(model, inputs[:1], expected, frozen)
            output += "\nretried with frozen inputs:\n" + retry
            if proc is None:
                return lit.Test.TIMEOUT, output
        if name in self.xfails:
            output += "\nexpected to fail: " + self.xfails[name]
        if proc.returncode == 0:
            return lit.Test.PASS, output
        if proc.returncode == 3:
            return lit.Test.UNSUPPORTED, output
        return lit.Test.FAIL, output
