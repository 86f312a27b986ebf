#!/usr/bin/env python3
"""Soak and hostile peers against a running tlsfault (started by soak_test.cpp), loopback only.

  soak_driver.py soak --pid PID --sni-port P --proxy-port P --ca ROOT.pem --events FILE
      warm-up, then 2,000 concurrent TLS connections held open together, 20,000 sequential ones
      (good / expired / alert, in 32 streams of sequential connections), and hostile peers alongside (slowloris,
      byte-by-byte and 64 KB ClientHellos, 1 MB headers, garbage). Then checks: the process is
      alive, accept events = verdict events = connections made, every event line is valid
      JSON, descriptors back to the warm-up baseline, RSS within --rss-bound-mb of warm-up.
  soak_driver.py idle-memory --pid PID --sni-port P --ca ROOT.pem [--connections N]
      N kept-alive TLS connections left idle after one request: RSS per idle connection.

Prints one JSON summary line; exit status 0 when every check held, 1 otherwise (with why).
TLSFAULT_SOAK_SCALE (default 1) multiplies the connection counts, for machines busier than CI.
"""
import argparse
import asyncio
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import soak_peers as peers  # noqa: E402


def progress(started, text):
    """One line per phase on stderr, with the time since the start: where a slow run spends it."""
    print(f"soak {time.monotonic() - started:6.1f}s {text}", file=sys.stderr, flush=True)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def raise_fd_limit(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Events:
    """The event log, read again on each call: counts of `accept`, `verdict` and `close` events
    (listener connections only: the revocation listener's fetches are not in the soak)."""

    def __init__(self, path):
        self.path = path

    def counts(self):
        accepts = verdicts = closes = 0
        bad = []
        with open(self.path, encoding="utf-8", errors="strict") as log:
            for number, line in enumerate(log, 1):
                if not line.endswith("\n"):
                    break  # a line still being written
                try:
                    event = json.loads(line)
                except ValueError as error:
                    bad.append(f"line {number}: {error}")
                    continue
                if event.get("listener") == "revocation":
                    continue
                accepts += event.get("event") == "accept"
                verdicts += event.get("event") == "verdict"
                closes += event.get("event") == "close"
        return accepts, verdicts, closes, bad


async def wait_until(predicate, deadline_s):
    """Polls `predicate` (an observable fact) until true or the deadline; returns its last value."""
    end = time.monotonic() + deadline_s
    while True:
        value = predicate()
        if value or time.monotonic() >= end:
            return value
        await asyncio.sleep(0.05)


async def settled_rss(pid, deadline_s=10.0):
    """RSS once it has stopped falling (two reads 250 ms apart agree within 256 KiB): memory
    is given back just after the last close, not at it."""
    previous = rss_kib(pid)
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        await asyncio.sleep(0.25)
        now = rss_kib(pid)
        if previous - now < 256:
            return now
        previous = now
    return rss_kib(pid)


async def bounded(tasks, limit):
    """Runs coroutine factories with at most `limit` in flight; returns their results."""
    gate = asyncio.Semaphore(limit)

    async def one(factory):
        async with gate:
            return await factory()
    return await asyncio.gather(*(one(f) for f in tasks))


async def hold_open(a, ctx, count):
    """`count` TLS connections answered and then all held open together (idle, kept alive).
    Returns (tasks, hold, all_open): release hold.release, then gather the tasks."""
    hold = peers.Hold()
    tasks = [asyncio.ensure_future(peers.tls_get(a.sni_port, ctx, f"good.{peers.LAB}", hold=hold)) for _ in range(count)]
    all_open = await wait_until(lambda: hold.answered == count or any(t.done() for t in tasks), 90)
    return tasks, hold, bool(all_open) and hold.answered == count


async def concurrent_phase(a, ctx, count):
    """`count` TLS connections all open at once, then closed together."""
    tasks, hold, all_open = await hold_open(a, ctx, count)
    peak_fds = fd_count(a.pid)
    hold.release.set()
    results = await asyncio.gather(*tasks)
    answered = sum(1 for _, outcome in results if outcome == "ok")
    return sum(1 for made, _ in results if made), answered, peak_fds, all_open


async def sequential_phase(a, ctx_verify, count, streams):
    """`count` short connections, one after another in each of `streams` streams (what bounds
    the rate is round-trip latency on a busy machine, not CPU): good, expired, alert in turn."""
    hosts = [(f"good.{peers.LAB}", "ok"), (f"expired.{peers.LAB}", "verify-failed"),
             (f"alert-handshake-failure.{peers.LAB}", "alert")]
    made = wrong = 0

    async def stream(index):
        nonlocal made, wrong
        for i in range(index, count, streams):
            host, expected = hosts[i % 3]
            ok, outcome = await peers.tls_get(a.sni_port, ctx_verify, host)
            made += ok
            wrong += outcome != expected
    await asyncio.gather(*(stream(s) for s in range(streams)))
    return made, wrong


def hostile_peers(a, ctx_verify, ctx_any):
    """Factories of the hostile connections (each returns True when it connected)."""
    hello = peers.make_client_hello(f"good.{peers.LAB}")
    big_64k = peers.padded_client_hello(f"good.{peers.LAB}", 64 * 1024 - 64)
    big_70k = peers.padded_client_hello(f"good.{peers.LAB}", 70 * 1024)
    slow_request = b"GET http://example.test/ HTTP/1.1\r\nHost: example.test\r\nX-Slow: " + b"a" * 100
    mb_request = b"GET http://example.test/ HTTP/1.1\r\nHost: example.test\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n"
    f = []
    f += [lambda: peers.send_then_read(a.sni_port, hello, piece=1, pause=0.5) for _ in range(100)]  # slowloris hello
    f += [lambda: peers.send_then_read(a.proxy_port, slow_request, piece=1, pause=0.5) for _ in range(50)]
    f += [lambda: peers.byte_by_byte_tls(a.sni_port, ctx_any, f"good.{peers.LAB}") for _ in range(20)]
    f += [lambda: peers.send_then_read(a.sni_port, big_64k) for _ in range(10)]
    f += [lambda: peers.send_then_read(a.sni_port, big_70k) for _ in range(10)]
    f += [lambda: peers.send_then_read(a.proxy_port, mb_request) for _ in range(10)]
    f += [lambda: peers.huge_header_over_tls(a.sni_port, ctx_any, f"good.{peers.LAB}", 1 << 20) for _ in range(10)]
    for i in range(200):
        port = a.sni_port if i % 2 else a.proxy_port
        f.append(lambda i=i, port=port: peers.send_then_read(port, peers.garbage(i, 1 + (i * 7919) % 100000)))
    return f


async def soak(a):
    failures = []
    raise_fd_limit(a.concurrent + 1000)
    ctx_verify = peers.client_context(a.ca)
    ctx_any = peers.client_context(a.ca, verify=False)
    events = Events(a.events)
    started = time.monotonic()
    made = 0

    # Warm-up: the leaf certificates minted, thread pools and caches at their steady size.
    warm = await bounded([lambda: peers.tls_get(a.sni_port, ctx_verify, h) for h in
                          [f"good.{peers.LAB}", f"expired.{peers.LAB}", f"alert-handshake-failure.{peers.LAB}"] * 100], 20)
    made += sum(1 for ok, _ in warm if ok)
    await wait_until(lambda: events.counts()[2] >= made, 30)  # every warm-up connection closed
    base_fds, warm_rss = fd_count(a.pid), rss_kib(a.pid)
    progress(started, f"warm-up done: {made} connections, {base_fds} fds, RSS {warm_rss} KiB")

    concurrent_made, answered, peak_fds, all_open = await concurrent_phase(a, ctx_any, a.concurrent)
    made += concurrent_made
    if answered != a.concurrent or not all_open:
        failures.append(f"concurrent: {answered}/{a.concurrent} answered, all open together: {all_open}")
    burst_rss = rss_kib(a.pid)
    progress(started, f"concurrent done: {answered} answered, peak {peak_fds} fds, RSS {burst_rss} KiB")

    hostile = asyncio.ensure_future(bounded(hostile_peers(a, ctx_verify, ctx_any), 400))
    sequential_made, wrong = await sequential_phase(a, ctx_verify, a.sequential, a.streams)
    progress(started, f"sequential done: {sequential_made} connections, {wrong} wrong outcomes")
    hostile_made = sum(1 for ok in await hostile if ok)
    progress(started, f"hostile peers done: {hostile_made} connections")
    made += sequential_made + hostile_made
    if wrong:
        failures.append(f"sequential: {wrong} of {a.sequential} clients saw the wrong outcome")

    settled = await wait_until(lambda: events.counts()[:3] == (made, made, made), 60)
    accepts, verdicts, closes, bad = events.counts()
    if not settled:
        failures.append(f"connections made {made}, accept events {accepts}, verdict events {verdicts}, close events {closes}")
    if bad:
        failures.append(f"{len(bad)} event lines are not JSON: {bad[:3]}")
    fds_back = await wait_until(lambda: fd_count(a.pid) <= base_fds, 30)
    end_fds, end_rss = fd_count(a.pid), await settled_rss(a.pid)
    if not fds_back:
        failures.append(f"descriptors: {end_fds} after the soak, {base_fds} after warm-up")
    if end_rss > warm_rss + a.rss_bound_mb * 1024:
        failures.append(f"RSS {end_rss // 1024} MiB after the soak, {warm_rss // 1024} MiB after warm-up (bound +{a.rss_bound_mb} MiB)")
    if not alive(a.pid):
        failures.append("tlsfault is no longer running")
    summary = {"connections": made, "accept_events": accepts, "verdict_events": verdicts,
               "concurrent": a.concurrent, "concurrent_peak_fds": peak_fds, "sequential": a.sequential,
               "hostile": hostile_made, "fds_warm": base_fds, "fds_end": end_fds,
               "rss_warm_mib": round(warm_rss / 1024, 1), "rss_burst_mib": round(burst_rss / 1024, 1),
               "rss_end_mib": round(end_rss / 1024, 1), "seconds": round(time.monotonic() - started, 1),
               "failures": failures}
    print(json.dumps(summary), flush=True)
    return not failures


async def idle_memory(a):
    raise_fd_limit(a.connections + 1000)
    ctx = peers.client_context(a.ca, verify=False)
    base_fds = fd_count(a.pid)
    await bounded([lambda: peers.tls_get(a.sni_port, ctx, f"good.{peers.LAB}") for _ in range(50)], 10)
    await wait_until(lambda: fd_count(a.pid) <= base_fds, 10)
    before = rss_kib(a.pid)
    tasks, hold, all_open = await hold_open(a, ctx, a.connections)
    during = rss_kib(a.pid)
    hold.release.set()
    results = await asyncio.gather(*tasks)
    await wait_until(lambda: fd_count(a.pid) <= base_fds, 30)
    after = await settled_rss(a.pid)
    ok = sum(1 for _, outcome in results if outcome == "ok")
    print(json.dumps({"connections": a.connections, "answered": ok, "all_open_together": all_open, "rss_before_kib": before,
                      "rss_idle_kib": during, "rss_after_close_kib": after,
                      "kib_per_idle_connection": round((during - before) / a.connections, 1)}), flush=True)
    return ok == a.connections


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["soak", "idle-memory"])
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--sni-port", type=int, required=True)
    parser.add_argument("--proxy-port", type=int, default=0)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--events")
    parser.add_argument("--concurrent", type=int, default=2000)
    parser.add_argument("--sequential", type=int, default=20000)
    parser.add_argument("--streams", type=int, default=32)
    parser.add_argument("--rss-bound-mb", type=int, default=64)
    parser.add_argument("--connections", type=int, default=1000)
    a = parser.parse_args()
    # A slower or busier machine than CI's two free cores may scale the connection counts down
    # (the summary line shows the counts used); the checks stay the same.
    scale = float(os.environ.get("TLSFAULT_SOAK_SCALE", "1"))
    a.concurrent, a.sequential = max(1, int(a.concurrent * scale)), max(3, int(a.sequential * scale))
    run = soak if a.mode == "soak" else idle_memory
    sys.exit(0 if asyncio.run(run(a)) else 1)


if __name__ == "__main__":
    main()
