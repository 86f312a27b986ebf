# The start-up the Python test origins share: a threading HTTP server on 127.0.0.1:0, wrapped in
# TLS with CERT KEY (argv 1 and 2) unless `plain`, announcing "PORT <n>" once it listens.
import http.server
import ssl
import sys


def serve(handler, plain=False):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if not plain:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[1], sys.argv[2])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()
