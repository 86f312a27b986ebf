#!/usr/bin/env python3
"""The C++ sources match .clang-format (issue 13: one style, applied once, checked here).

Walks the source folders (not git, so a tarball checks too) and asks clang-format-14 for the
changes it would make. A failure names each file and the command that fixes it.
"""
import pathlib
import shutil
import subprocess
import sys

FOLDERS = ["bench", "certgen", "cli", "common", "examples", "proxy", "scenarios", "tests"]
SUFFIXES = {".cpp", ".hpp", ".h", ".in"}


def sources(root: pathlib.Path):
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and (path.suffix != ".in" or path.name.endswith(".cpp.in")):
                if "node_modules" not in path.parts:
                    yield path


def main() -> int:
    root = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2]
    tool = shutil.which("clang-format-14") or shutil.which("clang-format")
    if tool is None:
        print("format check: clang-format-14 is not installed; run scripts/test (it installs it) or apt-get install clang-format-14")
        return 1
    files = [str(path.relative_to(root)) for path in sources(root)]
    # One clang-format run for all files; each difference is reported as "FILE:LINE:COL: error: ...".
    result = subprocess.run([tool, "--style=file", "--dry-run", "-Werror", *files], cwd=root, capture_output=True, text=True)
    unformatted = sorted({line.split(":", 1)[0] for line in result.stderr.splitlines() if ": error: " in line})
    if result.returncode != 0 and not unformatted:
        print(f"format check: {tool} failed: {result.stderr.strip()[:400]}")
        return 1
    if unformatted:
        print(f"format check: {len(unformatted)} file(s) differ from .clang-format:")
        for name in unformatted:
            print(f"  {name}")
        print(f"fix: {tool} --style=file -i " + " ".join(unformatted))
        return 1
    print("format check: every C++ source matches .clang-format")
    return 0


if __name__ == "__main__":
    sys.exit(main())
