// The error model, and JSON body reading as an answer (the reading itself: request_bodies.cpp).
#include "proxy/api/api_json.hpp"
#include "proxy/api/request_bodies.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>

namespace tlsfault::proxy {
namespace json = boost::json;

ApiReply error_reply(int status, const std::string& message, const std::string& field) { return error_reply(status, message, field, {}); }

ApiReply error_reply(int status, const std::string& message, const std::string& field, json::object extra) {
    json::object body{{"error", message}};
    if (!field.empty()) body["field"] = field;
    for (auto& [key, value] : extra) body[key] = value;
    return json_reply(body, status);
}

ApiReply json_reply(const json::value& value, int status) {
    ApiReply reply;
    reply.status = status;
    reply.body = json::serialize(value);
    reply.body += '\n';
    return reply;
}

std::optional<json::object> parse_json_body(const ApiCall& call, ApiReply& error) {
    BodyProblem problem;
    auto body = parse_json_object(call.request.body(), problem);
    if (!body) error = error_reply(400, problem.message, problem.field);
    return body;
}

bool query_number(const ApiCall& call, const std::string& key, std::uint64_t& out, ApiReply& error) {
    auto it = call.query.find(key);
    if (it == call.query.end()) return true;
    const std::string& text = it->second;
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        error = error_reply(400, key + "=" + text + ": expected a non-negative integer", key);
        return false;
    }
    out = value;
    return true;
}

}  // namespace tlsfault::proxy
