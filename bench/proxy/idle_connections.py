#!/usr/bin/env python3
"""Opens N kept-alive TLS connections to 127.0.0.1:PORT, sends one GET on each and reads its
answer, then prints "ready" and holds them until stdin closes (run_bench.sh reads the
contender's RSS meanwhile). Usage: idle_connections.py PORT N PATH"""
import socket
import ssl
import sys

port, count, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
held = []
request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n".encode()
for _ in range(count):
    raw = socket.create_connection(("127.0.0.1", port), timeout=30)
    tls = ctx.wrap_socket(raw, server_hostname=None)
    tls.sendall(request)
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += tls.recv(65536)
    head, _, body = answer.partition(b"\r\n\r\n")
    length = next(int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length"))
    while len(body) < length:
        body += tls.recv(65536)
    held.append(tls)
print("ready", flush=True)
sys.stdin.read()
