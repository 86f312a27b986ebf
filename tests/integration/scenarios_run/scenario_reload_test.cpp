// `tlsfault run FILE` reloading its file: a valid edit answers new connections, an invalid one is
// reported (event + stderr) while the last good version stays live, a connection in flight keeps
// the version it started with, and `--reload-interval off` never reloads. Real engine, real curl;
// every wait is on an event line, with a deadline.
#include "tests/integration/engine/engine_fixture.hpp"

#include <doctest/doctest.h>

#include <openssl/ssl.h>

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace tlsfault::test;

namespace {

const std::string host = "reload.example.test";

/// The scenario file with the given `http:` reason line (line 13, column 7 is its key).
std::string scenario_text(const std::string& reason_line) {
    return "name: reload-demo\n"
           "title: \"reload: a 403 whose reason phrase is edited\"\n"
           "description:\n"
           "  symptom: \"s\"\n"
           "  cause: \"c\"\n"
           "  fix: \"f\"\n"
           "rules:\n"
           "  - name: answer\n"
           "    match:\n"
           "      host: " +
           host +
           "\n"
           "    http:\n"
           "      status: 403\n"
           "      " +
           reason_line +
           "\n"
           "    expect:\n"
           "      accept: true\n"
           "      status: 403\n";
}

/// An editor that saves in place: truncate, then write.
void write_in_place(const std::string& file, const std::string& text) { std::ofstream(file, std::ios::trunc) << text; }

/// An editor that saves atomically: a new file renamed over the old one.
void write_and_rename(const std::string& file, const std::string& text) {
    const std::string temp = file + ".tmp";
    std::ofstream(temp, std::ios::trunc) << text;
    std::filesystem::rename(temp, file);
}

/// The status line curl -i saw for https://reload.example.test/ through the SNI listener.
std::string status_line(const RunningEngine& e) {
    auto r = curl({"-i", "-k", "-sS", "--connect-to", host + ":443:127.0.0.1:" + std::to_string(e.sni_port()), "https://" + host + "/"});
    if (r.exit_code != 0) return "curl exit " + std::to_string(r.exit_code) + ": " + r.err;
    return r.out.substr(0, r.out.find("\r\n"));
}

/// reload-demo.yaml in `dir`, answering "403 Before"; its path.
std::string first_version(const TempDir& dir) {
    const std::string file = dir / "reload-demo.yaml";
    write_in_place(file, scenario_text("reason: Before"));
    return file;
}

/// The first version of the file, served by `tlsfault run --reload-interval INTERVAL FILE`.
struct ServedFile {
    explicit ServedFile(const std::string& interval) : file(first_version(files)), engine({"--reload-interval", interval, file}) {}
    TempDir files;
    std::string file;
    RunningEngine engine;
};

/// One keep-alive HTTPS connection (no certificate checks), for asking twice on the same connection.
class KeepAliveClient {
public:
    explicit KeepAliveClient(int port) : ctx_(SSL_CTX_new(TLS_client_method())) {
        fd_ = connect_loopback(port);
        timeval limit{10, 0};  // bounds every read and write below
        setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
        ssl_ = SSL_new(ctx_);
        SSL_set_fd(ssl_, fd_);
        SSL_set_tlsext_host_name(ssl_, host.c_str());
        connected_ = fd_ >= 0 && SSL_connect(ssl_) == 1;
    }
    ~KeepAliveClient() {
        SSL_free(ssl_);
        SSL_CTX_free(ctx_);
        if (fd_ >= 0) close(fd_);
    }
    KeepAliveClient(const KeepAliveClient&) = delete;
    KeepAliveClient& operator=(const KeepAliveClient&) = delete;

    bool connected() const { return connected_; }

    /// GET / on this connection; the response's status line, or "" on error.
    std::string get() {
        const std::string request = "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
        if (SSL_write(ssl_, request.data(), static_cast<int>(request.size())) <= 0) return {};
        std::string in;
        char buf[4096];
        std::size_t head_end;
        while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
            int n = SSL_read(ssl_, buf, sizeof buf);
            if (n <= 0) return {};
            in.append(buf, static_cast<std::size_t>(n));
        }
        auto length_at = in.find("Content-Length: ");
        std::size_t length = length_at < head_end ? std::stoul(in.substr(length_at + 16)) : 0;
        while (in.size() < head_end + 4 + length) {
            int n = SSL_read(ssl_, buf, sizeof buf);
            if (n <= 0) return {};
            in.append(buf, static_cast<std::size_t>(n));
        }
        return in.substr(0, in.find("\r\n"));
    }

private:
    SSL_CTX* ctx_;
    SSL* ssl_ = nullptr;
    int fd_ = -1;
    bool connected_ = false;
};

