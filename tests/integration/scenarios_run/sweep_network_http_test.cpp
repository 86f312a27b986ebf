// Sweep rows for the network group (the rule's tcp faults, spliced between the client and the
// session) and the HTTP group (answers a rule makes: statuses, delays, broken bodies).
#include "tests/integration/scenarios_run/catalogue_sweep.hpp"

#include <doctest/doctest.h>

namespace tlsfault::test::sweep {
namespace {

ClientRun accepted(Said said, std::string expectation = "pass", std::vector<std::string> args = {}, int min_ms = 0) {
    return {
        .args = std::move(args), .said = std::move(said), .outcome = "accepted", .expectation = std::move(expectation), .min_ms = min_ms};
}

}  // namespace

const std::vector<Row>& network_rows() {
    static const std::vector<Row> rows = {
        {.scenario = "net-bandwidth",
         .host = "net-bandwidth.tlsfault.test",
         .curl = accepted(text("< HTTP/1.1 200 OK")),
         .python = accepted(text("200 OK")),
         .s_client = accepted(text("Verify return code: 0 (ok)"))},
        // Nothing ever comes back: each client gives up on its own timeout.
        {.scenario = "net-blackhole",
         .host = "net-blackhole.tlsfault.test",
         .curl = {.args = {"-m", "2"}, .said = message("curl -m 2"), .outcome = "timeout", .expectation = "pass", .min_ms = 1900},
         .python = {.args = {"--timeout", "2"},
                    .said = message("python3 (timeout=2)"),
                    .outcome = "timeout",
                    .expectation = "pass",
                    .min_ms = 1900},
         .s_client = not_run()},  // s_client has no timeout of its own
        {.scenario = "net-latency",
         .host = "net-latency.tlsfault.test",
         .curl = accepted(text("< HTTP/1.1 200 OK"), "pass", {}, 400),
         .python = accepted(text("200 OK"), "pass", {}, 400),
         .s_client = accepted(text("Verify return code: 0 (ok)"), "pass", {}, 400)},
        {.scenario = "net-limit-data",
         .host = "net-limit-data.tlsfault.test",
         .curl = {.said = message("curl"), .outcome = "closed", .expectation = "pass"},
         .python = {.said = message("python3"), .outcome = "closed", .expectation = "pass"},
         .s_client = {.said = message("openssl s_client"), .outcome = "closed", .expectation = "pass"}},
        {.scenario = "net-reset",
         .host = "net-reset.tlsfault.test",
         .curl = {.said = message("curl"), .outcome = "reset", .expectation = "pass"},
         .python = {.said = message("python3"), .outcome = "reset", .expectation = "pass"},
         .s_client = {.said = message("openssl s_client"), .outcome = "reset", .expectation = "pass"}},
        {.scenario = "net-slicer",
         .host = "net-slicer.tlsfault.test",
         .curl = accepted(text("< HTTP/1.1 200 OK")),
         .python = accepted(text("200 OK")),
         .s_client = accepted(text("Verify return code: 0 (ok)"))},
        {.scenario = "net-slow-close",
         .host = "net-slow-close.tlsfault.test",
         .curl = accepted(text("< HTTP/1.1 200 OK")),
         .python = accepted(text("200 OK")),
         .s_client = accepted(text("Verify return code: 0 (ok)"))},
    };
    return rows;
}

const std::vector<Row>& http_rows() {
    static const std::vector<Row> rows = {
        {.scenario = "http-500",
         .host = "http-500.tlsfault.test",
         .curl = accepted(message("curl -f"), "pass", {"-f"}),
         .python = accepted(message("python3")),
         .s_client = not_run()},
        // Two 503s, then 200: each client retries on its own engine (attempts count per client address).
        {.scenario = "http-503-then-ok",
         .host = "http-503-then-ok.tlsfault.test",
         .curl = accepted(message("curl --retry 3 --retry-all-errors"), "pass", {"--retry", "3", "--retry-all-errors"}, 2000),
         .python = accepted(text("503 Service Unavailable (retrying)"), "pass", {"--retries", "3"}, 2000),
         .s_client = not_run(),
         .engine_per_client = true},
        {.scenario = "http-abort-mid-response",
         .host = "http-abort-mid-response.tlsfault.test",
         .curl = accepted(message("curl")),
         .python = accepted(message("python3")),
         .s_client = not_run()},
        {.scenario = "http-malformed-chunk",
         .host = "http-malformed-chunk.tlsfault.test",
         .curl = accepted(message("curl")),
         .python = accepted(message("python3")),
         .s_client = not_run()},
        {.scenario = "http-slow-response",
         .host = "http-slow-response.tlsfault.test",
         .curl = accepted(message("curl -m 5"), "pass", {"-m", "2"}, 1900),
         .python = accepted(message("python3 (timeout=2)"), "pass", {"--timeout", "2"}, 1900),
         .s_client = not_run()},
        {.scenario = "http-truncated-body",
         .host = "http-truncated-body.tlsfault.test",
         .curl = accepted(message("curl")),
         .python = accepted(message("python3")),
         .s_client = not_run()},
    };
    return rows;
}

TEST_CASE("catalogue sweep: http") {
    for (const auto& row : http_rows()) {
        CAPTURE(row.scenario);
        run_row(row);
    }
}

TEST_CASE("catalogue sweep: network (tcp faults)") {
    for (const auto& row : network_rows()) {
        CAPTURE(row.scenario);
        run_row(row);
    }
}

}  // namespace tlsfault::test::sweep
