// Calling the control API from tests: curl (a real HTTP client) with the engine's token, the
// answer's status and body, the body parsed with Boost.JSON.
#pragma once

#include "tests/integration/engine/engine_fixture.hpp"

#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace tlsfault::test {

struct ApiAnswer {
    int status = 0;
    std::string body;
    boost::json::value json;                 ///< null when the body is not JSON
    std::string str(const char* key) const;  ///< a top-level string member, "" when absent
};

struct ApiOptions {
    std::string body;                  ///< sent with Content-Type: application/json when not empty
    std::optional<std::string> token;  ///< default: the engine's generated token; "" sends none
    std::vector<std::string> curl_args;
};

/// `method` `path` (e.g. "/api/v1/active") on the engine's API listener.
ApiAnswer api(const RunningEngine& engine, const std::string& method, const std::string& path, const ApiOptions& options = {});

/// PUT active with one inline scenario YAML text (and nothing else).
ApiAnswer put_inline_yaml(const RunningEngine& engine, const std::string& yaml);

/// A whole file's text ("" when it cannot be read).
std::string file_text(const std::string& path);

/// GET connections/wait for `host` (and `since`), up to `timeout`: the record, or fails the test.
boost::json::object wait_connection(const RunningEngine& engine, const std::string& host, std::uint64_t since = 0,
                                    const std::string& timeout = "15s");

/// A nested string member ("verdict", "alert"), "" when absent.
std::string member(const boost::json::value& v, std::initializer_list<const char*> path);

/// curl https://`host`/ through the SNI listener, trusting the lab root.
ProcessResult curl_host(const RunningEngine& engine, const std::string& host, std::vector<std::string> extra = {});

}  // namespace tlsfault::test
