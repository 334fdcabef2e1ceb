"""Checks the build's link graph against docs/architecture.md.

layering.py ARCHITECTURE.md LINK_DEPS.txt

LINK_DEPS.txt has one line per library, "name: dep dep ..." (written by
lib/CMakeLists.txt). Fails, naming the library, when a library of this
project links one of ours that its row of the "Libraries" table does not
list, when a library has no row, or when a "Boundaries" rule is broken
anywhere in the transitive link graph.
"""
import re
import sys

doc, deps_file = sys.argv[1:3]
text = open(doc).read()


def table(title):
    section = text.split("## " + title, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].startswith("`"):
            rows.append(cells)
    return rows


def names(cell):
    return re.findall(r"`([^`]+)`", cell)


allowed = {names(r[0])[0]: set(names(r[3])) for r in table("Libraries")}
never = [(names(r[0])[0], names(r[1])[0]) for r in table("Boundaries")]

links = {}
for line in open(deps_file):
    name, _, rest = line.strip().partition(":")
    links[name] = [d for d in re.split(r"[,\s]+", rest) if d]


def ours(dep):
    return dep in links


errors = []
for lib, deps in sorted(links.items()):
    if lib not in allowed:
        errors.append(f"{lib}: no row in the Libraries table of {doc}")
        continue
    for dep in deps:
        if ours(dep) and dep not in allowed[lib]:
            errors.append(f"{lib} links {dep}, which its row does not allow")
for lib in sorted(set(allowed) - set(links)):
    errors.append(f"{lib}: documented but not built")


def closure(lib):
    seen, stack = set(), [lib]
    while stack:
        for dep in links.get(stack.pop(), []):
            if dep not in seen:
                seen.add(dep)
                stack.append(dep)
    return seen


for lib, banned in never:
    reached = closure(lib)
    bad = sorted(d for d in reached
                 if d == banned or (banned.endswith("*") and d.startswith(banned[:-1])))
    if bad:
        errors.append(f"{lib} reaches {', '.join(bad)}, which it must never")

for e in errors:
    print("error: " + e)
print(f"{len(links)} libraries, {len(never)} boundaries: "
      f"{'ok' if not errors else str(len(errors)) + ' problems'}")
sys.exit(1 if errors else 0)
