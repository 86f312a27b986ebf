// The hardening tests' helpers: raw clients and checks (see hardening_helpers.hpp).
#include "tests/integration/hardening/hardening_helpers.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace tlsfault::test {
namespace {

std::string hex(const std::string& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

}  // namespace

ProcessResult send_hostile_hello(int port, const std::string& sni) {
    return run_process({"python3", HARDENING_TEST_DIR "/raw_client.py", "hello", std::to_string(port), hex(sni)}, std::chrono::seconds(20));
}

std::string check_event_log_json(const RunningEngine& engine) {
    auto r = run_process({"python3", HARDENING_TEST_DIR "/check_json_lines.py", engine.dir() / "events.jsonl"});
    auto text = r.all();
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

std::string raw_exchange(int port, const std::string& request, std::chrono::milliseconds deadline) {
    int fd = connect_loopback(port);
    if (fd < 0) return {};
    send_all(fd, request);
    auto reply = read_until_close(fd, deadline);
    close(fd);
    return reply;
}

std::string wait_for_text(const std::function<std::string()>& read, const std::string& needle) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    for (;;) {
        auto text = read();
        if (text.find(needle) != std::string::npos || std::chrono::steady_clock::now() >= end) return text;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // poll interval, not a synchronisation guess
    }
}

std::string read_whole_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

int first_status(const std::string& reply) {
    if (reply.rfind("HTTP/1.", 0) != 0 || reply.size() < 12) return 0;
    return std::atoi(reply.substr(9, 3).c_str());
}

RecordingUpstream::RecordingUpstream() {
    process_ = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{"python3", HARDENING_TEST_DIR "/recording_upstream.py", dir_ / "received.bin"}, dir_ / "upstream.log");
    port_ = wait_for_port_line(*process_, dir_ / "upstream.log");
    if (port_ == 0) FAIL("recording upstream did not start");
}

std::string RecordingUpstream::received() const { return read_whole_file(dir_ / "received.bin"); }

}  // namespace tlsfault::test
