// Counting and rendering. Labels come from event fields, so their values are the names the
// event log uses (docs/events.md).
#include "proxy/api/metrics.hpp"

#include <cstdio>

namespace tlsfault::proxy {
namespace json = boost::json;
namespace {

std::string text_of(const json::object& event, const char* key) {
    const auto* v = event.if_contains(key);
    if (!v) return {};
    if (v->is_string()) return std::string(v->as_string());
    if (v->is_int64()) return std::to_string(v->as_int64());
    if (v->is_uint64()) return std::to_string(v->as_uint64());
    return {};
}

double number_of(const json::object& event, const char* key) {
    const auto* v = event.if_contains(key);
    return v && v->is_number() ? v->to_number<double>() : 0.0;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

std::string number(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

}  // namespace

std::string prometheus_label(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

void MetricCounters::fold(const json::object& event) {
    const std::string name = text_of(event, "event");
    if (name == "accept") {
        ++connections_[text_of(event, "listener")];
    } else if (name == "verdict") {
        ++verdicts_[{text_of(event, "outcome"), text_of(event, "alert")}];
        const double seconds = number_of(event, "elapsed_ms") / 1000.0;
        for (std::size_t i = 0; i < buckets.size(); ++i)
            if (seconds <= buckets[i]) ++duration_buckets_[i];
        ++duration_count_;
        duration_sum_ += seconds;
    } else if (name == "expectation") {
        ++expectations_[text_of(event, "result")];
    } else if (name == "close") {
        bytes_from_client_ += static_cast<std::uint64_t>(number_of(event, "bytes_from_client"));
        bytes_to_client_ += static_cast<std::uint64_t>(number_of(event, "bytes_to_client"));
    } else if (name == "revocation") {
        ++revocation_[{text_of(event, "resource").empty() ? "unknown" : text_of(event, "resource"), text_of(event, "answered")}];
    }
}

std::string MetricCounters::render() const {
    std::string out;
    header(out, "tlsfault_connections_total", "counter", "Connections accepted, by listener.");
    for (const auto& [listener, n] : connections_)
        out += "tlsfault_connections_total{listener=\"" + prometheus_label(listener) + "\"} " + std::to_string(n) + "\n";
    header(out, "tlsfault_verdicts_total", "counter", "Verdicts by outcome and the alert the client sent (empty when none).");
    for (const auto& [key, n] : verdicts_)
        out += "tlsfault_verdicts_total{outcome=\"" + prometheus_label(key.first) + "\",alert=\"" + prometheus_label(key.second) + "\"} " +
               std::to_string(n) + "\n";
    header(out, "tlsfault_expectations_total", "counter", "Scenario expectations judged, by result (pass, fail).");
    for (const auto& [result, n] : expectations_)
        out += "tlsfault_expectations_total{result=\"" + prometheus_label(result) + "\"} " + std::to_string(n) + "\n";
    header(out, "tlsfault_handshake_duration_seconds", "histogram", "Time from accept to the verdict (ClientHello and handshake).");
    for (std::size_t i = 0; i < buckets.size(); ++i)
        out +=
            "tlsfault_handshake_duration_seconds_bucket{le=\"" + number(buckets[i]) + "\"} " + std::to_string(duration_buckets_[i]) + "\n";
    out += "tlsfault_handshake_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(duration_count_) + "\n";
    out += "tlsfault_handshake_duration_seconds_sum " + number(duration_sum_) + "\n";
    out += "tlsfault_handshake_duration_seconds_count " + std::to_string(duration_count_) + "\n";
    header(out, "tlsfault_bytes_relayed_total", "counter", "Body bytes relayed or served (closed connections), by direction.");
    out += "tlsfault_bytes_relayed_total{direction=\"from_client\"} " + std::to_string(bytes_from_client_) + "\n";
    out += "tlsfault_bytes_relayed_total{direction=\"to_client\"} " + std::to_string(bytes_to_client_) + "\n";
    header(out, "tlsfault_revocation_fetches_total", "counter", "CRL/OCSP/CA fetches on the revocation listener, by kind and answer.");
    for (const auto& [key, n] : revocation_)
        out += "tlsfault_revocation_fetches_total{kind=\"" + prometheus_label(key.first) + "\",result=\"" + prometheus_label(key.second) +
               "\"} " + std::to_string(n) + "\n";
    return out;
}

}  // namespace tlsfault::proxy
