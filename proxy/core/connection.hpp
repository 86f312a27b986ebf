// One client connection's record: its id, timings, the events it emits, its single verdict,
// and the console line written when it ends. A record only: whoever gives the verdict also
// tells the scenario's judge (proxy/session/scenario_session), so nothing here calls back.
#pragma once

#include "scenarios/model/listener_kind.hpp"
#include "proxy/events/console_view.hpp"
#include "proxy/events/event_log.hpp"
#include "proxy/core/verdict.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tlsfault::proxy {

using scenarios::ListenerKind;

class Connection {
public:
    Connection(EventLog& log, ConsoleView& console, ListenerKind listener, std::string peer, std::string local);
    /// Records a verdict if none was given (a connection torn down at shutdown: `aborted` in the
    /// phase set last), then the close event.
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    std::uint64_t id() const { return id_; }
    ListenerKind listener() const { return listener_; }
    const std::string& peer() const { return summary_.peer; }
    /// Milliseconds since accept.
    double elapsed_ms() const;

    /// A new event line for this connection.
    JsonLine event(std::string_view name) const { return JsonLine(id_, name, !log_.listened()); }
    /// False when no sink reads events (their lines are muted): what only an event shows need not be computed.
    bool events_read() const { return log_.listened(); }
    void emit(const JsonLine& line) { log_.write(line); }

    /// The first call records and emits the verdict; later calls are ignored (exactly one).
    void verdict(const Verdict& v);
    bool has_verdict() const { return verdict_.has_value(); }
    /// The verdict recorded, or null before the first call.
    const Verdict* recorded_verdict() const { return verdict_ ? &*verdict_ : nullptr; }
    /// The verdict of a connection that ends without one: `aborted` in the phase set last, with
    /// the close reason (what the destructor records).
    Verdict teardown_verdict() const;

    /// The phase the connection is in now: what a verdict given at teardown names.
    void set_phase(Phase phase) { phase_ = phase; }
    void set_host(std::string host, std::string profile);
    /// One answered request for the console line ("GET /x -> 503"): every one is shown, in order
    /// (the first `max_console_requests`, then how many more), so a 503, 503, 200 keep-alive
    /// sequence is not shown as the last 200 alone.
    void note_request(std::string_view method, std::string_view target, int status);
    /// The request being served, shown only when no answered request was noted (a fault ended it).
    void note_pending_request(std::string text) { pending_request_ = std::move(text); }
    static constexpr std::size_t max_console_requests = 10;
    /// A remark for the console line ("not forwarded: ... named by scenario ..."); the first one stays.
    void set_note(std::string note) {
        if (summary_.note.empty()) summary_.note = std::move(note);
    }
    bool has_note() const { return !summary_.note.empty(); }
    /// The judged expectation for the console line ("expect fail: does not check revocation").
    void note_expectation(std::string text) { summary_.expectation = std::move(text); }
    void set_close_reason(std::string reason) { close_reason_ = std::move(reason); }
    /// The session reset its socket on purpose (http.abort_after). A tcp-fault splice between it
    /// and the client passes that on as a reset: its local socket pair cannot carry one.
    void mark_reset_by_session() { reset_by_session_ = true; }
    bool reset_by_session() const { return reset_by_session_; }
    void add_bytes(std::uint64_t from_client, std::uint64_t to_client);

private:
    static std::atomic<std::uint64_t> next_id_;
    EventLog& log_;
    ConsoleView& console_;
    std::uint64_t id_;
    ListenerKind listener_;
    std::chrono::steady_clock::time_point start_;
    ConnectionSummary summary_;
    std::optional<Verdict> verdict_;
    Phase phase_ = Phase::client_hello;
    std::string close_reason_;
    bool reset_by_session_ = false;
    std::string pending_request_;
    std::size_t requests_noted_ = 0;
    std::uint64_t bytes_from_client_ = 0;
    std::uint64_t bytes_to_client_ = 0;
};

}  // namespace tlsfault::proxy