/// Serves the first version, saves "After" with `save`, and checks that new connections get it.
void check_edit_goes_live(void (*save)(const std::string& file, const std::string& text)) {
    ServedFile served("100ms");
    auto& engine = served.engine;
    CHECK(status_line(engine) == "HTTP/1.1 403 Before");

    save(served.file, scenario_text("reason: After"));
    auto reloaded = engine.wait_for_event("scenario_reloaded");
    REQUIRE_FALSE(reloaded.empty());
    CHECK(json_field(reloaded, "file") == served.file);
    CHECK(json_field(reloaded, "scenario") == "reload-demo");
    CHECK(json_field(reloaded, "rules") == "1");
    CHECK(status_line(engine) == "HTTP/1.1 403 After");
    auto verdicts = engine.wait_for_verdicts(2);
    REQUIRE(verdicts.size() == 2);
    CHECK(json_field(verdicts[1], "outcome") == "accepted");
    CHECK(json_field(engine.wait_for_event("expectation", "\"result\":\"pass\""), "status") == "403");
    CHECK(engine.console().find("scenario reloaded") != std::string::npos);
}

}  // namespace

TEST_CASE("reload: a file renamed over the old one answers new connections") { check_edit_goes_live(write_and_rename); }

TEST_CASE("reload: a file written in place answers new connections") { check_edit_goes_live(write_in_place); }

TEST_CASE("reload: a connection in flight keeps the version it started with") {
    ServedFile served("100ms");
    const auto& file = served.file;
    auto& engine = served.engine;
    KeepAliveClient in_flight(engine.sni_port());
    REQUIRE(in_flight.connected());
    CHECK(in_flight.get() == "HTTP/1.1 403 Before");

    write_and_rename(file, scenario_text("reason: After"));
    REQUIRE_FALSE(engine.wait_for_event("scenario_reloaded").empty());
    CHECK(in_flight.get() == "HTTP/1.1 403 Before");  // same connection: the old rules
    CHECK(status_line(engine) == "HTTP/1.1 403 After");
}

TEST_CASE("reload: an invalid edit is reported with its location, the last good version stays live") {
    ServedFile served("100ms");
    const auto& file = served.file;
    auto& engine = served.engine;
    CHECK(status_line(engine) == "HTTP/1.1 403 Before");

    write_and_rename(file, scenario_text("reasn: After"));
    auto failed = engine.wait_for_event("scenario_reload_failed");
    REQUIRE_FALSE(failed.empty());
    CHECK(json_field(failed, "file") == file);
    CHECK(json_field(failed, "error") == file + ":13:7: rules[0].http.reasn: unknown key 'reasn'; did you mean 'reason'?");
    CHECK(status_line(engine) == "HTTP/1.1 403 Before");
    CHECK(engine.process().running());
    CHECK(engine.console().find("reload failed, keeping the last good version: " + file + ":13:7:") != std::string::npos);
    CHECK(count_events(engine, "scenario_reloaded") == 0);

    // Deleted, then empty (an editor's intermediate steps): failures too, never a crash.
    std::filesystem::remove(file);
    REQUIRE_FALSE(engine.wait_for_event("scenario_reload_failed", "cannot read the file").empty());
    write_in_place(file, "");
    REQUIRE_FALSE(engine.wait_for_event("scenario_reload_failed", "the file is empty").empty());
    CHECK(status_line(engine) == "HTTP/1.1 403 Before");
    CHECK(engine.process().running());

    write_in_place(file, scenario_text("reason: Fixed"));  // the next good write goes live
    REQUIRE_FALSE(engine.wait_for_event("scenario_reloaded").empty());
    CHECK(status_line(engine) == "HTTP/1.1 403 Fixed");
}

TEST_CASE("reload: --reload-interval off never reloads") {
    ServedFile served("off");
    const auto& file = served.file;
    auto& engine = served.engine;
    CHECK(status_line(engine) == "HTTP/1.1 403 Before");

    write_and_rename(file, scenario_text("reason: After"));
    // Proving an absence needs a window: ten times the interval the other tests reload within.
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (std::chrono::steady_clock::now() < end) {
        CHECK(status_line(engine) == "HTTP/1.1 403 Before");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    CHECK(count_events(engine, "scenario_reloaded") == 0);
    CHECK(count_events(engine, "scenario_reload_failed") == 0);
}

TEST_CASE("reload: a bad --reload-interval is a one-line usage error, exit 2") {
    TempDir dir;
    const std::string file = dir / "reload-demo.yaml";
    write_in_place(file, scenario_text("reason: Before"));
    for (const std::string value : {"soon", "0", "-5ms", "10x"}) {
        CAPTURE(value);
        auto r = run_process({tlsfault_binary(), "run", "--state-dir", dir / "state", "--sni-listen", "127.0.0.1:0", "--proxy-listen",
                              "off", "--revocation-listen", "off", "--reload-interval", value, file},
                             std::chrono::seconds(20));
        CHECK(r.exit_code == 2);
        CHECK(r.err == "tlsfault: --reload-interval " + value + ": expected a positive duration such as 100ms or 2s, or off\n");
        CHECK(r.out.empty());
    }
}

TEST_CASE("reload: run --help documents --reload-interval") {
    auto r = run_process({tlsfault_binary(), "run", "--help"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("--reload-interval D") != std::string::npos);
}
