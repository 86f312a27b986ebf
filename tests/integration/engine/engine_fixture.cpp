// The engine fixture. Waiting is always on an observable fact (a line in the event log, a
// process state) with a deadline; the short poll interval is not a synchronisation guess.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace tlsfault::test {
namespace {

void poll_pause() { std::this_thread::sleep_for(std::chrono::milliseconds(20)); }

}  // namespace

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string json_field(const std::string& line, const std::string& key) {
    auto at = line.find("\"" + key + "\":");
    if (at == std::string::npos) return {};
    at += key.size() + 3;
    if (at < line.size() && line[at] == '"') {
        auto end = line.find('"', at + 1);
        while (end != std::string::npos && line[end - 1] == '\\') end = line.find('"', end + 1);
        return line.substr(at + 1, end - at - 1);
    }
    auto end = line.find_first_of(",}", at);
    return line.substr(at, end - at);
}

RunningEngine::RunningEngine(std::vector<std::string> extra_args, const std::string& binary, std::vector<std::string> launcher) {
    std::vector<std::string> argv = {
        binary.empty() ? tlsfault_binary() : binary, "run", "--state-dir", dir_ / "state", "--events", dir_ / "events.jsonl"};
    bool has_proxy = false, has_sni = false, has_revocation = false, has_api = false;
    for (const auto& a : extra_args) {
        has_api |= a == "--api-listen";
        has_proxy |= a == "--proxy-listen";
        has_sni |= a == "--sni-listen";
        has_revocation |= a == "--revocation-listen";
    }
    if (!has_proxy) argv.insert(argv.end(), {"--proxy-listen", "127.0.0.1:0"});
    if (!has_sni) argv.insert(argv.end(), {"--sni-listen", "127.0.0.1:0"});
    if (!has_revocation) argv.insert(argv.end(), {"--revocation-listen", "127.0.0.1:0"});
    if (!has_api) argv.insert(argv.end(), {"--api-listen", "127.0.0.1:0"});  // never the fixed default 8081
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    argv.insert(argv.begin(), launcher.begin(), launcher.end());
    process_ = std::make_unique<BackgroundProcess>(argv, dir_ / "console.log");
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < end) {
        for (const auto& line : events()) {
            if (json_field(line, "event") != "listen") continue;
            int port = std::stoi(json_field(line, "port"));
            const std::string listener = json_field(line, "listener");
            (listener == "sni"          ? sni_port_
             : listener == "revocation" ? revocation_port_
             : listener == "api"        ? api_port_
                                        : proxy_port_) = port;
        }
        bool ready = (sni_port_ || has_sni) && (proxy_port_ || has_proxy);
        if (ready && events().size() >= 1 && console().find("tlsfault run:") != std::string::npos) return;
        if (!process_->running()) break;
        poll_pause();
    }
    FAIL("tlsfault did not start listening; console:\n" << console());
}

RunningEngine::RunningEngine(NoEventLog, std::vector<std::string> extra_args) {
    std::vector<std::string> argv = {tlsfault_binary(), "run", "--state-dir",         dir_ / "state", "--api-listen", "off",
                                     "--proxy-listen",  "off", "--revocation-listen", "off",          "--sni-listen", "127.0.0.1:0"};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    process_ = std::make_unique<BackgroundProcess>(argv, dir_ / "console.log");
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    const std::string banner_line = "SNI listener    127.0.0.1:";
    while (std::chrono::steady_clock::now() < end && process_->running()) {
        const std::string text = console();
        if (const auto at = text.find(banner_line); at != std::string::npos && text.find('\n', at) != std::string::npos) {
            sni_port_ = std::stoi(text.substr(at + banner_line.size()));
            return;
        }
        poll_pause();
    }
    FAIL("tlsfault did not start listening; console:\n" << console());
}

std::vector<std::string> RunningEngine::events() const {
    std::vector<std::string> lines;
    std::istringstream in(read_text(dir_ / "events.jsonl"));
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line.back() == '}') lines.push_back(line);
    return lines;
}

std::vector<std::string> RunningEngine::wait_for_verdicts(std::size_t count, std::chrono::milliseconds deadline) const {
    const auto end = std::chrono::steady_clock::now() + deadline;
    std::vector<std::string> verdicts;
    for (;;) {
        verdicts.clear();
        for (auto& line : events())
            if (json_field(line, "event") == "verdict") verdicts.push_back(line);
        if (verdicts.size() >= count || std::chrono::steady_clock::now() >= end) return verdicts;
        poll_pause();
    }
}

std::string RunningEngine::verdict_for(const std::string& host, std::chrono::milliseconds deadline) const {
    return wait_for_event("verdict", "\"host\":\"" + host + "\"", deadline);
}

