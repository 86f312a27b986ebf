#!/usr/bin/env python3
"""Turns `tlsfault --help` and `tlsfault <command> --help` into man pages (roff), at build time.

Usage: help_to_man.py TLSFAULT_BINARY OUT_DIR VERSION

Writes OUT_DIR/tlsfault.1 (the command list) and OUT_DIR/tlsfault-<command>.1 for every command
`tlsfault --help` lists. The --help text is the single source: headings (a line at column 0
followed by indented lines) become .SS, indented blocks are kept as they are (.nf), other text
becomes paragraphs. Python standard library only.
"""
import datetime
import os
import re
import subprocess
import sys


def run_help(binary, *args):
    result = subprocess.run([binary, *args, "--help"], capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        sys.exit(f"help_to_man.py: {binary} {' '.join(args)} --help exited {result.returncode}: {result.stderr.strip()}")
    return result.stdout


def escape(line):
    """roff-safe text: backslashes, hyphens (so they copy as ASCII), and a leading . or '."""
    line = line.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + line if line.startswith((".", "'")) else line


def blocks(text):
    block = []
    for line in text.splitlines():
        if line.strip():
            block.append(line.rstrip())
        elif block:
            yield block
            block = []
    if block:
        yield block


def render_body(text):
    out = []
    for block in blocks(text):
        first_indented = block[0].startswith(" ")
        if not first_indented and len(block) > 1 and all(l.startswith(" ") for l in block[1:]):
            out.append(".SS " + escape(block[0].rstrip(":")))
            block = block[1:]
            first_indented = True
        if first_indented:
            out += [".RS 2", ".nf"] + [escape(l[2:] if l.startswith("  ") else l) for l in block] + [".fi", ".RE"]
        else:
            out += [".PP"] + [escape(l) for l in block]
    return out


def split_usage(help_text):
    """The Usage lines (synopsis) and the rest; a title line before them repeats NAME and goes."""
    lines = help_text.splitlines()
    start = next((i for i, l in enumerate(lines[:3]) if l.startswith("Usage:")), None)
    if start is None:
        return [], help_text
    lines = lines[start:]
    synopsis = []
    while lines and (lines[0].startswith("Usage:") or (synopsis and lines[0].startswith("       "))):
        synopsis.append(re.sub(r"^(Usage:)?\s*", "", lines.pop(0)))
    return synopsis, "\n".join(lines)


def page(name, summary, version, help_text, see_also):
    epoch = os.environ.get("SOURCE_DATE_EPOCH")  # reproducible builds set it
    day = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date() if epoch else datetime.date.today()
    date = day.isoformat()
    synopsis, body = split_usage(help_text)
    out = [f'.TH {name.upper()} 1 "{date}" "tlsfault {version}" "User Commands"',
           ".SH NAME", f"{escape(name)} \\- {escape(summary)}"]
    if synopsis:
        out += [".SH SYNOPSIS", ".nf"] + [escape(s) for s in synopsis] + [".fi"]
    out += [".SH DESCRIPTION"] + render_body(body)
    out += [".SH SEE ALSO", ", ".join(f"\\fB{escape(s)}\\fR(1)" for s in see_also),
            ".PP", "The full documentation is in /usr/share/doc/tlsfault (docs/*.md)."]
    return "\n".join(out) + "\n"


def commands(main_help):
    listed = main_help.split("Commands:", 1)[1] if "Commands:" in main_help else ""
    return [(m.group(1), m.group(2).strip()) for m in re.finditer(r"^  ([a-z][a-z0-9-]*)\s+(.*)$", listed, re.M)]


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    binary, out_dir, version = sys.argv[1:]
    os.makedirs(out_dir, exist_ok=True)
    main_help = run_help(binary)
    listed = commands(main_help)
    if not listed:
        sys.exit("help_to_man.py: no commands found in `tlsfault --help`")
    pages = {"tlsfault": page("tlsfault", "a TLS-intercepting test proxy and fault injector", version, main_help,
                              [f"tlsfault-{c}" for c, _ in listed])}
    for command, summary in listed:
        pages[f"tlsfault-{command}"] = page(f"tlsfault-{command}", summary, version, run_help(binary, command), ["tlsfault"])
    for name, text in pages.items():
        path = os.path.join(out_dir, name + ".1")
        with open(path + ".tmp", "w") as f:
            f.write(text)
        os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
