// The splice's endings (run_with_tcp_faults) over loopback sockets, without the binary: a
// client FIN reaches the session, which still answers; a client reset is recorded as one; a
// limit_data fault closes the connection and says why; a reset fault resets the client.
#include "proxy/faults/fault_splice.hpp"

#include "tests/support/process.hpp"
#include "tests/unit/proxy/loopback_pair.hpp"

#include <doctest/doctest.h>

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace tlsfault;
using namespace tlsfault::proxy;
using test::loopback_pair;
using test::run_until;
using test::spawn;

namespace {

/// One spliced connection: the client's socket, the engine's end (handed to the splice), the
/// connection record and its event log.
struct Spliced {
    Spliced() : log(dir / "events.jsonl"), console_file(std::fopen((dir / "console.log").c_str(), "w")), console(console_file) {
        auto [client_end, engine_end] = loopback_pair(ioc);
        client = std::move(client_end);
        engine = std::move(engine_end);
        conn = std::make_unique<Connection>(log, console, proxy::ListenerKind::sni, "127.0.0.1:1", "127.0.0.1:2");
    }
    ~Spliced() {
        conn.reset();
        std::fclose(console_file);
    }

    /// Runs the splice with `specs` around `session`; `result` is what it returns.
    void start(std::vector<scenarios::FaultSpec> specs_in, faults::SessionBody session) {
        specs = std::move(specs_in);
        for (const auto& s : specs) set.specs.push_back(&s);
        set.key = "test/rules[0]#1";
        spawn(ioc, [](Spliced& s, faults::SessionBody body) -> net::awaitable<void> {
            s.result = co_await faults::run_with_tcp_faults(*s.conn, s.set, beast::tcp_stream(std::move(s.engine)), Phase::request,
                                                            std::chrono::milliseconds(500), std::move(body));
            s.finished = true;
        }(*this, std::move(session)));
    }

