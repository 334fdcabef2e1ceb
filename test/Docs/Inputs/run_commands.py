"""Runs every ```sh block of the given Markdown files as written, in order,
one work folder per file, so that documented commands cannot drift from
the tools. `build`, `python`, `scripts` and `examples` in the work folder
point at the tree under test. A block preceded by a line
`<!-- docs-test: skip: REASON -->` is not run (it builds or tests the
project itself); the reason is printed.

run_commands.py SRC BUILD WORK FILE.md...
"""
import os
import re
import subprocess
import sys

src, build, work = sys.argv[1:4]
SKIP = re.compile(r"<!-- docs-test: skip: (.*) -->")


def blocks(path):
    """(line, code, skip reason or None) of each ```sh block."""
    lines = open(path).read().split("\n")
    out, i = [], 0
    while i < len(lines):
        if lines[i].strip() == "```sh":
            start, body = i + 1, []
            i += 1
            while lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            before = [l for l in lines[:start - 1] if l.strip()]
            m = SKIP.match(before[-1].strip()) if before else None
            out.append((start, "\n".join(body), m.group(1) if m else None))
        i += 1
    return out


failed = 0
for doc in sys.argv[4:]:
    name = os.path.relpath(doc, src)
    cwd = os.path.join(work, name.replace("/", "_"))
    os.makedirs(cwd, exist_ok=True)
    links = {"build": build, "python": os.path.join(src, "python"),
             "scripts": os.path.join(src, "scripts"),
             "examples": os.path.join(src, "examples")}
    for link, target in links.items():
        path = os.path.join(cwd, link)
        if not os.path.lexists(path):
            os.symlink(target, path)
    for line, code, skip in blocks(doc):
        if skip:
            print("%s:%d: skipped (%s)" % (name, line, skip))
            continue
        r = subprocess.run(["bash", "-euo", "pipefail", "-c", code], cwd=cwd,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        if r.returncode:
            failed += 1
            print("%s:%d: FAILED with status %d:\n%s\n%s" %
                  (name, line, r.returncode, code, r.stdout))
        else:
            print("%s:%d: ok" % (name, line))
print("%d blocks failed" % failed)
sys.exit(1 if failed else 0)
