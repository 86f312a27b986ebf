// Folding events into connection records. Each event kind fills its part of the record; the
// fields are the event's own (docs/events.md), so the API and the log never disagree.
#include "proxy/api/connection_store.hpp"

#include <boost/json/parse.hpp>

namespace tlsfault::proxy {
namespace json = boost::json;
namespace {

/// The event's fields without the envelope (time, conn, event).
json::object payload(const json::object& event) {
    json::object out;
    for (const auto& [key, value] : event)
        if (key != "time" && key != "conn" && key != "event") out.emplace(key, value);
    return out;
}

json::array& list_in(json::object& record, const char* key) {
    auto& slot = record[key];
    if (!slot.is_array()) slot = json::array();
    return slot.as_array();
}

void copy_if(json::object& to, const json::object& from, const char* key, const char* as = nullptr) {
    if (const auto* v = from.if_contains(key)) to[as ? as : key] = *v;
}

void fold_request(json::object& record, const json::object& event) {
    auto& requests = list_in(record, "requests");
    requests.push_back(payload(event));
    if (!record.contains("host")) copy_if(record, event, "host");
}

void fold_response(json::object& record, const json::object& event) {
    auto& requests = list_in(record, "requests");
    if (requests.empty() || requests.back().as_object().contains("status") || requests.back().as_object().contains("response"))
        requests.push_back(json::object{{"method", nullptr}});
    auto& last = requests.back().as_object();
    copy_if(last, event, "status");
    copy_if(last, event, "reason");
    copy_if(last, event, "source");
    last["response"] = payload(event);
}

void fold_rule(json::object& record, const json::object& event) {
    if (const auto* phase = event.if_contains("phase"); phase && *phase == "connection") {
        copy_if(record, event, "scenario");
        copy_if(record, event, "rule");
        copy_if(record, event, "attempt");
        if (event.contains("expect")) record["expectation_pending"] = true;
        return;
    }
    auto& requests = list_in(record, "requests");
    if (!requests.empty()) {
        auto& last = requests.back().as_object();
        copy_if(last, event, "scenario");
        copy_if(last, event, "rule");
    }
    if (!record.contains("scenario")) copy_if(record, event, "scenario");
}

void fold_verdict(json::object& record, const json::object& event) {
    record["verdict"] = payload(event);
    copy_if(record, event, "host");
    copy_if(record, event, "profile");
}

void fold_event(json::object& record, const std::string& name, const json::object& event) {
    if (name == "accept") {
        copy_if(record, event, "time");
        copy_if(record, event, "listener");
        copy_if(record, event, "peer");
        copy_if(record, event, "local");
    } else if (name == "client_hello") {
        record["client_hello"] = payload(event);
        copy_if(record, event, "sni");
        copy_if(record, event, "client_random");
        copy_if(record, event, "ja3_hash", "ja3");
        copy_if(record, event, "ja4");
    } else if (name == "certificate") {
        record["certificate"] = payload(event);
        copy_if(record, event, "host");
        copy_if(record, event, "profile");
    } else if (name == "verdict") {
        fold_verdict(record, event);
    } else if (name == "expectation") {
        record["expectation"] = payload(event);
    } else if (name == "rule") {
        fold_rule(record, event);
    } else if (name == "request") {
        fold_request(record, event);
    } else if (name == "response") {
        fold_response(record, event);
    } else if (name == "tls") {
        record["tls"] = payload(event);
    } else if (name == "revocation" || name == "revocation_end") {
        auto fetch = payload(event);
        fetch["event"] = name;
        list_in(record, "revocation").push_back(std::move(fetch));
    } else if (name == "fault" || name == "fault_fired" || name == "runtime_fault" || name == "client_cert" || name == "alpn") {
        auto fault = payload(event);
        fault["event"] = name;
        list_in(record, name == "client_cert" || name == "alpn" ? "tls_details" : "faults").push_back(std::move(fault));
    } else if (name == "close") {
        record["close"] = payload(event);
    } else {
        list_in(record, "other").push_back(event);  // anything added later still shows up
    }
}

bool text_equals(const json::object& record, const char* key, const std::string& want) {
    const auto* v = record.if_contains(key);
    return v && v->is_string() && v->as_string() == want;
}

}  // namespace

bool connection_complete(const json::object& record, bool closed) {
    if (!record.contains("verdict")) return false;
    if (closed && !record.contains("close")) return false;
    return !record.contains("expectation_pending") || record.contains("expectation");
}

void ConnectionStore::catch_up() {
    std::lock_guard lock(mutex_);
    for (const auto& event : feed_.since(folded_)) {
        folded_ = event.seq;
        boost::system::error_code ec;
        auto parsed = json::parse(event.line, ec);
        if (ec || !parsed.is_object()) continue;
        fold(parsed.as_object());
    }
}

void ConnectionStore::fold(const json::object& event) {
    metrics_.fold(event);
    const auto* conn = event.if_contains("conn");
    const auto* name = event.if_contains("event");
    if (!conn || !name || !name->is_string()) return;
    const auto id = conn->to_number<std::uint64_t>();
    if (!records_.empty() && id < records_.begin()->first && records_.size() >= capacity_) return;  // already dropped
    auto [it, fresh] = records_.try_emplace(id);
    if (fresh) it->second["id"] = id;
    fold_event(it->second, std::string(name->as_string()), event);
    while (records_.size() > capacity_) records_.erase(records_.begin());
}

bool ConnectionStore::matches(const json::object& record, const ConnectionFilter& filter) {
    if (record.at("id").to_number<std::uint64_t>() <= filter.since) return false;
    if (!filter.host.empty() && !text_equals(record, "host", filter.host) && !text_equals(record, "sni", filter.host)) return false;
    if (!filter.scenario.empty() && !text_equals(record, "scenario", filter.scenario)) return false;
    return true;
}

json::array ConnectionStore::list(const ConnectionFilter& filter, std::size_t limit) {
    catch_up();
    std::lock_guard lock(mutex_);
    json::array newest_first;
    for (auto it = records_.rbegin(); it != records_.rend() && newest_first.size() < limit; ++it)
        if (matches(it->second, filter)) newest_first.push_back(it->second);
    return json::array(newest_first.rbegin(), newest_first.rend());
}

std::optional<json::object> ConnectionStore::find(std::uint64_t id) {
    catch_up();
    std::lock_guard lock(mutex_);
    auto it = records_.find(id);
    if (it == records_.end()) return std::nullopt;
    return it->second;
}

std::optional<json::object> ConnectionStore::newest_complete(const ConnectionFilter& filter) {
    catch_up();
    std::lock_guard lock(mutex_);
    for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
        if (!matches(it->second, filter)) continue;
        if (connection_complete(it->second, filter.closed)) return it->second;
        return std::nullopt;  // the newest match is still running: wait for it, not an older one
    }
    return std::nullopt;
}

std::string ConnectionStore::metrics_text() {
    catch_up();
    std::lock_guard lock(mutex_);
    return metrics_.render();
}

std::uint64_t ConnectionStore::last_id() {
    catch_up();
    std::lock_guard lock(mutex_);
    return records_.empty() ? 0 : records_.rbegin()->first;
}

}  // namespace tlsfault::proxy
