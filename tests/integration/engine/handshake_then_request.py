# A TLS client that shows when the upstream was contacted: it completes its handshake with
# tlsfault's SNI listener (any certificate accepted), then watches LOG (the upstream's output)
# for up to WAIT seconds for a line starting with NEEDLE, and only then sends GET PATH.
# Prints "before-request: <the line, or none>" and then the response.
# Usage: handshake_then_request.py PORT HOST LOG NEEDLE WAIT PATH
import socket
import ssl
import sys
import time

port, host, log, needle, wait, path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), sys.argv[6]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE


def line_in_log():
    with open(log) as f:
        return next((line.strip() for line in f if line.startswith(needle)), None)


with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
    with ctx.wrap_socket(raw, server_hostname=host) as tls:
        end = time.monotonic() + wait
        seen = line_in_log()
        while seen is None and time.monotonic() < end:
            time.sleep(0.02)  # polling the upstream's log, bounded by WAIT
            seen = line_in_log()
        print("before-request: %s" % (seen or "none"), flush=True)
        tls.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % (path, host)).encode())
        answer = b""
        while True:
            chunk = tls.recv(65536)
            if not chunk:
                break
            answer += chunk
        print(answer.decode(errors="replace"))
