#!/usr/bin/env python3
"""The folders inside proxy/ form a graph without cycles, in the layers issue 13 names.

Reads every `#include "proxy/FOLDER/..."` in proxy/ (sources, headers, .in templates) and fails,
naming the file and the include, when
  - a folder is not one of the known layers (so a new folder is placed on purpose, and the check
    cannot pass by seeing nothing),
  - an include goes up a layer (core including session, scenario including listeners, ...),
  - the folders form a cycle (within one layer too: origin -> relay -> origin).
The layers, top to bottom (a folder may include its own layer or any lower one, never a higher):
    top        proxy/*.cpp (engine.cpp: builds everything)
    listeners  accept connections
    session    a connection's life (TLS, plain HTTP), its scenario session, its request loop
    api        the control API (beside the traffic path; nothing below includes it)
    middle     scenario, faults, relay, origin, routing, revocation (the revocation service)
    base       tls, events, core (the record types every folder uses)
Usage: proxy_folder_graph.py PROXY_DIR   (exit 0: fine; 1: a problem, printed one per line)
       proxy_folder_graph.py --self-test (the check fails on each kind of problem it names)
"""
import os
import re
import sys

LAYERS = {
    "top": 5,
    "listeners": 4,
    "session": 3,
    "api": 3,
    "scenario": 2, "faults": 2, "relay": 2, "origin": 2, "routing": 2, "revocation": 2,
    "tls": 1, "events": 1, "core": 1,
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"proxy/([^"]+)"', re.MULTILINE)
SOURCE_ENDINGS = (".cpp", ".hpp", ".h", ".in")


def folder_of(relative):
    """'session/request_loop.cpp' -> 'session'; 'engine.cpp' -> 'top'."""
    return relative.split("/", 1)[0] if "/" in relative else "top"


def read_edges(proxy_dir):
    """{(from, to): [(file, include), ...]} for includes between different folders."""
    edges, files = {}, 0
    for root, _dirs, names in os.walk(proxy_dir):
        for name in sorted(names):
            if not name.endswith(SOURCE_ENDINGS):
                continue
            path = os.path.join(root, name)
            relative = os.path.relpath(path, proxy_dir).replace(os.sep, "/")
            files += 1
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            for target in INCLUDE.findall(text):
                a, b = folder_of(relative), folder_of(target)
                edges.setdefault((a, b), []).append(("proxy/" + relative, "proxy/" + target))
    return edges, files


def find_cycle(edges):
    """One cycle as a list of folders [a, b, ..., a], or None."""
    graph = {}
    for (a, b) in edges:
        if a != b:
            graph.setdefault(a, set()).add(b)
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def problems(proxy_dir):
    edges, files = read_edges(proxy_dir)
    out = []
    if files == 0 or not edges:
        return ["no includes read under %s: the check would pass vacuously" % proxy_dir]
    folders = {f for edge in edges for f in edge}
    for folder in sorted(folders - LAYERS.keys()):
        where = next(inc for (a, b), incs in sorted(edges.items()) if folder in (a, b) for inc in incs)
        out.append("%s: #include \"%s\": folder proxy/%s/ is not a known layer; add it to LAYERS in %s"
                   % (where[0], where[1], folder, os.path.basename(__file__)))
    for (a, b), incs in sorted(edges.items()):
        if a in LAYERS and b in LAYERS and LAYERS[b] > LAYERS[a]:
            for file, include in incs:
                out.append("%s: #include \"%s\": %s includes %s, a higher layer" % (file, include, a, b))
    cycle = find_cycle(edges)
    if cycle:
        steps = []
        for a, b in zip(cycle, cycle[1:]):
            file, include = edges[(a, b)][0]
            steps.append("%s -> %s (%s: #include \"%s\")" % (a, b, file, include))
        out.append("folder cycle: " + "; ".join(steps))
    return out


def self_test():
    """The check itself fails on a cycle, an upward include, an unknown folder and an empty tree."""
    import tempfile

    def tree(files):
        root = tempfile.mkdtemp(prefix="proxy_graph_")
        for relative, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, relative)), exist_ok=True)
            with open(os.path.join(root, relative), "w") as f:
                f.write(text)
        return root

    cases = [
        ("fine", {"session/a.cpp": '#include "proxy/core/c.hpp"\n', "core/c.hpp": ""}, None),
        ("upward include", {"core/c.cpp": '#include "proxy/session/s.hpp"\n'}, "a higher layer"),
        ("cycle in one layer", {"origin/o.cpp": '#include "proxy/relay/r.hpp"\n',
                                "relay/r.cpp": '#include "proxy/origin/o.hpp"\n'}, "folder cycle: origin -> relay"),
        ("unknown folder", {"session/s.cpp": '#include "proxy/misc/m.hpp"\n'}, "proxy/misc/ is not a known layer"),
        ("nothing read", {"notes.txt": ""}, "vacuously"),
    ]
    failed = 0
    for name, files, wanted in cases:
        found = problems(tree(files))
        ok = (not found) if wanted is None else any(wanted in line for line in found)
        if not ok:
            failed += 1
            print("self-test '%s': wanted %r, got %r" % (name, wanted, found))
    return failed


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        failed = self_test()
        print("self-test: %s" % ("failed" if failed else "the check catches cycles, upward includes, unknown folders"))
        return 1 if failed else 0
    if len(sys.argv) != 2:
        print("usage: proxy_folder_graph.py PROXY_DIR | --self-test", file=sys.stderr)
        return 2
    found = problems(sys.argv[1])
    for line in found:
        print(line)
    if not found:
        print("proxy/ folder graph: no cycle, every include goes down the layers")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
