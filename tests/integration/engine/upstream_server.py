# A small origin server for the forwarding tests: HTTPS (or plain HTTP with --plain) on
# 127.0.0.1:0. Prints "PORT <n>" once listening. Bodies are generated and counted in chunks so
# the 50 MB cases never hold a body in memory here either.
#   /silent   never answered: the connection is held until the proxy closes it
#   /dribble  the header comes one line every 100 ms, 40 lines (4 s) before its end
import http.server
import sys
import time

import loopback_https


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, reason, body, extra=()):
        self.send_response(status, reason)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        if self.path == "/chunked":
            self.send_response(200, "Fine Thanks")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"alpha-", b"beta-", b"gamma"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        elif self.path.startswith("/big/"):
            left = int(self.path[5:])
            self.send_response(200)
            self.send_header("Content-Length", str(left))
            self.end_headers()
            block = b"x" * 65536
            while left:
                n = min(left, len(block))
                self.wfile.write(block[:n])
                left -= n
        elif self.path == "/as-sent":
            # A header no serializer would write this way: the relay must pass it on byte for byte.
            body = b"" if self.command == "HEAD" else b"hello"
            self.wfile.write(b"HTTP/1.1 299 Odd  Reason Here\r\nx-lower-case: v\r\nX-Spaced:   padded value  \r\n"
                             b"Content-Length: 5\r\n\r\n" + body)
        elif self.path == "/silent":
            self.close_connection = True
            try:
                self.rfile.read(1)  # until the proxy gives up and closes
            except OSError:
                pass
        elif self.path == "/dribble":
            self.close_connection = True
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for i in range(40):
                    time.sleep(0.1)
                    self.wfile.write(b"X-Line-%d: slow\r\n" % i)
                self.wfile.write(b"Content-Length: 0\r\n\r\n")
            except OSError:
                pass
        elif self.path == "/forbidden":
            self.reply(403, "CMGConnector_Clientcertificaterequired", b"no client certificate\n")
        else:
            body = "upstream saw %s %s from-port=%d host=%s\n" % (
                self.command, self.path, self.client_address[1], self.headers.get("Host"))
            self.reply(200, "OK", body.encode(), [("X-Upstream", "yes")])

    def do_POST(self):
        count = 0
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                left = size
                while left:
                    got = self.rfile.read(min(left, 65536))
                    left -= len(got)
                    count += len(got)
                self.rfile.readline()
        else:
            left = int(self.headers.get("Content-Length", "0"))
            while left:
                got = self.rfile.read(min(left, 65536))
                if not got:
                    break
                left -= len(got)
                count += len(got)
        self.reply(200, "OK", b"received %d\n" % count)


def main():
    loopback_https.serve(Handler, plain="--plain" in sys.argv)


main()
