// Formatting the per-connection console line.
#include "proxy/events/console_view.hpp"

namespace tlsfault::proxy {

std::string format_summary(const ConnectionSummary& s) {
    std::string text = "#" + std::to_string(s.id) + " " + s.peer + " " + s.listener;
    if (!s.host.empty()) text += " " + s.host;
    if (!s.profile.empty()) text += " [" + s.profile + "]";
    text += " -> " + s.outcome;
    if (!s.detail.empty()) text += " " + s.detail;
    char timing[48];
    std::snprintf(timing, sizeof timing, "%.1f ms", s.elapsed_ms);
    text += " (" + (s.phase.empty() ? std::string() : s.phase + ", ") + timing + ")";
    if (!s.request.empty()) text += " " + s.request;
    if (!s.note.empty()) text += " [" + s.note + "]";
    return text;
}

void ConsoleView::connection_finished(const ConnectionSummary& summary) { line(format_summary(summary)); }

void ConsoleView::line(const std::string& text) {
    if (!out_) return;
    std::lock_guard lock(mutex_);
    std::fprintf(out_, "%s\n", text.c_str());
    std::fflush(out_);
}

}  // namespace tlsfault::proxy