std::string RunningEngine::wait_for_event(const std::string& name, const std::string& needle, std::chrono::milliseconds deadline) const {
    const auto end = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        std::string found;
        for (auto& line : events())
            if (json_field(line, "event") == name && line.find(needle) != std::string::npos) found = line;
        if (!found.empty() || std::chrono::steady_clock::now() >= end) return found;
        poll_pause();
    }
}

std::string RunningEngine::console() const { return read_text(dir_ / "console.log"); }

std::string RunningEngine::api_token() const {
    std::string token = read_text(dir_ / "state/api-token");
    while (!token.empty() && token.back() == '\n') token.pop_back();
    return token;
}

std::size_t count_events(const RunningEngine& e, const std::string& name) {
    std::size_t n = 0;
    for (const auto& line : e.events())
        if (json_field(line, "event") == name) ++n;
    return n;
}

std::string connect_to(const RunningEngine& e, const std::string& host) { return host + ":443:127.0.0.1:" + std::to_string(e.sni_port()); }

std::string write_scenario(const TempDir& dir, const std::string& name, const std::string& rules) {
    const std::string file = dir / (name + ".yaml");
    std::ofstream(file) << "name: " << name << "\n"
                        << "title: \"test: " << name
                        << "\"\n"
                           "description:\n"
                           "  symptom: \"s\"\n"
                           "  cause: \"c\"\n"
                           "  fix: \"f\"\n"
                           "rules:\n"
                        << rules;
    return file;
}

ServedChain fetch_served_chain(const RunningEngine& engine, const std::string& host) {
    auto shown = run_process(
        {"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(engine.sni_port()), "-servername", host, "-showcerts"},
        std::chrono::seconds(20), "");
    const std::string& out = shown.out;
    auto first = out.find("-----BEGIN CERTIFICATE-----");
    auto second = out.find("-----BEGIN CERTIFICATE-----", first + 1);
    REQUIRE_MESSAGE(second != std::string::npos, shown.all());
    const ServedChain chain{engine.dir() / (host + ".leaf.pem"), engine.dir() / (host + ".issuer.pem")};
    std::ofstream(chain.leaf) << out.substr(first, second - first);
    std::ofstream(chain.issuer) << out.substr(second);
    return chain;
}

std::string certificate_url(const std::string& pem_file, const char* extension) {
    auto text = run_process({"openssl", "x509", "-in", pem_file, "-noout", "-ext", extension}).out;
    auto at = text.find("URI:");
    REQUIRE_MESSAGE(at != std::string::npos, text);
    return text.substr(at + 4, text.find_first_of("\r\n", at) - at - 4);
}

ProcessResult curl(std::vector<std::string> args) {
    std::vector<std::string> argv = {"curl", "-sS", "--max-time", "20"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, std::chrono::seconds(30));
}

int listen_loopback(int backlog, int& port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, backlog) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    port = ntohs(addr.sin_port);
    return fd;
}

int connect_loopback(int port, const std::string& host) {
    bool v6 = host.find(':') != std::string::npos;
    int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int rc;
    if (v6) {
        sockaddr_in6 a{};
        a.sin6_family = AF_INET6;
        a.sin6_port = htons(static_cast<std::uint16_t>(port));
        inet_pton(AF_INET6, host.c_str(), &a.sin6_addr);
        rc = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    } else {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        inet_pton(AF_INET, host.c_str(), &a.sin_addr);
        rc = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    }
    if (rc != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

UpstreamServer::UpstreamServer(bool plain) {
    if (!plain) {
        auto r = run_process({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                              dir_ / "key.pem", "-out", dir_ / "cert.pem", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                              "subjectAltName=IP:127.0.0.1"});
        REQUIRE(r.exit_code == 0);
    }
    std::vector<std::string> argv = {"python3", ENGINE_TEST_DIR "/upstream_server.py", dir_ / "cert.pem", dir_ / "key.pem"};
    if (plain) argv.push_back("--plain");
    process_ = std::make_unique<BackgroundProcess>(argv, dir_ / "upstream.log");
    port_ = wait_for_port_line(*process_, dir_ / "upstream.log");
    if (port_ == 0) FAIL("upstream server did not start");
}

int wait_for_port_line(BackgroundProcess& process, const std::string& log_path) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < end && process.running()) {
        std::ifstream in(log_path);
        std::string word;
        int port = 0;
        if (in >> word >> port && word == "PORT") return port;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return 0;
}

bool send_all(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

std::string read_until_close(int fd, std::chrono::milliseconds deadline) {
    std::string out;
    const auto end = std::chrono::steady_clock::now() + deadline;
    char buf[65536];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now()).count();
        if (left <= 0) break;
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left)) <= 0) break;
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

}  // namespace tlsfault::test
