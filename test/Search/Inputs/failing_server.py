"""Stands in for escalate-search in distributed.test: passes everything to
the real tool (argv[1]) but answers one layer option's requests to a
--serve process with an error, as a tool that cannot measure it would."""
import os
import subprocess
import sys

POISON = "/conv2/Conv|M=5 s=0.90 b8/c4"
real, args = sys.argv[1], sys.argv[2:]
if "--serve" not in args:
    os.execv(real, [real] + args)
tool = subprocess.Popen([real] + args, stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, text=True)
sys.stdout.write(tool.stdout.readline())
sys.stdout.flush()
for request in sys.stdin:
    if POISON in request:
        sys.stdout.write('{"error":"injected failure"}\n{"done":true}\n')
    else:
        tool.stdin.write(request)
        tool.stdin.flush()
        while True:
            line = tool.stdout.readline()
            sys.stdout.write(line)
            if not line or '"done"' in line:
                break
    sys.stdout.flush()
