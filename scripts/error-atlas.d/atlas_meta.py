"""Writes the sidecar of one client's `tlsfault check --json` report for scripts/error-atlas: who
ran (label, version, command) and when, so the page can be rebuilt from reports of several runs.
Usage: atlas_meta.py OUT.meta.json KEY LABEL VERSION COMMAND DATE SECONDS JOBS"""
import json
import sys

out, key, label, version, command, date, seconds, jobs = sys.argv[1:9]
with open(out, "w", encoding="utf-8") as f:
    json.dump({"key": key, "label": label, "version": version, "command": command, "date": date,
               "seconds": int(seconds), "jobs": int(jobs)}, f, indent=1)
