// Verdict classification: the received alert wins; transport errors map to closed, reset, timeout.
#include "proxy/tls/failure_verdict.hpp"
#include "proxy/origin/origin_page.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>

#include <doctest/doctest.h>

using namespace tlsfault::proxy;
namespace net = boost::asio;

TEST_CASE("verdict: a received alert is the verdict, whatever error followed") {
    AlertCapture alerts;
    alerts.received = AlertRecord{2, 48};
    alerts.sent = AlertRecord{2, 40};
    auto v = classify_failure(Phase::handshake, net::error::connection_reset, &alerts);
    CHECK(v.outcome == Outcome::alert);
    CHECK(v.alert == TlsAlert::unknown_ca);
    CHECK(v.sent_alert == TlsAlert::handshake_failure);
    CHECK(to_string(v.phase) == "handshake");
}

TEST_CASE("verdict: transport endings map to closed, reset and timeout") {
    CHECK(classify_failure(Phase::handshake, net::error::eof, nullptr).outcome == Outcome::closed);
    CHECK(classify_failure(Phase::handshake, net::ssl::error::stream_truncated, nullptr).outcome == Outcome::closed);
    CHECK(classify_failure(Phase::client_hello, net::error::connection_reset, nullptr).outcome == Outcome::reset);
    CHECK(classify_failure(Phase::client_hello, boost::beast::error::timeout, nullptr).outcome == Outcome::timeout);
    AlertCapture close_only;
    close_only.received_close_notify = true;
    CHECK(classify_failure(Phase::request, net::error::operation_aborted, &close_only).outcome == Outcome::closed);
}

TEST_CASE("verdict: alert names follow RFC 8446") {
    CHECK(alert_name(45) == "certificate_expired");
    CHECK(alert_name(46) == "certificate_unknown");
    CHECK(alert_name(42) == "bad_certificate");
    CHECK(alert_name(51) == "decrypt_error");
    CHECK(alert_name(70) == "protocol_version");
    CHECK(alert_name(200) == "alert_200");
    CHECK(to_string(Outcome::not_tls) == "not_tls");
}

TEST_CASE("origin page: says what was accepted, as HTML or JSON") {
    OriginFacts f;
    f.conn = 9;
    f.host = "expired.tlsfault.test";
    f.profile = "expired";
    f.profile_summary = "expired two days ago";
    f.correct_client = "refuses it.";
    f.target = "/<script>";
    auto html = render_origin_page(f, "text/html");
    CHECK(html.content_type.rfind("text/html", 0) == 0);
    CHECK(html.body.find("accepted a certificate that is wrong: expired two days ago") != std::string::npos);
    CHECK(html.body.find("<script>") == std::string::npos);
    auto json = render_origin_page(f, "application/json, */*");
    CHECK(json.content_type == "application/json");
    CHECK(json.body.find("\"profile\": \"expired\"") != std::string::npos);
    CHECK(json.body.find("\"conn\": 9") != std::string::npos);
}
