# An HTTPS origin for the upstream-pool tests, on 127.0.0.1:0 with the given certificate. Prints
# "PORT <n>" once listening, then "CONNECTION <from-port>" for each TLS connection as soon as its
# handshake is done (before any request on it). Every answer names the TCP connection it came
# on (from-port) and the how-many-th request on it this is, so a test sees reuse from the client
# side.
#   /close       answered with "Connection: close" (the connection is not reusable)
#   --drop-second  the second request on any connection is not answered: the connection is
#                closed as soon as it arrives (a server that closed its idle side meanwhile)
#   --close-after-answer  every connection is closed right after its first answer, which does
#                not say so (no "Connection: close"); "CLOSED <from-port>" is printed once it is
import http.server
import sys

import loopback_https


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    drop_second = False
    close_after_answer = False

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        self.served = 0
        print("CONNECTION %d" % self.client_address[1], flush=True)

    def do_GET(self):
        self.served += 1
        if self.drop_second and self.served == 2:
            self.close_connection = True
            return
        closing = self.path == "/close"
        body = ("%s from-port=%d request=%d resumed=%s\n" % (
            self.path, self.client_address[1], self.served, self.connection.session_reused)).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        if closing:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        if closing:
            self.close_connection = True
        if self.close_after_answer:
            self.close_connection = True
            self.connection.close()
            print("CLOSED %d" % self.client_address[1], flush=True)


def main():
    Handler.drop_second = "--drop-second" in sys.argv
    Handler.close_after_answer = "--close-after-answer" in sys.argv
    loopback_https.serve(Handler)


main()
