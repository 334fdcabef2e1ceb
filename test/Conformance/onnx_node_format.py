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

    def execute(self, test, litConfig):
        name = test.path_in_suite[-1]
        folder = os.path.join(self.root, name)
        data = os.path.join(folder, "test_data_set_0")

        def numbered(prefix):
            files = [f for f in os.listdir(data) if f.startswith(prefix)]
            return [os.path.join(data, f) for f in
                    sorted(files, key=lambda f: int(f[len(prefix):-3]))]

        cmd = [self.run, os.path.join(folder, "model.onnx")]
        for f in numbered("input_"):
            cmd += ["--input", f]
        for f in numbered("output_"):
            cmd += ["--expected", f]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            return lit.Test.TIMEOUT, " ".join(cmd)
        output = " ".join(cmd) + "\n" + proc.stdout + proc.stderr
        if name in self.xfails:
            output += "\nexpected to fail: " + self.xfails[name]
        if proc.returncode == 0:
            return lit.Test.PASS, output
        if proc.returncode == 3:
            return lit.Test.UNSUPPORTED, output
        return lit.Test.FAIL, output
