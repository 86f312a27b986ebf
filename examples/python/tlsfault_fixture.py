"""A pytest fixture that runs tlsfault for a test and drives it through its control API.

Plain subprocess + urllib, no extra packages. Copy this file (and conftest.py) next to your
tests, or import it. The engine listens on free loopback ports (port 0; the bound ports are
read from its `listen` events), uses a fresh lab CA in the test's tmp_path, never forwards
traffic off the machine (--upstream-mode origin), and is stopped by its PID when the test ends.

    def test_my_client_rejects_expired(tlsfault):
        tlsfault.activate("cert-expired")
        ...run your client against https://expired.tlsfault.test/ through tlsfault.proxy_url,
           trusting tlsfault.ca_path...
        record = tlsfault.wait_verdict("expired.tlsfault.test")
        assert record["verdict"]["alert"] == "certificate_expired"
        assert record["expectation"]["result"] == "pass"

The tlsfault binary: $TLSFAULT_BINARY, else `tlsfault` on PATH.
"""

import json
import os
import secrets
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

STARTUP_DEADLINE_S = 20.0


class TlsfaultError(RuntimeError):
    """An API call tlsfault refused: `status` and the JSON `body` it answered."""

    def __init__(self, method, path, status, body):
        super().__init__(f"{method} /api/v1/{path}: HTTP {status}: {body.get('error', body)}")
        self.status = status
        self.body = body


class Tlsfault:
    """A running `tlsfault run` and a small client of its API."""

    def __init__(self, binary, workdir):
        self.workdir = str(workdir)
        self.token = secrets.token_hex(16)
        self._events = os.path.join(self.workdir, "events.jsonl")
        self._console = open(os.path.join(self.workdir, "console.log"), "wb")
        argv = [binary, "run", "--state-dir", os.path.join(self.workdir, "state"), "--events", self._events,
                "--quiet", "--upstream-mode", "origin", "--api-token", self.token,
                "--proxy-listen", "127.0.0.1:0", "--sni-listen", "127.0.0.1:0",
                "--revocation-listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0"]
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._console, stderr=subprocess.STDOUT)
        ports = self._wait_for_listeners()
        self.proxy_port, self.sni_port, self.api_port = ports["proxy"], ports["sni"], ports["api"]
        self.proxy_url = f"http://127.0.0.1:{self.proxy_port}"
        self.sni_addr = f"127.0.0.1:{self.sni_port}"
        self.api_url = f"http://127.0.0.1:{self.api_port}/api/v1/"
        self.ca_path = os.path.join(self.workdir, "state", "ca", "root.pem")
        self._since = self.last_connection_id()

    def _wait_for_listeners(self):
        deadline = time.monotonic() + STARTUP_DEADLINE_S
        while time.monotonic() < deadline and self.process.poll() is None:
            ports = {}
            if os.path.exists(self._events):
                with open(self._events, encoding="utf-8") as f:
                    for line in f:
                        if '"event":"listen"' in line and line.rstrip().endswith("}"):
                            event = json.loads(line)
                            ports[event["listener"]] = event["port"]
            if {"proxy", "sni", "api"} <= ports.keys():
                return ports
            time.sleep(0.02)  # polling the file the engine writes, until the deadline
        self.stop()
        with open(os.path.join(self.workdir, "console.log"), encoding="utf-8", errors="replace") as f:
            raise RuntimeError("tlsfault did not start listening:\n" + f.read())

    def api(self, method, path, body=None, timeout=10.0):
        """One API call: the decoded JSON answer; TlsfaultError for a 4xx/5xx."""
        data = json.dumps(body).encode() if body is not None else (b"" if method != "GET" else None)
        request = urllib.request.Request(self.api_url + path, data=data, method=method,
                                         headers={"Authorization": "Bearer " + self.token,
                                                  "Content-Type": "application/json"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
        try:
            with opener.open(request, timeout=timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                answer = json.loads(raw)
            except ValueError:
                answer = {"error": raw.decode(errors="replace")}
            raise TlsfaultError(method, path, e.code, answer) from None

    def last_connection_id(self):
        return self.api("GET", "connections?limit=1")["last_id"]

    def mark(self):
        """From now on wait_verdict() only looks at connections that start after this call."""
        self._since = self.last_connection_id()
        return self._since

    def activate(self, name):
        """Adds a catalogue (or loaded) scenario to the active set; starts its attempt counts
        again; marks (see mark())."""
        answer = self.api("POST", "active/" + urllib.parse.quote(name, safe=""))
        self.api("POST", "reset")
        self.mark()
        return answer

    def deactivate(self, name):
        answer = self.api("DELETE", "active/" + urllib.parse.quote(name, safe=""))
        self.mark()
        return answer

    def set_active(self, names=(), yaml=()):
        """Replaces the whole active set (PUT active): catalogue names and inline scenario YAML."""
        answer = self.api("PUT", "active", {"scenarios": list(names), "yaml": list(yaml)})
        self.mark()
        return answer

    def fault(self, host=None, listener=None, tcp=None, tls=None, toxicity=None, seed=None):
        """Adds a runtime fault (POST faults), Toxiproxy style: for connections to `host` (a name
        or glob) and/or on `listener` ("proxy", "sni"), `tcp` faults (a list of dicts as in a
        scenario rule's `tcp`) and/or `tls` faults (a dict as in a rule's `tls`). Returns its
        id; marks (see mark()). TlsfaultError (400) names a bad field."""
        body = {key: value for key, value in (("host", host), ("listener", listener), ("tcp", tcp), ("tls", tls),
                                              ("toxicity", toxicity), ("seed", seed)) if value is not None}
        answer = self.api("POST", "faults", body)
        self.mark()
        return answer["id"]

    def remove_fault(self, fault_id):
        answer = self.api("DELETE", "faults/" + urllib.parse.quote(fault_id, safe=""))
        self.mark()
        return answer

    def wait_verdict(self, host, since=None, timeout=5.0):
        """The connection record of the newest connection to `host` that started after the
        last mark (activate, deactivate, set_active, mark) or `since`, once it has its verdict
        and expectation. TlsfaultError (status 408) when none completes within `timeout`."""
        since = self._since if since is None else since
        query = urllib.parse.urlencode({"host": host, "since": since, "timeout": f"{int(timeout * 1000)}ms"})
        return self.api("GET", "connections/wait?" + query, timeout=timeout + 5)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()  # by PID
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._console.close()


def tlsfault_binary():
    binary = os.environ.get("TLSFAULT_BINARY") or shutil.which("tlsfault")
    if not binary:
        raise RuntimeError("set TLSFAULT_BINARY to the tlsfault binary (e.g. build/tlsfault) or put tlsfault on PATH")
    return binary


@pytest.fixture
def tlsfault(tmp_path):
    """A tlsfault engine for one test, stopped afterwards (see Tlsfault)."""
    engine = Tlsfault(tlsfault_binary(), tmp_path)
    try:
        yield engine
    finally:
        engine.stop()
