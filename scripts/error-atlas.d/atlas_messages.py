"""Writes the messages the atlas measured into the catalogue: for each scenario a client refused
(its verdict is not `accepted`) with an error line of its own, and for which the scenario's
`description.messages` has no message from that program yet, one `- client: ... text: ...`
entry is appended to the list (the YAML file is edited as text, so its comments stay).
Usage: atlas_messages.py REPORTS_DIR CATALOGUE_DIR [--dry-run]"""
import json
import os
import re
import sys

reports, catalogue = sys.argv[1], sys.argv[2]
dry_run = "--dry-run" in sys.argv
# Report key -> the client name written into the catalogue, and the program name that marks a
# message as already there (matched against the start of an existing message's client).
CLIENTS = {
    "curl": ("curl (default settings)", "curl"),
    "wget": ("wget (GnuTLS)", "wget"),
    "python3": ("python3 (urllib, default context)", "python3"),
    "openssl": ("openssl s_client -verify_return_error", "openssl"),
    "gnutls-cli": ("gnutls-cli", "gnutls"),
    "node": ("Node.js 20 (https.get)", "node"),
    "java": ("Java 17 (HttpsURLConnection, default settings)", "java"),
    "chromium": ("Chromium", "chrom"),
    "mono": ("Mono 6.8 (HttpWebRequest)", "mono"),
}
ERROR_WORDS = ("error", "fail", "exception", "alert", "problem", "refused", "reset", "denied", "not trusted", "err_")


def useful(message):
    low = message.lower()
    return any(w in low for w in ERROR_WORDS)


def tidy(message):
    message = re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ", "", message)  # wget's timestamp
    message = re.sub(r"\b[0-9A-F]{16}:error:", "error:", message)  # OpenSSL's thread id
    return message.strip()


def existing(text):
    """The clients and texts of the description's messages."""
    return re.findall(r'- client: *"?([^"\n]*)"?\n\s+text: *(.*)', text)


def insert(text, entries):
    """Appends entries at the end of description.messages."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("  messages:"))
    end = start + 1
    while end < len(lines) and (lines[end].startswith("    ") or lines[end].strip() == ""):
        end += 1
    while lines[end - 1].strip() == "":
        end -= 1
    new = []
    for client, message in entries:
        new += [f"    - client: {json.dumps(client)}", f"      text: {json.dumps(message, ensure_ascii=False)}"]
    return "\n".join(lines[:end] + new + lines[end:])


added = 0
for key, (label, program) in CLIENTS.items():
    path = os.path.join(reports, f"{key}.json")
    if not os.path.exists(path):
        continue
    for r in json.load(open(path, encoding="utf-8"))["results"]:
        message = tidy(r["client"]["message"])
        if r["verdict"].startswith("accepted") or r["verdict"] == "none" or not useful(message) or r["result"] == "fail":
            continue
        yaml_path = os.path.join(catalogue, f"{r['scenario']}.yaml")
        if not os.path.exists(yaml_path):
            continue
        text = open(yaml_path, encoding="utf-8").read()
        if "  messages:" not in text:
            continue
        have = existing(text)
        if any(c.lower().startswith(program) for c, _ in have) or any(message in t for _, t in have):
            continue
        print(f"{r['scenario']}: {label}: {message}")
        added += 1
        if not dry_run:
            open(yaml_path, "w", encoding="utf-8").write(insert(text, [(label, message)]))
print(f"atlas_messages: {added} message(s) {'to add' if dry_run else 'added'}", file=sys.stderr)
