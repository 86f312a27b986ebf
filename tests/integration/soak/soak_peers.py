"""The clients of the soak test (soak_driver.py): well-behaved TLS clients and hostile peers.

Every function opens exactly one TCP connection to tlsfault (loopback only) and returns True
when the connection was established, so the driver can count connections made and compare with
the verdicts tlsfault recorded. Each has a deadline; none waits on a sleep for synchronisation
(the pauses in the slow peers are the point of those peers).
"""
import asyncio
import os
import socket
import ssl

LAB = "tlsfault.test"
DEADLINE = 20.0  # seconds any one peer may take; tlsfault's own timeouts are shorter


def client_context(ca_file, verify=True):
    ctx = ssl.create_default_context(cafile=ca_file)
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


async def open_tcp(port):
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), DEADLINE)
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return reader, writer


async def close(writer):
    writer.close()
    try:
        await asyncio.wait_for(writer.wait_closed(), 5)
    except (OSError, ssl.SSLError, asyncio.TimeoutError):
        pass


async def read_to_eof(reader, limit=1 << 20):
    """Reads until the peer closes (or `limit` bytes, or the deadline); returns the bytes."""
    data = b""
    try:
        while len(data) < limit:
            chunk = await asyncio.wait_for(reader.read(65536), DEADLINE)
            if not chunk:
                break
            data += chunk
    except (OSError, ssl.SSLError, asyncio.TimeoutError):
        pass
    return data


class Hold:
    """Keeps answered connections open: `answered` counts them, `release` lets them close.
    `opening` bounds how many are in their handshake at once (the rest wait their turn before
    connecting), so a burst is not failed by tlsfault's ClientHello timeout on a busy machine."""

    def __init__(self, opening=100):
        self.answered = 0
        self.release = asyncio.Event()
        self.opening = asyncio.Semaphore(opening)


async def tls_get(port, ctx, host, hold=None):
    """A real TLS client: handshake for `host`, one GET, read the answer, close. With `hold`
    (a Hold) the connection stays open, idle, after the answer until it is released.
    Returns (connected, outcome) with outcome 'ok', 'verify-failed', 'alert' or 'error'."""
    if hold is None:
        return await _tls_get(port, ctx, host, None)
    async with hold.opening:
        return await _tls_get(port, ctx, host, hold)


async def _tls_get(port, ctx, host, hold):
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, ssl=ctx, server_hostname=host), DEADLINE)
    except ssl.SSLCertVerificationError:
        return True, "verify-failed"
    except ssl.SSLError:
        return True, "alert"
    except (OSError, asyncio.TimeoutError):
        return False, "error"
    try:
        writer.write(f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), DEADLINE)
        ok = head.startswith(b"HTTP/1.1 200")
        if hold is not None:
            hold.answered += 1
            hold.opening.release()  # the next one may connect; this one stays open, idle
            try:
                await asyncio.wait_for(hold.release.wait(), 6 * DEADLINE)
            finally:
                await hold.opening.acquire()
        return True, "ok" if ok else "error"
    except (OSError, ssl.SSLError, asyncio.TimeoutError, asyncio.IncompleteReadError):
        return True, "error"
    finally:
        await close(writer)


def make_client_hello(host):
    """The ClientHello Python's OpenSSL sends for `host` (an SSLObject on memory BIOs)."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ssl.create_default_context().wrap_bio(incoming, outgoing, server_hostname=host)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def padded_client_hello(host, total):
    """A ClientHello about `total` bytes long: the real one plus a padding extension (RFC 7685),
    split into TLS records of at most 16 KiB as a real client would. Above 64 KiB the 16-bit
    extension lengths cannot say it (they wrap), as in a hostile hello: only the handshake
    header's 24-bit length is right, and tlsfault refuses the hello on that alone."""
    record = make_client_hello(host)
    message = bytearray(record[5:])
    pad = max(0, total - len(message) - 4 - 5 * (total // 16384 + 1))
    ext_len_at = 4 + 2 + 32 + 1 + message[38] + 2  # type+len, version, random, session id
    ext_len_at += int.from_bytes(message[ext_len_at - 2:ext_len_at], "big")
    ext_len_at += 1 + message[ext_len_at] + 2  # compression methods, then the extensions length
    extensions_len = int.from_bytes(message[ext_len_at - 2:ext_len_at], "big") + 4 + pad
    message[ext_len_at - 2:ext_len_at] = (extensions_len & 0xFFFF).to_bytes(2, "big")
    message += (21).to_bytes(2, "big") + (pad & 0xFFFF).to_bytes(2, "big") + bytes(pad)
    message[1:4] = (len(message) - 4).to_bytes(3, "big")
    out = b""
    for at in range(0, len(message), 16384):
        part = bytes(message[at:at + 16384])
        out += b"\x16\x03\x01" + len(part).to_bytes(2, "big") + part
    return out


async def byte_by_byte_tls(port, ctx, host):
    """A full handshake and GET where every TLS byte we send is its own write (memory BIOs)."""
    try:
        reader, writer = await open_tcp(port)
    except (OSError, asyncio.TimeoutError):
        return False
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(incoming, outgoing, server_hostname=host)

    async def flush():
        for byte in outgoing.read():
            writer.write(bytes([byte]))
            await writer.drain()

    try:
        for _ in range(50):  # handshake flights
            try:
                obj.do_handshake()
                break
            except ssl.SSLWantReadError:
                await flush()
                chunk = await asyncio.wait_for(reader.read(65536), DEADLINE)
                if not chunk:
                    return True
                incoming.write(chunk)
        obj.write(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        await flush()
        await read_to_eof(reader)
    except (OSError, ssl.SSLError, asyncio.TimeoutError):
        pass
    finally:
        await close(writer)
    return True


async def send_then_read(port, payload, piece=None, pause=0.0):
    """Sends `payload` (in `piece`-byte writes `pause` s apart, when given), then reads to EOF.
    tlsfault may close early (a limit or a timeout): sending stops there."""
    try:
        reader, writer = await open_tcp(port)
    except (OSError, asyncio.TimeoutError):
        return False
    try:
        step = piece or len(payload) or 1
        for at in range(0, len(payload), step):
            writer.write(payload[at:at + step])
            await asyncio.wait_for(writer.drain(), DEADLINE)
            if pause:
                await asyncio.sleep(pause)
                if reader.at_eof():
                    break
        await read_to_eof(reader)
    except (OSError, asyncio.TimeoutError):
        pass
    finally:
        await close(writer)
    return True


async def huge_header_over_tls(port, ctx, host, size):
    """A TLS request whose header is `size` bytes: tlsfault answers 431 (or closes)."""
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, ssl=ctx, server_hostname=host), DEADLINE)
    except (OSError, ssl.SSLError, asyncio.TimeoutError):
        return True
    try:
        writer.write(f"GET / HTTP/1.1\r\nHost: {host}\r\nX-Big: ".encode() + b"a" * size + b"\r\n\r\n")
        await asyncio.wait_for(writer.drain(), DEADLINE)
    except (OSError, ssl.SSLError, asyncio.TimeoutError):
        pass
    await read_to_eof(reader)
    await close(writer)
    return True


def garbage(seed, size):
    """Random bytes, except that a first byte of 0x16 is avoided in half of them so both the
    'not TLS' and the 'broken TLS record' paths are taken."""
    data = bytearray(os.urandom(size))
    if seed % 2 and data and data[0] == 0x16:
        data[0] = 0x17
    return bytes(data)
