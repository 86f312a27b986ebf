// Writing event lines under one mutex: lines from different connection threads never interleave.
#include "proxy/events/event_log.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tlsfault::proxy {

namespace {

/// Writes `text` whole and flushes; false on error.
bool write_whole(std::FILE* file, const std::string& text) {
    return std::fwrite(text.data(), 1, text.size(), file) == text.size() && std::fflush(file) == 0;
}

}  // namespace

EventLog::EventLog(const std::string& path, const std::string& copy_path) {
    if (path == "-") {
        file_ = stdout;
    } else if (!path.empty()) {
        file_ = std::fopen(path.c_str(), "w");
        if (!file_) throw std::runtime_error("--events " + path + ": cannot open for writing: " + std::strerror(errno));
    }
    update_listened();
    if (copy_path.empty()) return;
    copy_ = std::fopen(copy_path.c_str(), "w");
    update_listened();
    if (copy_) return;
    int error = errno;
    if (file_ && file_ != stdout) std::fclose(file_);
    throw std::runtime_error(copy_path + ": cannot open for writing: " + std::strerror(error));
}

EventLog::~EventLog() {
    if (copy_) std::fclose(copy_);
    if (file_ && file_ != stdout)
        std::fclose(file_);
    else if (file_)
        std::fflush(file_);
}

void EventLog::write(const JsonLine& line) {
    if (line.muted()) return;
    std::string text = line.str();
    std::lock_guard lock(mutex_);
    // Numbered under the log's lock, so the feed's order is the file's order.
    if (feed_) feed_->push(++seq_, text);
    text += '\n';
    if (copy_ && !write_whole(copy_, text)) {
        std::fprintf(stderr, "tlsfault: bundle event log write failed (%s); its event logging stopped\n", std::strerror(errno));
        std::fclose(copy_);
        copy_ = nullptr;
        update_listened();
    }
    if (!file_) return;
    if (!write_whole(file_, text)) {
        std::fprintf(stderr, "tlsfault: event log write failed (%s); event logging stopped\n", std::strerror(errno));
        if (file_ != stdout) std::fclose(file_);
        file_ = nullptr;
        update_listened();
    }
}

void EventLog::flush() {
    std::lock_guard lock(mutex_);
    if (file_) std::fflush(file_);
    if (copy_) std::fflush(copy_);
}

}  // namespace tlsfault::proxy
