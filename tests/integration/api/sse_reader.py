#!/usr/bin/env python3
"""Reads the control API's Server-Sent Events until an event named NAME arrives (then prints
every frame seen, one JSON line per frame: id, event, data) or the deadline passes (exit 1).
Usage: sse_reader.py URL TOKEN NAME [LAST_EVENT_ID]"""
import json
import sys
import urllib.request

url, token, wanted = sys.argv[1], sys.argv[2], sys.argv[3]
headers = {"Authorization": "Bearer " + token}
if len(sys.argv) > 4:
    headers["Last-Event-ID"] = sys.argv[4]
print("ready", flush=True)
frames, frame = [], {}
with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=15) as stream:
    for raw in stream:
        line = raw.decode().rstrip("\n")
        if line == "":
            if "id" in frame:
                frames.append(frame)
                if frame.get("event") == wanted:
                    for f in frames:
                        print(json.dumps(f))
                    sys.exit(0)
            frame = {}
        elif not line.startswith(":"):
            key, _, value = line.partition(": ")
            frame[key] = value
sys.exit(1)
