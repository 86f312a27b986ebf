// The fixture's API calls are synchronous Beast over one short-lived TCP connection each, with
// socket timeouts so no call can hang a test.
#include "tlsfault_fixture.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <sys/socket.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace tlsfault_example {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

/// Bounds every blocking read and write on `socket` by `timeout`.
void set_timeouts(asio::ip::tcp::socket& socket, std::chrono::seconds timeout) {
    timeval tv{static_cast<time_t>(timeout.count()), 0};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

Tlsfault::Tlsfault(const std::string& binary) {
    std::string templ = (std::filesystem::temp_directory_path() / "tlsfault-example-XXXXXX").string();
    if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = templ;
    token_ = "example-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    engine_ = std::make_unique<tlsfault::common::BackgroundChild>(
        std::vector<std::string>{binary, "run", "--state-dir", dir_ + "/state", "--events", dir_ + "/events.jsonl", "--quiet",
                                 "--upstream-mode", "origin", "--api-token", token_, "--proxy-listen", "127.0.0.1:0", "--sni-listen",
                                 "127.0.0.1:0", "--revocation-listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0"},
        dir_ + "/console.log");
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < end && engine_->running() && !(proxy_port_ && sni_port_ && api_port_)) {
        std::istringstream lines(read_text(dir_ + "/events.jsonl"));
        for (std::string line; std::getline(lines, line);) {
            boost::system::error_code ec;
            auto event = json::parse(line, ec);
            if (ec || !event.is_object() || event.as_object().at("event") != "listen") continue;
            const auto listener = json::value_to<std::string>(event.at("listener"));
            const int port = static_cast<int>(event.at("port").to_number<int>());
            if (listener == "proxy") proxy_port_ = port;
            if (listener == "sni") sni_port_ = port;
            if (listener == "api") api_port_ = port;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling the file tlsfault writes
    }
    if (!(proxy_port_ && sni_port_ && api_port_)) throw std::runtime_error("tlsfault did not listen:\n" + read_text(dir_ + "/console.log"));
    mark();
}

Tlsfault::~Tlsfault() {
    engine_.reset();  // SIGTERM by PID (SIGKILL after 5 s)
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

ApiReply Tlsfault::api(const std::string& method, const std::string& path, const std::string& json_body) const {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(api_port_)});
    set_timeouts(socket, std::chrono::seconds(15));
    http::request<http::string_body> request{http::string_to_verb(method), "/api/v1/" + path, 11};
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::authorization, "Bearer " + token_);
    request.set(http::field::content_type, "application/json");
    request.body() = json_body;
    request.prepare_payload();
    http::write(socket, request);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    ApiReply reply{static_cast<int>(response.result_int()), {}};
    boost::system::error_code ec;
    reply.body = json::parse(response.body(), ec);
    return reply;
}

void Tlsfault::mark() { since_ = api("GET", "connections?limit=1").body.at("last_id").to_number<long>(); }

void Tlsfault::activate(const std::string& scenario) {
    auto reply = api("POST", "active/" + scenario);
    if (reply.status != 201) throw std::runtime_error("activate " + scenario + ": " + json::serialize(reply.body));
    api("POST", "reset");
    mark();
}

void Tlsfault::deactivate(const std::string& scenario) {
    auto reply = api("DELETE", "active/" + scenario);
    if (reply.status != 200) throw std::runtime_error("deactivate " + scenario + ": " + json::serialize(reply.body));
    mark();
}

std::string Tlsfault::add_fault(const std::string& json_body) {
    auto reply = api("POST", "faults", json_body);
    if (reply.status != 201) throw std::runtime_error("POST faults: " + json::serialize(reply.body));
    mark();
    return json::value_to<std::string>(reply.body.at("id"));
}

void Tlsfault::remove_fault(const std::string& id) {
    auto reply = api("DELETE", "faults/" + id);
    if (reply.status != 200) throw std::runtime_error("DELETE faults/" + id + ": " + json::serialize(reply.body));
    mark();
}

json::object Tlsfault::wait_verdict(const std::string& host, std::chrono::milliseconds timeout) const {
    auto reply = api(
        "GET", "connections/wait?host=" + host + "&since=" + std::to_string(since_) + "&timeout=" + std::to_string(timeout.count()) + "ms");
    if (reply.status != 200) throw std::runtime_error("no verdict for " + host + ": " + json::serialize(reply.body));
    return reply.body.as_object();
}

}  // namespace tlsfault_example
