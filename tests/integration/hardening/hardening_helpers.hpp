// Shared by the hardening tests: hostile raw clients (tests/integration/hardening/raw_client.py),
// the strict JSON check of an event log, and a plain-HTTP exchange on a raw socket.
#pragma once

#include "tests/integration/engine/engine_fixture.hpp"

#include <functional>
#include <string>

namespace tlsfault::test {

/// Sends a ClientHello whose server_name is exactly `sni` (any bytes) to 127.0.0.1:`port` and
/// reads the answer until the server closes (10 s at most).
ProcessResult send_hostile_hello(int port, const std::string& sni);

/// Runs python3's strict json.loads on every line of the engine's event log: "OK" or the first
/// bad line and why.
std::string check_event_log_json(const RunningEngine& engine);

/// Sends `request` on a fresh connection to 127.0.0.1:`port` and returns everything read until
/// the server closes or `deadline` passes.
std::string raw_exchange(int port, const std::string& request, std::chrono::milliseconds deadline = std::chrono::seconds(10));

/// Calls `read` until what it returns contains `needle` (15 s at most); returns the last text read.
std::string wait_for_text(const std::function<std::string()>& read, const std::string& needle);

/// The whole file at `path` ("" when it cannot be read).
std::string read_whole_file(const std::string& path);

/// The status code of the first HTTP response in `reply` (0 when there is none).
int first_status(const std::string& reply);

/// The plain-HTTP upstream of recording_upstream.py: every byte it receives is appended to a file.
class RecordingUpstream {
public:
    RecordingUpstream();
    int port() const { return port_; }
    /// Every byte received so far, from every connection.
    std::string received() const;

private:
    TempDir dir_;
    std::unique_ptr<BackgroundProcess> process_;
    int port_ = 0;
};

}  // namespace tlsfault::test
