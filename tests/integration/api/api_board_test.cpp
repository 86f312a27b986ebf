// The board's server side with a real HTTP client (curl): the banner's address, the token
// cookie and redirect, the embedded files, GET lab with cookie auth, and the certificate fields
// the board's story shows (recorded by the engine for a real curl handshake).
#include "tests/integration/api/api_client.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <set>

using namespace tlsfault::test;
namespace json = boost::json;

TEST_CASE("board: the banner's ?token= address sets an HttpOnly SameSite=Strict cookie and redirects to /, and the cookie opens the API") {
    RunningEngine e;
    const std::string token = e.api_token();
    CHECK(e.console().find("trainer's board http://127.0.0.1:" + std::to_string(e.api_port()) + "/?token=" + token) != std::string::npos);

    auto signed_in = api(e, "GET", "/?token=" + token, {.token = "", .curl_args = {"-i"}});
    CHECK(signed_in.status == 303);
    CHECK(signed_in.body.find("Location: /\r\n") != std::string::npos);
    CHECK(signed_in.body.find("Set-Cookie: tlsfault_token=" + token + "; Path=/; HttpOnly; SameSite=Strict\r\n") != std::string::npos);

    auto wrong = api(e, "GET", "/?token=not-the-token", {.token = "", .curl_args = {"-i"}});
    CHECK(wrong.status == 200);
    CHECK(wrong.body.find("Set-Cookie") == std::string::npos);
    CHECK(wrong.body.find("/board/board.js") != std::string::npos);

    auto script = api(e, "GET", "/board/board.js", {.token = "", .curl_args = {"-i"}});
    CHECK(script.status == 200);
    CHECK(script.body.find("Content-Type: text/javascript") != std::string::npos);
    CHECK(api(e, "GET", "/board/no-such.js", {.token = ""}).status == 404);

    CHECK(api(e, "GET", "/api/v1/lab", {.token = ""}).status == 401);
    auto lab = api(e, "GET", "/api/v1/lab", {.token = "", .curl_args = {"-H", "Cookie: other=1; tlsfault_token=" + token}});
    REQUIRE(lab.status == 200);
    std::set<std::string> listeners;
    for (const auto& l : lab.json.at("listeners").as_array()) listeners.insert(member(l, {"kind"}) + " " + member(l, {"address"}));
    CHECK(listeners.contains("api 127.0.0.1:" + std::to_string(e.api_port())));
    CHECK(listeners.contains("sni 127.0.0.1:" + std::to_string(e.sni_port())));
    CHECK(std::filesystem::exists(member(lab.json, {"ca_path"})));
    CHECK(lab.json.at("groups").as_array().size() >= 4);
}

TEST_CASE("board: the certificate a client was shown carries validity, SAN, CRL and OCSP URLs in its record") {
    RunningEngine e;
    auto r = curl_host(e, "expired.tlsfault.test");
    CHECK(r.exit_code == 60);
    auto record = wait_connection(e, "expired.tlsfault.test");
    const auto& cert = record.at("certificate").as_object();
    CHECK(member(cert, {"profile"}) == "expired");
    const std::string not_after = member(cert, {"not_after"});
    REQUIRE(not_after.size() == 20);              // 2026-01-02T03:04:05Z
    CHECK(not_after < member(record, {"time"}));  // expired: it ended before the connection
    CHECK(member(cert, {"not_before"}) < not_after);
    const auto& san = cert.at("san").as_array();
    CHECK(std::find(san.begin(), san.end(), json::value("DNS:expired.tlsfault.test")) != san.end());
    REQUIRE(!cert.at("crl_urls").as_array().empty());
    CHECK(
        std::string(cert.at("crl_urls").as_array()[0].as_string()).starts_with("http://127.0.0.1:" + std::to_string(e.revocation_port())));
    CHECK(!cert.at("ocsp_urls").as_array().empty());
}
