// A doctest-friendly fixture that runs tlsfault for one test and drives it through its control
// API over plain HTTP (Beast): activate a scenario, then wait for the verdict tlsfault recorded
// for the connection your client made. Every listener is on a free loopback port (port 0,
// read back from the `listen` events); the engine is stopped by its PID in the destructor.
#pragma once

#include "common/child_process.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace tlsfault_example {

/// An API answer: HTTP status and decoded JSON.
struct ApiReply {
    int status = 0;
    boost::json::value body;
};

class Tlsfault {
public:
    /// Starts `binary run` in a fresh temporary directory (its own lab CA); throws
    /// std::runtime_error when it does not listen within 20 s.
    explicit Tlsfault(const std::string& binary);
    ~Tlsfault();

    /// One API call under /api/v1/ (5 s send/receive timeouts).
    ApiReply api(const std::string& method, const std::string& path, const std::string& json_body = {}) const;

    /// Adds a scenario to the active set, restarts its attempt counts, and marks: wait_verdict
    /// then only looks at connections that start afterwards. Throws when tlsfault refuses.
    void activate(const std::string& scenario);
    void deactivate(const std::string& scenario);
    /// Adds a runtime fault (POST faults) from its JSON body, e.g.
    /// `{"host":"good.tlsfault.test","tls":{"alert":"handshake_failure"}}`; returns its id; marks.
    std::string add_fault(const std::string& json_body);
    void remove_fault(const std::string& id);
    /// The connection record (verdict, expectation, certificate, ...) of the newest connection
    /// to `host` since the last mark, once complete; throws after `timeout` (HTTP 408).
    boost::json::object wait_verdict(const std::string& host, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

    std::string ca_path() const { return dir_ + "/state/ca/root.pem"; }
    int sni_port() const { return sni_port_; }
    int proxy_port() const { return proxy_port_; }
    std::string proxy_url() const { return "http://127.0.0.1:" + std::to_string(proxy_port_); }

private:
    void mark();
    std::string dir_;
    std::string token_;
    std::unique_ptr<tlsfault::common::BackgroundChild> engine_;
    int proxy_port_ = 0, sni_port_ = 0, api_port_ = 0;
    long since_ = 0;
};

}  // namespace tlsfault_example
