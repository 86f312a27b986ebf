// Formatting the per-connection console line. Every field a client controls (host, request,
// reason) is escaped and cut (common/safe_text.hpp): a newline or ESC in an SNI must not print a
// forged verdict line or drive the terminal.
#include "proxy/events/console_view.hpp"

#include "common/safe_text.hpp"

namespace tlsfault::proxy {
namespace {

/// A whole console line: long enough for a summary whose fields are each capped.
constexpr std::size_t console_line_limit = 8 * logged_field_limit;

}  // namespace

std::string format_summary(const ConnectionSummary& s) {
    std::string text = "#" + std::to_string(s.id) + " " + printable(s.peer) + " " + printable(s.listener);
    if (!s.host.empty()) text += " " + printable(s.host);
    if (!s.profile.empty()) text += " [" + printable(s.profile) + "]";
    text += " -> " + s.outcome;
    if (!s.detail.empty()) text += " " + printable(s.detail);
    char timing[48];
    std::snprintf(timing, sizeof timing, "%.1f ms", s.elapsed_ms);
    text += " (" + (s.phase.empty() ? std::string() : s.phase + ", ") + timing + ")";
    if (!s.request.empty()) text += " " + printable(s.request, 4 * logged_field_limit);  // up to 10 requests
    if (!s.note.empty()) text += " [" + printable(s.note) + "]";
    if (!s.expectation.empty()) text += " {" + printable(s.expectation) + "}";
    return text;
}

void ConsoleView::line(const std::string& text) { lines({&text, 1}); }

void ConsoleView::lines(std::span<const std::string> texts) {
    if (!out_) return;
    std::string block;
    for (const auto& text : texts) block += printable(text, console_line_limit) + '\n';
    std::lock_guard lock(mutex_);
    std::fflush(out_);  // nothing of an earlier line may be left in the buffer
    std::fwrite(block.data(), 1, block.size(), out_);
    std::fflush(out_);
}

}  // namespace tlsfault::proxy
