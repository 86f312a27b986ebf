"""An example: a urllib HTTPS client with certificate verification on, going through tlsfault's
explicit proxy, must reject an expired certificate and accept a good one. Each test asserts
both what the client said and what tlsfault recorded for that very connection."""

import ssl
import urllib.error
import urllib.request

import pytest

from tlsfault_fixture import TlsfaultError


def fetch(url, proxy_url, ca_path, timeout=10):
    """The client under test: urllib with verification on, trusting only the lab root."""
    context = ssl.create_default_context(cafile=ca_path)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"https": proxy_url}),
                                         urllib.request.HTTPSHandler(context=context))
    with opener.open(url, timeout=timeout) as response:
        return response.status, response.read()


def test_client_rejects_an_expired_certificate(tlsfault):
    tlsfault.activate("cert-expired")
    with pytest.raises(urllib.error.URLError) as failure:
        fetch("https://expired.tlsfault.test/", tlsfault.proxy_url, tlsfault.ca_path)
    assert "certificate has expired" in str(failure.value.reason)
    record = tlsfault.wait_verdict("expired.tlsfault.test")
    assert record["scenario"] == "cert-expired"
    assert record["verdict"]["outcome"] == "alert"
    assert record["verdict"]["alert"] == "certificate_expired"
    assert record["expectation"]["result"] == "pass"


def test_client_accepts_a_good_certificate(tlsfault):
    tlsfault.activate("cert-good")
    status, body = fetch("https://good.tlsfault.test/", tlsfault.proxy_url, tlsfault.ca_path)
    assert status == 200
    assert b"good.tlsfault.test" in body
    record = tlsfault.wait_verdict("good.tlsfault.test")
    assert record["verdict"]["outcome"] == "accepted"
    assert record["expectation"]["result"] == "pass"


def test_a_client_that_skips_verification_is_caught(tlsfault):
    """The same expired certificate with verification off: the client gets its page, and
    tlsfault's expectation says fail — what `tlsfault check` reports as a failure."""
    tlsfault.activate("cert-expired")
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"https": tlsfault.proxy_url}),
                                         urllib.request.HTTPSHandler(context=context))
    with opener.open("https://expired.tlsfault.test/", timeout=10) as response:
        assert response.status == 200
    record = tlsfault.wait_verdict("expired.tlsfault.test")
    assert record["verdict"]["outcome"] == "accepted"
    assert record["expectation"]["result"] == "fail"


def test_deactivate_returns_the_host_to_default_routing(tlsfault):
    tlsfault.activate("cert-expired")
    tlsfault.deactivate("cert-expired")
    with pytest.raises(urllib.error.URLError):
        fetch("https://expired.tlsfault.test/", tlsfault.proxy_url, tlsfault.ca_path)
    record = tlsfault.wait_verdict("expired.tlsfault.test")
    # Still the lab's expired profile by name (default routing), but no scenario judged it.
    assert record["verdict"]["alert"] == "certificate_expired"
    assert not record.get("scenario")
    assert "expectation" not in record


def test_a_runtime_fault_breaks_the_handshake_until_removed(tlsfault):
    """fault(): a TLS alert for one host, without a scenario; removed, the host works again."""
    fault_id = tlsfault.fault(host="good.tlsfault.test", tls={"alert": "handshake_failure"})
    with pytest.raises(urllib.error.URLError) as failure:
        fetch("https://good.tlsfault.test/", tlsfault.proxy_url, tlsfault.ca_path)
    assert "handshake failure" in str(failure.value.reason).lower()
    record = tlsfault.wait_verdict("good.tlsfault.test")
    assert record["verdict"]["sent_alert"] == "handshake_failure"

    tlsfault.remove_fault(fault_id)
    status, _ = fetch("https://good.tlsfault.test/", tlsfault.proxy_url, tlsfault.ca_path)
    assert status == 200
    assert tlsfault.wait_verdict("good.tlsfault.test")["verdict"]["outcome"] == "accepted"


def test_a_bad_fault_is_refused_with_the_field_named(tlsfault):
    with pytest.raises(TlsfaultError) as refused:
        tlsfault.fault(host="good.tlsfault.test", tcp=[{"type": "latncy", "latency": "300ms"}])
    assert refused.value.status == 400
    assert refused.value.body["field"] == "tcp[0].type"
    assert "did you mean 'latency'" in refused.value.body["error"]
