// Starting and stopping the engine `check` drives. Waiting is on the event log's `listen`
// events (with a deadline), never a guess; the child is ended by its PID.
#include "cli/check/own_engine.hpp"

#include <boost/json.hpp>
#include <openssl/rand.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace tlsfault::cli::check {
namespace {

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

std::string own_executable() {
    std::error_code ec;
    auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("tlsfault") : path.string();
}

std::string random_token() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

void read_listen_ports(const std::string& json_lines, int& proxy_port, int& sni_port, int& api_port) {
    std::istringstream in(json_lines);
    for (std::string line; std::getline(in, line);) {
        if (line.find("\"listen\"") == std::string::npos) continue;
        boost::system::error_code ec;
        auto value = boost::json::parse(line, ec);
        if (ec || !value.is_object()) continue;  // a line still being written
        const auto& event = value.as_object();
        if (!event.contains("event") || event.at("event") != "listen" || !event.contains("port")) continue;
        const auto listener = boost::json::value_to<std::string>(event.at("listener"));
        const int port = static_cast<int>(event.at("port").to_number<double>());
        if (listener == "proxy") proxy_port = port;
        if (listener == "sni") sni_port = port;
        if (listener == "api") api_port = port;
    }
}

OwnEngine::OwnEngine(const std::filesystem::path& state_dir, std::chrono::milliseconds startup) {
    std::string templ = (std::filesystem::temp_directory_path() / "tlsfault-check-XXXXXX").string();
    if (!mkdtemp(templ.data())) throw std::runtime_error("cannot create a temporary directory");
    dir_ = templ;
    endpoints_.api_token = random_token();
    std::vector<std::string> argv = {own_executable(),  "run",          "--events",     events_file().string(), "--quiet",
                                     "--proxy-listen",  "127.0.0.1:0",  "--sni-listen", "127.0.0.1:0",          "--revocation-listen",
                                     "127.0.0.1:0",     "--api-listen", "127.0.0.1:0",  "--api-token",          endpoints_.api_token,
                                     "--upstream-mode", "origin"};
    if (!state_dir.empty()) argv.insert(argv.end(), {"--state-dir", state_dir.string()});
    child_ = std::make_unique<common::BackgroundChild>(argv, (dir_ / "console.log").string());
    wait_for_listeners(startup);
}

void OwnEngine::wait_for_listeners(std::chrono::milliseconds startup) {
    const auto end = std::chrono::steady_clock::now() + startup;
    int api_port = 0;
    while (std::chrono::steady_clock::now() < end && child_->running()) {
        read_listen_ports(read_text(events_file()), endpoints_.proxy_port, endpoints_.sni_port, api_port);
        if (endpoints_.proxy_port && endpoints_.sni_port && api_port) {
            endpoints_.api_url = "http://127.0.0.1:" + std::to_string(api_port);
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling a file the child writes
    }
    child_->stop();
    const auto console = read_text(dir_ / "console.log");
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);  // the destructor does not run for a throwing constructor
    throw std::runtime_error("the engine (tlsfault run) did not start its listeners; its output:\n" + console);
}

OwnEngine::~OwnEngine() {
    child_.reset();  // SIGTERM by PID, then SIGKILL after 5 s
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

}  // namespace tlsfault::cli::check