    /// The event log so far (one JSON object per line).
    std::string events() const {
        std::ifstream in(dir / "events.jsonl");
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

    test::TempDir dir;
    EventLog log;
    std::FILE* console_file;
    ConsoleView console;
    net::io_context ioc;
    tcp::socket client{ioc};
    tcp::socket engine{ioc};
    std::unique_ptr<Connection> conn;
    std::vector<scenarios::FaultSpec> specs;
    faults::TcpFaultSet set;
    std::optional<Outcome> result;
    bool finished = false;
};

scenarios::FaultSpec spec(std::string type, scenarios::FaultSettings settings,
                          scenarios::FaultStream stream = scenarios::FaultStream::downstream) {
    scenarios::FaultSpec s;
    s.name = type + "_" + std::string(scenarios::to_string(stream));
    s.type = std::move(type);
    s.stream = stream;
    s.settings = std::move(settings);
    return s;
}

/// Reads to EOF or an error; `ec` is how it ended.
net::awaitable<void> read_to_end(tcp::socket& socket, std::string& out, error_code& ended, bool& done) {
    char buf[1024];
    for (;;) {
        auto [ec, n] = co_await socket.async_read_some(net::buffer(buf), nothrow);
        out.append(buf, n);
        if (ec) {
            ended = ec;
            break;
        }
    }
    done = true;
}

}  // namespace

TEST_CASE("fault splice: a client FIN reaches the session, which still answers, then the client gets the session's FIN") {
    Spliced s;
    std::string session_read;
    s.start({spec("latency", scenarios::LatencySettings{std::chrono::milliseconds(20), {}})},
            [&](beast::tcp_stream& stream) -> net::awaitable<void> {
                char buf[256];
                for (;;) {  // everything up to the client's FIN
                    auto [ec, n] = co_await stream.async_read_some(net::buffer(buf), nothrow);
                    session_read.append(buf, n);
                    if (ec) break;
                }
                co_await net::async_write(stream, net::buffer("answer to " + session_read), nothrow);
            });
    std::string got;
    error_code ended;
    bool done = false;
    // A named lambda: the coroutine refers to its captures, which must outlive it.
    auto client_pings = [&]() -> net::awaitable<void> {
        co_await net::async_write(s.client, net::buffer(std::string("ping")), nothrow);
        error_code ignored;
        s.client.shutdown(tcp::socket::shutdown_send, ignored);
        co_await read_to_end(s.client, got, ended, done);
    };
    spawn(s.ioc, client_pings());
    REQUIRE(run_until(s.ioc, [&] { return done && s.finished; }));
    CHECK(session_read == "ping");
    CHECK(got == "answer to ping");
    CHECK(ended == net::error::eof);
    CHECK_FALSE(s.result);
    CHECK_FALSE(s.conn->has_verdict());  // the session gives the verdict; the faults did not end it
    CHECK(s.events().find("\"event\":\"fault\"") != std::string::npos);
    CHECK(s.events().find("\"type\":\"latency\"") != std::string::npos);
}

TEST_CASE("fault splice: a client reset ends the session and is recorded as a reset") {
    Spliced s;
    bool session_saw_end = false;
    s.start({spec("latency", scenarios::LatencySettings{std::chrono::milliseconds(5), {}}, scenarios::FaultStream::upstream)},
            [&](beast::tcp_stream& stream) -> net::awaitable<void> {
                char buf[256];
                for (;;) {
                    auto [ec, n] = co_await stream.async_read_some(net::buffer(buf), nothrow);
                    if (ec) break;
                }
                session_saw_end = true;
            });
    // A named lambda: the coroutine refers to its captures, which must outlive it.
    auto client_resets = [&]() -> net::awaitable<void> {
        co_await net::async_write(s.client, net::buffer(std::string("hello")), nothrow);
        net::steady_timer settle(s.client.get_executor(), std::chrono::milliseconds(50));  // pacing the client only
        co_await settle.async_wait(nothrow);
        s.client.set_option(net::socket_base::linger(true, 0));
        error_code ignored;
        s.client.close(ignored);  // SO_LINGER 0: a RST
    };
    spawn(s.ioc, client_resets());
    REQUIRE(run_until(s.ioc, [&] { return s.finished; }));
    CHECK(session_saw_end);
    REQUIRE(s.conn->has_verdict());
    s.conn.reset();  // writes the verdict's close event
    CHECK(s.events().find("the client reset the connection") != std::string::npos);
    CHECK(s.events().find("\"outcome\":\"reset\"") != std::string::npos);
}

TEST_CASE("fault splice: limit_data lets N bytes through, closes the connection and records why") {
    Spliced s;
    s.start({spec("limit_data", scenarios::LimitDataSettings{10})}, [&](beast::tcp_stream& stream) -> net::awaitable<void> {
        co_await net::async_write(stream, net::buffer(std::string(100, 'z')), nothrow);
        char buf[16];
        co_await stream.async_read_some(net::buffer(buf), nothrow);  // until the splice closes this end
    });
    std::string got;
    error_code ended;
    bool done = false;
    spawn(s.ioc, read_to_end(s.client, got, ended, done));
    REQUIRE(run_until(s.ioc, [&] { return done && s.finished; }));
    CHECK(got == std::string(10, 'z'));
    CHECK(ended == net::error::eof);
    REQUIRE(s.result);
    CHECK(*s.result == Outcome::closed);
    const auto events = s.events();
    CHECK(events.find("\"event\":\"fault_fired\"") != std::string::npos);
    CHECK(events.find("limit_data closed the connection after 10 bytes") != std::string::npos);
}

TEST_CASE("fault splice: a reset fault resets the client at its timeout, whatever the session does") {
    Spliced s;
    s.start({spec("reset", scenarios::ResetSettings{std::chrono::milliseconds(80)})},
            [&](beast::tcp_stream& stream) -> net::awaitable<void> {
                co_await net::async_write(stream, net::buffer(std::string("partial")), nothrow);
                char buf[16];
                co_await stream.async_read_some(net::buffer(buf), nothrow);  // would wait for ever without the fault
            });
    std::string got;
    error_code ended;
    bool done = false;
    spawn(s.ioc, read_to_end(s.client, got, ended, done));
    REQUIRE(run_until(s.ioc, [&] { return done && s.finished; }));
    CHECK(got == "partial");
    CHECK(ended == net::error::connection_reset);
    REQUIRE(s.result);
    CHECK(*s.result == Outcome::reset);
    CHECK(s.events().find("reset by the rule's tcp fault") != std::string::npos);
}
