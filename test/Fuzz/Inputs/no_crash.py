"""Runs every file of test/Fuzz/corpus/<target> (the fuzzers' seeds, and
the inputs of crashes they found, added there as regression inputs) through
the tool its fuzzer targets; each must exit with a status, never die by a
signal.

no_crash.py BIN CORPUS_DIR WORK_DIR
"""
import os
import subprocess
import sys

bindir, corpus, work = sys.argv[1], sys.argv[2], sys.argv[3]
# A model for the targets that read what a compile or a run is given.
model = os.path.join(corpus, "onnx", "concat.onnxtxt")


def tensor_file(path):
    # escalate-fuzz-tensor's input: a format byte (even .npy, odd .pb),
    # then the file.
    with open(path, "rb") as f:
        data = f.read()
    out = os.path.join(work, "input" + (".pb" if data[:1] and data[0] % 2
                                        else ".npy"))
    with open(out, "wb") as f:
        f.write(data[1:])
    return out


tools = {
    "onnx": lambda f: ["escalate-translate", "--import-onnx", f],
    "escisa": lambda f: ["escalate-translate", "--escisa-to-bin", f, "-o",
                         os.devnull],
    "escb": lambda f: ["escalate-translate", "--bin-to-escisa", f],
    "sim": lambda f: ["escalate-sim", f, "--quiet", "--max-cycles", "100000000"],
    "hw": lambda f: ["escalate-compile", model, "--hw", f, "--quiet",
                     "--calib-samples", "1", "-o",
                     os.path.join(work, "out.escb")],
    "config": lambda f: ["escalate-compile", model, "--config", f, "--quiet",
                         "--calib-samples", "1", "-o",
                         os.path.join(work, "out.escb")],
    "tensor": lambda f: ["escalate-run", model, "--input", tensor_file(f),
                         "--output-dir", work],
}
count = 0
for target, cmd in sorted(tools.items()):
    d = os.path.join(corpus, target)
    for name in sorted(os.listdir(d)):
        argv = cmd(os.path.join(d, name))
        r = subprocess.run([os.path.join(bindir, argv[0])] + argv[1:],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode < 0:
            print("%s/%s: killed by signal %d" % (target, name, -r.returncode))
            sys.exit(1)
        count += 1
print("%d inputs, no crash" % count)
