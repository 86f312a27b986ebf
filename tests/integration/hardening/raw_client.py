# A hostile TLS client for the hardening tests, on a raw socket (loopback only):
#   raw_client.py hello PORT SNI_HEX     a ClientHello whose server_name is exactly the given
#                                        bytes (any bytes, any length: split into records)
# It reads the answer until the server closes or 10 s pass, then closes; prints "BYTES n".
import os
import socket
import struct
import sys


def extension(kind, data):
    return struct.pack("!HH", kind, len(data)) + data


def client_hello(sni):
    # A real x25519 share, so that a TLS 1.3 server answers and then waits for the client's
    # Finished: the connection stays in the handshake until this client goes.
    share = b"\x00\x1d" + struct.pack("!H", 32) + os.urandom(32)
    key_share = struct.pack("!H", len(share)) + share
    name = struct.pack("!BH", 0, len(sni)) + sni
    extensions = (extension(0x0000, struct.pack("!H", len(name)) + name)
                  + extension(0x000a, bytes.fromhex("0004001d0017"))
                  + extension(0x000b, bytes.fromhex("0100"))
                  + extension(0x000d, bytes.fromhex("0006080404030401"))
                  + extension(0x002b, bytes.fromhex("0403040303"))
                  + extension(0x0033, key_share))
    suites = bytes.fromhex("13011302c02bc02cc02fc030009c")
    body = (b"\x03\x03" + b"r" * 32 + b"\x00" + struct.pack("!H", len(suites)) + suites + b"\x01\x00"
            + struct.pack("!H", len(extensions)) + extensions)
    handshake = b"\x01" + struct.pack("!I", len(body))[1:] + body
    records = b""
    for at in range(0, len(handshake), 16384):  # a record holds at most 2^14 bytes
        part = handshake[at:at + 16384]
        records += b"\x16\x03\x01" + struct.pack("!H", len(part)) + part
    return records


def exchange(port, data):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(data)
    reply = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
    except OSError:
        pass
    sock.close()
    return reply


def main():
    if len(sys.argv) != 4 or sys.argv[1] != "hello":
        sys.exit("usage: raw_client.py hello PORT SNI_HEX")
    reply = exchange(int(sys.argv[2]), client_hello(bytes.fromhex(sys.argv[3])))
    print("BYTES %d" % len(reply))


main()
