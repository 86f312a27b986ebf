"""Builds docs/error-atlas.md from the JSON reports of `tlsfault check` (one per client).
Usage: atlas_markdown.py OUT.md HEADER.md LABEL REPORT.json [LABEL REPORT.json]..."""
import json
import sys

out_path, header_path, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
runs = []
for label, path in zip(pairs[0::2], pairs[1::2]):
    run = json.load(open(path, encoding="utf-8"))
    run["label"] = label
    runs.append(run)
lines = [open(header_path, encoding="utf-8").read().rstrip("\n"), ""]
lines.append("## Totals\n\n| client | passed | failed | took |\n|---|---|---|---|")
for run in runs:
    lines.append(f"| `{run['label']}` | {run['passed']} | {run['failed']} | {run['elapsed_s']:.0f} s |")
lines.append("")


def cell(text):
    text = (text or "").replace("|", "\\|").replace("\n", " ").strip()
    return f"`{text}`" if text else " "


# Grouped like `tlsfault list`: field cases first, then certificates, TLS, network, HTTP.
GROUPS = ["field-case", "certificate", "tls", "network", "http"]
order = [r["scenario"] for r in sorted(runs[0]["results"],
                                       key=lambda r: GROUPS.index(r["group"]) if r["group"] in GROUPS else len(GROUPS))]
by_client = [{r["scenario"]: r for r in run["results"]} for run in runs]
group = None
for name in order:
    first = by_client[0][name]
    if first["group"] != group:
        group = first["group"]
        lines.append(f"## {group}\n")
    lines.append(f"### {name}\n\n{first['url']} — expected: {first['expected']}\n")
    lines.append("| client | tlsfault verdict | exit | client message | result |\n|---|---|---|---|---|")
    for run, results in zip(runs, by_client):
        r = results[name]
        c = r["client"]
        exit_text = "timeout" if c["timed_out"] else ("not run" if not c["started"] else f"exit {c['exit_code']}")
        lines.append(f"| {run['label']} | {cell(r['verdict'])} | {exit_text} | {cell(c['message'])} | "
                     f"{'pass' if r['result'] == 'pass' else '**FAIL**'} |")
    lines.append("")
open(out_path, "w", encoding="utf-8").write("\n".join(lines))
