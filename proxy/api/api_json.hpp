// JSON helpers for the control API: the error model (`{"error": "...", "field": "..."}`), JSON
// answers, and reading a JSON request body with errors that name the problem. Internal to proxy/api/.
#pragma once

#include "proxy/api/api_types.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace tlsfault::proxy {

/// An error answer: `{"error": message, "field": field}` (field left out when empty).
ApiReply error_reply(int status, const std::string& message, const std::string& field = {});
/// The same with extra members (e.g. `problems`).
ApiReply error_reply(int status, const std::string& message, const std::string& field, boost::json::object extra);

/// `value` serialized as the answer.
ApiReply json_reply(const boost::json::value& value, int status = 200);

/// The request body parsed as a JSON object; on failure `error` is set to a 400 naming where.
std::optional<boost::json::object> parse_json_body(const ApiCall& call, ApiReply& error);

/// Reads the non-negative integer query value `key` into `out` (left as is when absent); false,
/// with `error` set to a 400 naming it, when malformed.
bool query_number(const ApiCall& call, const std::string& key, std::uint64_t& out, ApiReply& error);

}  // namespace tlsfault::proxy
