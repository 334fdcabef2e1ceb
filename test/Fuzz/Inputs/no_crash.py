"""Runs every file of test/Fuzz/corpus/<target> (the fuzzers' seeds, and
the inputs of crashes they found, added there as regression inputs) through
the tool its fuzzer targets; each must exit with a status, never die by a
signal.

no_crash.py BIN CORPUS_DIR
"""
import os
import subprocess
import sys

bindir, corpus = sys.argv[1], sys.argv[2]
tools = {
    "onnx": lambda f: ["escalate-translate", "--import-onnx", f],
    "escisa": lambda f: ["escalate-translate", "--escisa-to-bin", f, "-o",
                         os.devnull],
    "escb": lambda f: ["escalate-translate", "--bin-to-escisa", f],
    "sim": lambda f: ["escalate-sim", f, "--quiet", "--max-cycles", "100000000"],
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
