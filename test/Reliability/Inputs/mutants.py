"""Feeds corrupted copies of a good file to a tool and checks the promise
for untrusted inputs: no crash, no hang, a message on failure, and an
existing output file left alone unless the run succeeds.

mutants.py BINDIR WORKDIR SEED_FILE COUNT TOOL ARGS...

ARGS may contain {in} (the mutant) and {out} (an output path that exists
with known content before each run). Mutants are, in turn, single bit
flips, truncations and 8-byte overwrites at positions drawn from a fixed
seed. Prints one summary line; exits non-zero on the first broken promise.
"""
import os
import random
import subprocess
import sys

bindir, work, seed_file, count, tool = sys.argv[1:6]
args = sys.argv[6:]
good = open(seed_file, "rb").read()
rng = random.Random(1234)
os.makedirs(work, exist_ok=True)
mutant = os.path.join(work, "mutant" + os.path.splitext(seed_file)[1])
out = os.path.join(work, "out")
KEEP = b"previous output\n"
outcomes = {"accepted": 0, "rejected": 0}

for i in range(int(count)):
    data = bytearray(good)
    pos = rng.randrange(len(data))
    kind = i % 3
    if kind == 0:
        data[pos] ^= 1 << rng.randrange(8)
    elif kind == 1:
        del data[pos:]
    else:
        data[pos:pos + 8] = bytes(rng.randrange(256) for _ in range(8))
    with open(mutant, "wb") as f:
        f.write(data)
    with open(out, "wb") as f:
        f.write(KEEP)
    cmd = [os.path.join(bindir, tool)] + [a.format(**{"in": mutant, "out": out})
                                         for a in args]
    try:
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=120)
    except subprocess.TimeoutExpired:
        sys.exit("mutant %d (%s at %d): %s hung" % (i, kind, pos, tool))
    err = r.stderr.decode("utf-8", "replace")
    what = "mutant %d (kind %d at byte %d)" % (i, kind, pos)
    if r.returncode < 0 or r.returncode >= 128:
        sys.exit("%s: %s died with status %d\n%s" % (what, tool,
                                                     r.returncode, err))
    if r.returncode == 0:
        outcomes["accepted"] += 1
        continue
    if "error" not in err:
        sys.exit("%s: exit %d without an error message" % (what,
                                                           r.returncode))
    if open(out, "rb").read() != KEEP:
        sys.exit("%s: a failed run changed the existing output" % what)
    outcomes["rejected"] += 1

print("%s: %s mutants, %d rejected with a message, %d accepted, no crash"
      % (tool, count, outcomes["rejected"], outcomes["accepted"]))
