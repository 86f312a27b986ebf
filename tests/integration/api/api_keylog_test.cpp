// GET connections/{id}/keylog: one connection's NSS key log lines, picked by the client random
// of its ClientHello. The client's own key log (curl's SSLKEYLOGFILE) proves the recorded random
// is the one the client sent; tlsfault's --keylog file proves the route gives exactly that
// connection's lines and none of another's.
#include "tests/integration/api/api_client.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <set>
#include <sstream>

using namespace tlsfault::test;
namespace json = boost::json;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line.front() != '#') out.push_back(line);
    return out;
}

/// The second field of an NSS key log line (the client random, hex).
std::string random_of(const std::string& line) {
    auto first = line.find(' ');
    auto second = line.find(' ', first + 1);
    return first == std::string::npos || second == std::string::npos ? std::string() : line.substr(first + 1, second - first - 1);
}

/// The lines of `all` whose client random is `random`.
std::vector<std::string> lines_with_random(const std::vector<std::string>& all, const std::string& random) {
    std::vector<std::string> out;
    for (const auto& line : all)
        if (random_of(line) == random) out.push_back(line);
    return out;
}

/// curl through the SNI listener to `host`, writing the client's own key log to `client_log`.
ProcessResult curl_logging_keys(const RunningEngine& e, const std::string& host, const std::string& client_log,
                                std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"env",          "SSLKEYLOGFILE=" + client_log,
                                     "curl",         "-sS",
                                     "--max-time",   "20",
                                     "-o",           "/dev/null",
                                     "--cacert",     e.root_pem(),
                                     "--connect-to", host + ":443:127.0.0.1:" + std::to_string(e.sni_port())};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back("https://" + host + "/");
    return run_process(argv, std::chrono::seconds(30));
}

std::string connection_path(const json::object& record) {
    return "/api/v1/connections/" + std::to_string(record.at("id").to_number<std::uint64_t>()) + "/keylog";
}

}  // namespace

TEST_CASE("api: connections/{id}/keylog gives exactly the key log lines of that connection's client random") {
    TempDir dir;
    RunningEngine e({"--keylog", dir / "keys.log"});
    REQUIRE(curl_logging_keys(e, "good.tlsfault.test", dir / "client13.log").exit_code == 0);
    auto first = wait_connection(e, "good.tlsfault.test", 0, "15s");
    const auto first_id = first.at("id").to_number<std::uint64_t>();
    REQUIRE(curl_logging_keys(e, "good.tlsfault.test", dir / "client12.log", {"--tls-max", "1.2"}).exit_code == 0);
    auto second = wait_connection(e, "good.tlsfault.test", first_id, "15s");

    // The record's random is the ClientHello's: curl's own key log names its connection by it.
    const std::string random1 = member(first, {"client_random"});
    const std::string random2 = member(second, {"client_random"});
    REQUIRE(random1.size() == 64);
    REQUIRE(random2.size() == 64);
    CHECK(random1 != random2);
    CHECK(member(first, {"client_hello", "client_random"}) == random1);
    auto client13 = lines_of(file_text(dir / "client13.log"));
    auto client12 = lines_of(file_text(dir / "client12.log"));
    REQUIRE(!client13.empty());
    REQUIRE(!client12.empty());
    for (const auto& line : client13) CHECK(random_of(line) == random1);
    for (const auto& line : client12) CHECK(random_of(line) == random2);

    // The route gives the lines of the --keylog file with that random, in order, and no others.
    auto file = lines_of(file_text(dir / "keys.log"));
    auto tls13 = api(e, "GET", connection_path(first));
    REQUIRE(tls13.status == 200);
    CHECK(tls13.body.find("CLIENT_HANDSHAKE_TRAFFIC_SECRET " + random1) != std::string::npos);
    CHECK(tls13.body.find(random2) == std::string::npos);
    CHECK(lines_of(tls13.body) == lines_with_random(file, random1));
    CHECK(lines_of(tls13.body).size() == 5);  // TLS 1.3: 2 handshake, 2 traffic, exporter
    auto tls12 = api(e, "GET", connection_path(second), {.curl_args = {"-D", dir / "head.txt"}});
    REQUIRE(tls12.status == 200);
    CHECK(lines_of(tls12.body) == std::vector<std::string>{lines_with_random(file, random2)});
    CHECK(tls12.body.starts_with("CLIENT_RANDOM " + random2 + " "));
    CHECK(tls12.body.find(random1) == std::string::npos);
    // Both sides derived the same secrets: each line the client logged is one the route gives.
    for (const auto& line : client12) CHECK(tls12.body.find(line + "\n") != std::string::npos);
    for (const auto& line : client13) CHECK(tls13.body.find(line + "\n") != std::string::npos);
    const std::string head = file_text(dir / "head.txt");
    CHECK(head.find("text/plain") != std::string::npos);
    CHECK(head.find("attachment; filename=\"tlsfault-connection-") != std::string::npos);

    auto unknown = api(e, "GET", "/api/v1/connections/999999/keylog");
    CHECK(unknown.status == 404);
    CHECK(unknown.str("error").find("no connection 999999") != std::string::npos);
    CHECK(api(e, "GET", "/api/v1/connections/x/keylog").status == 400);
}

TEST_CASE("api: connections/{id}/keylog says how to turn key logging on when it is off") {
    RunningEngine e;
    REQUIRE(curl_host(e, "good.tlsfault.test").exit_code == 0);
    auto record = wait_connection(e, "good.tlsfault.test");
    CHECK(member(record, {"client_random"}).size() == 64);  // recorded whether or not keys are logged
    auto off = api(e, "GET", connection_path(record));
    CHECK(off.status == 404);
    CHECK(off.json.is_object());
    CHECK(off.str("error").find("key logging is off") != std::string::npos);
    CHECK(off.str("error").find("--keylog FILE") != std::string::npos);
}
