# CONNECTs nested inside each other on one connection to tlsfault's explicit proxy, then (when
# every one was answered 200) a real TLS handshake and GET inside the innermost tunnel.
#   nested_connect.py PROXY_PORT DEPTH HOST CA_FILE
# Prints one line per CONNECT ("connect N: <status line>"), then "tls: <status line>" or
# "tls: failed <reason>"; every socket operation has a 10 s timeout. Loopback only.
import socket
import ssl
import sys


def read_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n", 1)[0].decode("latin-1")


def main():
    port, depth, host, ca_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    for level in range(1, depth + 1):
        sock.sendall(f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n\r\n".encode())
        status = read_head(sock)
        print(f"connect {level}: {status}", flush=True)
        if " 200 " not in status:
            return
    context = ssl.create_default_context(cafile=ca_file)
    try:
        with context.wrap_socket(sock, server_hostname=host) as tls:
            tls.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            print(f"tls: {read_head(tls)}", flush=True)
    except (ssl.SSLError, OSError) as e:
        print(f"tls: failed {e}", flush=True)


main()
