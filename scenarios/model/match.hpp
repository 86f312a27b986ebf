// `match`: which connections and requests a rule applies to. Connection-level conditions
// (host, port, listener, JA3, attempt) are known after the ClientHello; request-level ones
// (method, path, query, headers, client certificate) only once a request has been read.
#pragma once

#include "scenarios/model/glob.hpp"
#include "scenarios/model/listener_kind.hpp"
#include "scenarios/model/yaml_reader.hpp"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace re2 {
class RE2;
}

namespace tlsfault::scenarios {

/// What is known about a connection once its ClientHello has been read.
struct ConnectionFacts {
    std::string host;        ///< SNI, else the CONNECT host, else the listener's address
    std::uint16_t port = 0;  ///< the port the client asked for (CONNECT port, or the listener's port)
    ListenerKind listener = ListenerKind::proxy;
    std::string client;         ///< the client's address without the port: the attempt key
    std::string ja3;            ///< the JA3 fingerprint (32 lower-case hex digits), empty if unknown
    std::uint64_t attempt = 1;  ///< the attempt number (1-based) for this client and host
};

/// What is known about one HTTP request on that connection.
struct RequestFacts {
    std::string method;
    std::string path;   ///< without the query
    std::string query;  ///< without the '?', raw (not decoded)
    std::vector<std::pair<std::string, std::string>> headers;
    bool client_cert_presented = false;
    bool client_cert_valid = false;  ///< presented and verified against client_cert.verify_ca
};

/// A path condition: a glob (the default) or an RE2 regex (searched, anchor it yourself).
/// RE2 runs in time linear in the path and with bounded stack, whatever the pattern; the
/// pattern is compiled once, when the scenario loads.
struct PathPattern {
    /// A path this long or longer never matches a regex (a client controls the path's length;
    /// the 64 KiB header limit alone would allow ~64 KB). Documented in docs/scenarios.md.
    static constexpr std::size_t regex_input_limit = 16 * 1024;

    std::optional<Glob> glob;
    std::shared_ptr<const re2::RE2> regex;
    std::string source;  ///< as written
    bool matches(const std::string& path) const;
};

struct HeaderCondition {
    std::string name;  ///< compared case-insensitively
    Glob value;
};

/// attempt: 3, "1-3", "4+": inclusive.
struct AttemptRange {
    std::uint64_t first = 1;
    std::uint64_t last = std::numeric_limits<std::uint64_t>::max();
    bool contains(std::uint64_t n) const { return n >= first && n <= last; }
};

/// Every condition is optional; all given ones must hold. Lists mean "any of".
struct Match {
    std::vector<Glob> hosts;
    std::vector<std::uint16_t> ports;
    std::vector<ListenerKind> listeners;
    std::vector<std::string> methods;
    std::optional<PathPattern> path;
    std::optional<Glob> query;
    std::vector<HeaderCondition> headers;
    std::optional<bool> client_cert_presented;
    std::optional<bool> client_cert_valid;
    std::vector<std::string> ja3;
    std::optional<AttemptRange> attempt;

    /// True when some condition can only be decided from an HTTP request.
    bool needs_request() const;
    /// The connection-level conditions hold (request-level ones are not looked at).
    bool matches_connection(const ConnectionFacts& facts) const;
    /// The request-level conditions hold.
    bool matches_request(const RequestFacts& facts) const;
};

Match parse_match(const YAML::Node& node, const std::string& path, Diagnostics& diag);

}  // namespace tlsfault::scenarios
