// The engine's runtime fault table against the model's registry: every kind the scenario files
// accept has, under the same name and in the same order, the runtime its role says it needs.
// (A chain or handshake kind without its runtime file does not link; this checks the table.)
#include "proxy/faults/fault_kinds.hpp"

#include "scenarios/model/faults/fault_registry.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>

#include <doctest/doctest.h>

#include <sys/socket.h>

#include <chrono>
#include <string>

using namespace tlsfault;
using scenarios::FaultRole;
using namespace std::chrono_literals;

TEST_CASE("fault kinds: the runtime table mirrors the registry, role by role") {
    const auto model = scenarios::builtin_fault_registry().kinds();
    const auto runtime = proxy::faults::runtime_fault_kinds();
    REQUIRE(model.size() == runtime.size());
    for (std::size_t i = 0; i < model.size(); ++i) {
        CAPTURE(model[i].name);
        CHECK(runtime[i].name == model[i].name);
        CHECK(runtime[i].role == model[i].role);
        CHECK(proxy::faults::find_runtime_fault(model[i].name) == &runtime[i]);
        CHECK((runtime[i].make_link != nullptr) == (model[i].role == FaultRole::chain));
        CHECK((runtime[i].run_handshake != nullptr) == (model[i].role == FaultRole::handshake));
        CHECK((model[i].role == FaultRole::handshake) == (model[i].layer == scenarios::FaultLayer::tls));
        CHECK(model[i].describe(model[i].defaults()).size() > 0);
    }
    CHECK(proxy::faults::find_runtime_fault("no_such_kind") == nullptr);
}

TEST_CASE("fault kinds: which ones end the connection, as begin_scenario and the tls loader ask") {
    using namespace scenarios;
    CHECK(ends_connection(LimitDataSettings{100}));
    CHECK(ends_connection(ResetSettings{2s}));
    CHECK_FALSE(ends_connection(ResetSettings{0ms}));  // at once: over before the session starts
    CHECK_FALSE(ends_connection(LatencySettings{300ms, 0ms}));
    CHECK_FALSE(ends_connection(BlackholeSettings{}));
    CHECK(ends_connection(TlsAlertSettings{}));
    CHECK(ends_connection(HandshakeResetSettings{}));
    CHECK(ends_connection(HandshakeCloseSettings{}));
    CHECK_FALSE(ends_connection(HandshakeStallSettings{}));  // may resume the handshake
    CHECK(&kind_of(LatencySettings{}) == builtin_fault_registry().find("latency"));
    CHECK(proxy::faults::runtime_fault_of(SlicerSettings{}).name == "slicer");
}

TEST_CASE("corrupt: the byte at offset `after` is inverted, across chunk boundaries, and only that one") {
    using namespace proxy;
    net::io_context io;
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    tcp::socket sink(io), reader(io);
    sink.assign(tcp::v4(), fds[0]);
    reader.assign(tcp::v4(), fds[1]);
    faults::FaultContext context(io.get_executor(), 1, "test");
    const scenarios::FaultSettings settings = scenarios::CorruptSettings{4};
    std::vector<std::unique_ptr<faults::TcpFault>> links;
    links.push_back(faults::runtime_fault_of(settings).make_link(settings, context));
    faults::FaultChain chain(std::move(links), sink);
    std::string received(9, '\0');
    bool passed = false;
    net::co_spawn(
        io,
        [&]() -> net::awaitable<void> {
            const std::string a = "abc", b = "defghi";  // offset 4 is the 'e' in the second chunk
            passed = co_await chain.pass({a, faults::Clock::now()}) && co_await chain.pass({b, faults::Clock::now()});
            co_await net::async_read(reader, net::buffer(received), nothrow);
        },
        net::detached);
    io.run_for(std::chrono::seconds(5));  // the deadline; the work is done in microseconds
    CHECK(passed);
    CHECK(received == std::string("abcd") + static_cast<char>('e' ^ 0xff) + "fghi");
    CHECK(chain.written() == 9);
}
