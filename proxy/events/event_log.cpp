// Writing event lines under one mutex: lines from different connection threads never interleave.
#include "proxy/events/event_log.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tlsfault::proxy {

EventLog::EventLog(const std::string& path) {
    if (path.empty()) return;
    if (path == "-") {
        file_ = stdout;
        return;
    }
    file_ = std::fopen(path.c_str(), "w");
    if (!file_) throw std::runtime_error("--events " + path + ": cannot open for writing: " + std::strerror(errno));
}

EventLog::~EventLog() {
    if (file_ && file_ != stdout) std::fclose(file_);
    else if (file_) std::fflush(file_);
}

void EventLog::write(const JsonLine& line) {
    std::string text = line.str();
    std::lock_guard lock(mutex_);
    // Numbered under the log's lock, so the feed's order is the file's order.
    if (feed_) feed_->push(++seq_, text);
    if (!file_) return;
    text += '\n';
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() || std::fflush(file_) != 0) {
        std::fprintf(stderr, "tlsfault: event log write failed (%s); event logging stopped\n", std::strerror(errno));
        if (file_ != stdout) std::fclose(file_);
        file_ = nullptr;
    }
}

void EventLog::flush() {
    std::lock_guard lock(mutex_);
    if (file_) std::fflush(file_);
}

}  // namespace tlsfault::proxy
