#!/usr/bin/env python3
"""The Python client of the catalogue sweep: urllib.request as an application uses it, with an
SSL context that trusts the lab root, sent to tlsfault's SNI listener for the scenario's host.

Usage: sweep_client.py CAFILE PORT URL [options]

On success it prints the response's status and reason ("200 OK") and the body's length; on
failure it lets the exception propagate, so the last line of stderr is exactly what a Python
user sees (e.g. "urllib.error.URLError: <urlopen error [SSL: CERTIFICATE_VERIFY_FAILED] ...").
"""
import argparse
import http.client
import socket
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def main():
    p = argparse.ArgumentParser()
    p.add_argument("cafile")
    p.add_argument("port", type=int)
    p.add_argument("url")
    p.add_argument("--timeout", type=float, default=10.0)
    p.add_argument("--tls-max", choices=["1.2", "1.3"])
    p.add_argument("--ciphers", help="OpenSSL cipher string for TLS 1.2 and below")
    p.add_argument("--crl", help="a CRL (PEM) to check the leaf against")
    p.add_argument("--retries", type=int, default=0, help="retry 503 answers, honouring Retry-After")
    p.add_argument("--alpn", help="comma-separated ALPN protocols to offer (urllib offers none)")
    p.add_argument("--hold", type=float, default=0.0,
                   help="handshake, wait this long, then send the request (a slow client)")
    a = p.parse_args()

    ctx = ssl.create_default_context(cafile=a.cafile)
    if a.tls_max:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2 if a.tls_max == "1.2" else ssl.TLSVersion.TLSv1_3
    if a.ciphers:
        ctx.set_ciphers(a.ciphers)
    if a.alpn:
        ctx.set_alpn_protocols(a.alpn.split(","))
    if a.crl:
        ctx.load_verify_locations(cafile=a.crl)
        ctx.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF

    class ToTlsfault(http.client.HTTPSConnection):
        """Dials 127.0.0.1:PORT whatever the URL's host; SNI and name checks stay the URL's."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._create_connection = lambda _address, *rest: socket.create_connection(("127.0.0.1", a.port), *rest)

        def connect(self):
            super().connect()
            if a.hold:
                time.sleep(a.hold)

    class Handler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(ToTlsfault, req, context=ctx)

    opener = urllib.request.build_opener(Handler())
    for attempt in range(a.retries + 1):
        try:
            with opener.open(a.url, timeout=a.timeout) as response:
                body = response.read()
                print(response.status, response.reason)
                print("body", len(body), "bytes")
                return 0
        except urllib.error.HTTPError as e:
            if e.code != 503 or attempt == a.retries:
                raise
            print(e.code, e.reason, "(retrying)")
            time.sleep(float(e.headers.get("Retry-After", "1")))
    return 1


if __name__ == "__main__":
    sys.exit(main())
