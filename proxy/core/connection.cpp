// Connection records: ids are process-wide and start at 1 so that "conn" is never 0 in the log.
#include "proxy/core/connection.hpp"

#include "proxy/core/memory_release.hpp"

namespace tlsfault::proxy {

std::atomic<std::uint64_t> Connection::next_id_{1};

Connection::Connection(EventLog& log, ConsoleView& console, ListenerKind listener, std::string peer, std::string local)
    : log_(log), console_(console), id_(next_id_++), listener_(listener), start_(std::chrono::steady_clock::now()) {
    connection_opened();
    summary_.id = id_;
    summary_.listener = std::string(to_string(listener));
    summary_.peer = peer;
    emit(event("accept").add("listener", summary_.listener).add("peer", peer).add("local", local));
}

Connection::~Connection() {
    if (!verdict_) verdict(teardown_verdict());
    summary_.elapsed_ms = elapsed_ms();
    if (summary_.request.empty()) summary_.request = pending_request_;
    if (requests_noted_ > max_console_requests)
        summary_.request += " (+" + std::to_string(requests_noted_ - max_console_requests) + " more)";
    auto line = event("close");
    // The console line goes into the close event too, so a reader of the log (the repro
    // bundle's README) shows exactly what the console printed. Built only when read.
    const std::string console_line = line.muted() && !console_.shown() ? std::string() : format_summary(summary_);
    line.add("duration_ms", summary_.elapsed_ms)
        .add("bytes_from_client", bytes_from_client_)
        .add("bytes_to_client", bytes_to_client_);  // bodies and tunnelled bytes; not headers
    if (!close_reason_.empty()) line.add("reason", close_reason_);
    line.add("summary", console_line);
    if (console_.shown()) console_.line(console_line);  // before the event: its reader finds the line there
    emit(line);
    connection_closed();
}

Verdict Connection::teardown_verdict() const {
    Verdict v;
    v.outcome = Outcome::aborted;
    v.phase = phase_;
    v.reason = close_reason_.empty() ? "connection ended before a verdict" : close_reason_;
    return v;
}

double Connection::elapsed_ms() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
}

void Connection::verdict(const Verdict& v) {
    if (verdict_) return;
    verdict_ = v;
    auto line = event("verdict");
    line.add("outcome", to_string(v.outcome)).add("phase", to_string(v.phase)).add("elapsed_ms", elapsed_ms());
    if (v.alert) line.add("alert", alert_text(*v.alert));
    if (v.sent_alert) line.add("sent_alert", alert_text(*v.sent_alert));
    if (!v.reason.empty()) line.add("reason", v.reason);
    if (!summary_.host.empty()) line.add("host", summary_.host);
    if (!summary_.profile.empty()) line.add("profile", summary_.profile);
    emit(line);
    summary_.outcome = std::string(to_string(v.outcome));
    summary_.phase = std::string(to_string(v.phase));
    summary_.detail = v.alert ? alert_text(*v.alert) : v.sent_alert ? "sent " + alert_text(*v.sent_alert) + ": " + v.reason : v.reason;
}

void Connection::set_host(std::string host, std::string profile) {
    summary_.host = std::move(host);
    summary_.profile = std::move(profile);
}

void Connection::note_request(std::string_view method, std::string_view target, int status) {
    if (++requests_noted_ > max_console_requests) return;  // before any string is built: a kept-alive client sends thousands
    if (!summary_.request.empty()) summary_.request += ", ";
    summary_.request.append(method).append(" ").append(target).append(" -> ").append(std::to_string(status));
}

void Connection::add_bytes(std::uint64_t from_client, std::uint64_t to_client) {
    bytes_from_client_ += from_client;
    bytes_to_client_ += to_client;
}

}  // namespace tlsfault::proxy
