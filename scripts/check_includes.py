#!/usr/bin/env python3
"""check_includes.py - the include rules the compiler cannot see (ctest `check_includes`).

src/CMakeLists.txt already makes the compiler refuse an include of a folder a library may
not use. This checks what stays inside one folder or slips around that:

1. No include climbs out of its folder by a relative path ("../store/store.h"): every
   include of another folder names it from src/ ("store/store.h"), where the build's
   per-library include directory decides whether it is allowed.
2. No include cycle among the source files of one folder. File A uses file B when A calls a
   function that B defines (declared in a header A includes); a cycle A -> B -> A means
   the two are one piece of code cut in two, or a helper that sits in the wrong file.
   Files are grouped by folder (src/store, src/http/handlers, ...).

Prints each violation and exits 1 when there is one. Usage: check_includes.py [SRC_DIR]
"""

import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)
# A function definition starts at column 0 with its return type and ends its line
# without ';' ("int store_exec(struct store *s, const char *sql, struct err *err)").
DEFINITION = re.compile(r"^(?!static\b)[A-Za-z][\w \t\*]*?\b([a-z_][a-z0-9_]*)\s*\([^;]*$", re.M)
# A declaration in a header: a name followed by "(" at the start of a statement.
DECLARATION = re.compile(r"^[A-Za-z][\w \t\*]*?\b([a-z_][a-z0-9_]*)\s*\(", re.M)
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)

# Cycles allowed to remain: none. The cycles present when this check was written (issue 19)
# were untangled by moving helpers to the files they belong to; a new one fails the check.
# A line here would be an exception to justify, and the check fails on a stale one too.
KNOWN_CYCLES = set()


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return COMMENT.sub("", f.read())


def folder_of(rel):
    return os.path.dirname(rel)


def strongly_connected(nodes, edges):
    """Tarjan's algorithm: the components of more than one node."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src")
    src = os.path.abspath(src)
    texts = {}
    for root, _, files in os.walk(src):
        for name in files:
            if name.endswith((".c", ".h")):
                path = os.path.join(root, name)
                texts[os.path.relpath(path, src)] = read(path)

    problems = []
    for rel, text in sorted(texts.items()):
        for inc in INCLUDE.findall(text):
            if inc.startswith("../") or "/../" in inc:
                problems.append(f"{rel}: includes \"{inc}\" by a relative path; name it from src/")

    definer = {}  # function name -> the .c file that defines it
    for rel, text in texts.items():
        if rel.endswith(".c"):
            for name in DEFINITION.findall(text):
                definer.setdefault(name, rel)
    declared = {rel: set(DECLARATION.findall(text)) for rel, text in texts.items() if rel.endswith(".h")}

    edges = {}
    for rel, text in texts.items():
        if not rel.endswith(".c"):
            continue
        called = set(re.findall(r"\b([a-z_][a-z0-9_]*)\s*\(", text))
        for inc in INCLUDE.findall(text):
            for name in declared.get(inc, ()):
                target = definer.get(name)
                if (target is not None and target != rel and name in called
                        and folder_of(target) == folder_of(rel)):
                    edges.setdefault(rel, set()).add(target)

    seen = set()
    for component in strongly_connected([r for r in texts if r.endswith(".c")], edges):
        key = " ".join(component)
        seen.add(key)
        if key not in KNOWN_CYCLES:
            path = " -> ".join(component + [component[0]])
            problems.append(f"include cycle inside src/{folder_of(component[0])}: {path}")
    for key in sorted(KNOWN_CYCLES - seen):
        problems.append(f"the known cycle {key} is gone: delete its line from KNOWN_CYCLES")

    for p in problems:
        print(p)
    if problems:
        print(f"check_includes: {len(problems)} problem(s)")
        return 1
    print(f"check_includes: {len(texts)} files, no relative includes, no new cycle inside a "
          f"folder ({len(KNOWN_CYCLES)} known ones left)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
