// The C++ example: a Beast HTTPS client with OpenSSL verification on must reject an expired
// certificate and accept a good one; each test asserts what the client saw and the verdict and
// expectation tlsfault recorded for that connection (connections/wait, no sleeps).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "beast_https_client.hpp"
#include "tlsfault_fixture.hpp"

#include <boost/json.hpp>
#include <boost/system/system_error.hpp>
#include <doctest/doctest.h>

#include <cstdlib>

namespace {

std::string binary() {
    const char* env = std::getenv("TLSFAULT_BINARY");
    return env && *env ? env : TLSFAULT_BINARY;
}

std::string text(const boost::json::object& record, const char* part, const char* key) {
    const auto* p = record.if_contains(part);
    const auto* v = p && p->is_object() ? p->as_object().if_contains(key) : nullptr;
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

TEST_CASE("Beast client with verification on rejects an expired certificate") {
    tlsfault_example::Tlsfault tlsfault(binary());
    tlsfault.activate("cert-expired");
    std::string error;
    try {
        tlsfault_example::https_get("expired.tlsfault.test", tlsfault.sni_port(), tlsfault.ca_path());
    } catch (const boost::system::system_error& e) {
        error = e.what();
    }
    INFO("client error: " << error);
    CHECK(error.find("certificate verify failed") != std::string::npos);
    const auto record = tlsfault.wait_verdict("expired.tlsfault.test");
    CHECK(text(record, "verdict", "outcome") == "alert");
    CHECK(text(record, "verdict", "alert") == "certificate_expired");
    CHECK(text(record, "expectation", "result") == "pass");
}

TEST_CASE("Beast client with verification on accepts a good certificate") {
    tlsfault_example::Tlsfault tlsfault(binary());
    tlsfault.activate("cert-good");
    const auto reply = tlsfault_example::https_get("good.tlsfault.test", tlsfault.sni_port(), tlsfault.ca_path());
    CHECK(reply.status == 200);
    CHECK(reply.body.find("good.tlsfault.test") != std::string::npos);
    const auto record = tlsfault.wait_verdict("good.tlsfault.test");
    CHECK(text(record, "verdict", "outcome") == "accepted");
    CHECK(text(record, "expectation", "result") == "pass");
}

TEST_CASE("Beast client: a host name mismatch is rejected (cert-wrong-host)") {
    tlsfault_example::Tlsfault tlsfault(binary());
    tlsfault.activate("cert-wrong-host");
    CHECK_THROWS_AS(tlsfault_example::https_get("wrong-host.tlsfault.test", tlsfault.sni_port(), tlsfault.ca_path()),
                    boost::system::system_error);
    const auto record = tlsfault.wait_verdict("wrong-host.tlsfault.test");
    INFO(boost::json::serialize(record));
    CHECK(text(record, "verdict", "outcome") != "accepted");
    CHECK(text(record, "expectation", "result") == "pass");
}

TEST_CASE("Beast client: a runtime fault (a TLS alert) fails the handshake until it is removed") {
    tlsfault_example::Tlsfault tlsfault(binary());
    const auto id = tlsfault.add_fault(R"({"host": "good.tlsfault.test", "tls": {"alert": "handshake_failure"}})");
    CHECK_THROWS_AS(tlsfault_example::https_get("good.tlsfault.test", tlsfault.sni_port(), tlsfault.ca_path()),
                    boost::system::system_error);
    CHECK(text(tlsfault.wait_verdict("good.tlsfault.test"), "verdict", "sent_alert") == "handshake_failure");
    tlsfault.remove_fault(id);
    CHECK(tlsfault_example::https_get("good.tlsfault.test", tlsfault.sni_port(), tlsfault.ca_path()).status == 200);
    CHECK(text(tlsfault.wait_verdict("good.tlsfault.test"), "verdict", "outcome") == "accepted");
}
