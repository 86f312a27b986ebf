// `http`: the answer a rule gives to a request — a status with an exact reason phrase, headers
// and body, optionally delayed or broken on purpose — or "forward it upstream".
#pragma once

#include "scenarios/model/named_file.hpp"
#include "scenarios/model/yaml_reader.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tlsfault::scenarios {

struct HttpAction {
    bool forward = false;  ///< relay the request upstream instead of answering (the rest is unset)

    int status = 200;
    std::string reason;  ///< sent byte for byte ("CMGConnector_Forbidden"); default: the standard phrase
    std::vector<std::pair<std::string, std::string>> headers;  ///< in file order, sent as written
    std::string body;                                          ///< inline body
    std::optional<NamedFile> body_file;                        ///< or the body from this file, read when the scenario loaded
    std::chrono::milliseconds delay{0};                        ///< wait before the status line

    /// Break the response on purpose (at most one):
    std::optional<std::uint64_t> abort_after;    ///< reset the connection after this many body bytes
    std::optional<std::uint64_t> truncate_body;  ///< Content-Length of the whole body, send only this many bytes, FIN
    bool malformed_chunk = false;                ///< chunked encoding whose second chunk-size line is not hex
    /// Send `X-Tlsfault-Connection: <id>` (so a test finds its connection); false for a byte-exact
    /// copy of a real server's answer.
    bool connection_header = true;

    /// The body to send: the file's bytes (read at load), else the inline body.
    const std::string& body_bytes() const { return body_file ? *body_file->bytes : body; }
};

/// The standard reason phrase for `status` ("Forbidden"), or "" when unknown.
std::string_view standard_reason(int status);

/// `http: forward` or a mapping. `status` is required unless forwarding.
std::optional<HttpAction> parse_http_action(const YAML::Node& node, const std::string& path, Diagnostics& diag);

}  // namespace tlsfault::scenarios
