// The human view: one readable line per finished connection, e.g.
// "#7 127.0.0.1:50312 sni expired.tlsfault.test [expired] -> alert certificate_expired (handshake, 4.1 ms)".
#pragma once

#include <cstdio>
#include <mutex>
#include <span>
#include <string>

namespace tlsfault::proxy {

/// What the console line of one connection says.
struct ConnectionSummary {
    std::uint64_t id = 0;
    std::string peer;
    std::string listener;
    std::string host;
    std::string profile;
    std::string outcome;
    std::string detail;  ///< alert name or reason
    std::string phase;
    std::string request;      ///< "GET /path -> 200", every answered request in order ("..., GET /path -> 200")
    std::string note;         ///< a remark, e.g. why a request was not forwarded
    std::string expectation;  ///< "expect pass: rejected with certificate_unknown" when a rule judged it
    double elapsed_ms = 0;
};

class ConsoleView {
public:
    /// `out` nullptr: silent.
    explicit ConsoleView(std::FILE* out) : out_(out) {}
    /// Prints `text` as one line: control characters escaped (\xNN), cut at 8 KiB.
    void line(const std::string& text);
    /// Prints every text as one line (as line() does) in a single write, so a reader of the
    /// console sees the block whole or not at all (the start-up banner).
    void lines(std::span<const std::string> texts);
    /// False when silent (--quiet): the line need not be built.
    bool shown() const { return out_ != nullptr; }

private:
    std::mutex mutex_;
    std::FILE* out_;
};

/// The line printed for `summary` (without newline); separate for testing.
std::string format_summary(const ConnectionSummary& summary);

}  // namespace tlsfault::proxy
