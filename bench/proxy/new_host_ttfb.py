#!/usr/bin/env python3
"""Time to first byte for never-seen host names against a seen one, from one long-lived process
(curl's own start-up, 20-100 ms on a loaded machine, swamped the sub-millisecond difference).
Opens N connections with a new SNI name each and N with the same seen name, interleaved, to
127.0.0.1:PORT; times connect -> TLS handshake -> GET -> first response byte with
time.perf_counter; prints "NEW_MEDIAN_MS SEEN_MEDIAN_MS" (medians).
Usage: new_host_ttfb.py PORT N PATH"""
import random
import socket
import ssl
import statistics
import sys
import time

port, count, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE  # a lab leaf: the time is what is measured, not the trust


def first_byte_ms(host):
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
        # As curl does: without it the GET waits behind the client's Finished for the server's
        # delayed ACK (~40 ms), which swamped everything else.
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with ctx.wrap_socket(raw, server_hostname=host) as tls:
            tls.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            if not tls.recv(1):
                raise SystemExit(f"new_host_ttfb.py: {host}: closed before answering")
            elapsed = time.perf_counter() - start
            while tls.recv(65536):  # read the rest so the server ends the connection cleanly
                pass
    return elapsed * 1000


first_byte_ms("seen.bench.test")  # its leaf is minted and cached here
tag = random.randrange(1 << 30)
new, seen = [], []
for i in range(count):
    new.append(first_byte_ms(f"new{i}-{tag}.bench.test"))
    seen.append(first_byte_ms("seen.bench.test"))
print(f"{statistics.median(new):.3f} {statistics.median(seen):.3f}")
