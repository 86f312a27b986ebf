# A plain-HTTP upstream that records every byte it receives (raw, appended to LOG) and answers
# each request header with a tiny 200, so a test can see exactly what reached the upstream.
# Listens on 127.0.0.1:0 and prints "PORT <n>" once listening.
import socket
import sys
import threading


def serve(conn, log):
    seen = b""
    with conn:
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            with open(log, "ab") as f:
                f.write(data)
            seen += data
            while b"\r\n\r\n" in seen:  # one answer per request header (bodies are not expected)
                seen = seen.split(b"\r\n\r\n", 1)[1]
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n")


def main():
    log = sys.argv[1]
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    print("PORT %d" % server.getsockname()[1], flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn, log), daemon=True).start()


main()
