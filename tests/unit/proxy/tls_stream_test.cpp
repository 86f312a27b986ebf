// TlsStream (proxy/core/tls_stream.hpp) against itself over real loopback TCP: records batched per
// read, several records per write, reads and writes tried at once, and the error codes Asio's
// ssl::stream gave (the verdicts are built from them).
#include "proxy/core/net.hpp"
#include "proxy/core/read_soon.hpp"

#include "certgen/catalogue.hpp"
#include "certgen/lab_pki.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/error.hpp>
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <tuple>

using namespace tlsfault;
using namespace tlsfault::proxy;

namespace {

constexpr auto deadline = std::chrono::seconds(20);

/// A server context with a lab leaf for "localhost", and a client context that trusts anything.
struct Contexts {
    ssl::context server{ssl::context::tls_server};
    ssl::context client{ssl::context::tls_client};
    Contexts() {
        static auto pki = certgen::LabPki::in_memory();
        auto leaf = pki->minter().mint(*certgen::find_profile("good"), "localhost");
        REQUIRE(SSL_CTX_use_certificate(server.native_handle(), leaf->leaf.get()) == 1);
        REQUIRE(SSL_CTX_use_PrivateKey(server.native_handle(), leaf->key.get()) == 1);
        client.set_verify_mode(ssl::verify_none);
    }
};

/// A connected pair of TCP streams on 127.0.0.1.
std::pair<beast::tcp_stream, beast::tcp_stream> connected_pair(net::io_context& io) {
    tcp::acceptor acceptor(io, tcp::endpoint(net::ip::address_v4::loopback(), 0));
    tcp::socket client(io), server(io);
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
    return {beast::tcp_stream(std::move(server)), beast::tcp_stream(std::move(client))};
}

/// Runs `body` as a coroutine until it finishes or the deadline passes (then the test fails).
template <class Body>
void run(net::io_context& io, Body body) {
    bool done = false;
    net::co_spawn(
        io,
        [&]() -> net::awaitable<void> {
            co_await body();
            done = true;
        },
        net::detached);
    io.run_for(deadline);
    REQUIRE_MESSAGE(done, "the exchange did not finish within the deadline");
}

net::awaitable<void> handshake_both(TlsStream& server, TlsStream& client) {
    using namespace net::experimental::awaitable_operators;
    auto server_side = [&]() -> net::awaitable<error_code> {
        auto [ec, used] = co_await server.async_handshake(ssl::stream_base::server, net::const_buffer(), nothrow);
        co_return ec;
    };
    auto client_side = [&]() -> net::awaitable<error_code> {
        auto [ec] = co_await client.async_handshake(ssl::stream_base::client, nothrow);
        co_return ec;
    };
    auto [sec, cec] = co_await (server_side() && client_side());
    CHECK_MESSAGE(!sec, sec.message());
    CHECK_MESSAGE(!cec, cec.message());
}

/// Reads `stream` into `received` until it holds `size` bytes, starting 200 ms late: a writer
/// meanwhile fills loopback's socket buffers, so its writes meet a full socket.
net::awaitable<void> read_after_a_pause(TlsStream& stream, std::string& received, std::size_t size) {
    net::steady_timer later(stream.get_executor(), std::chrono::milliseconds(200));
    co_await later.async_wait(nothrow);
    std::string chunk(256 * 1024, '\0');
    while (received.size() < size) {
        auto [rec, n] = co_await stream.async_read_some(net::buffer(chunk), nothrow);
        if (rec) {
            FAIL_CHECK(rec.message());
            co_return;
        }
        received.append(chunk, 0, n);
    }
}

}  // namespace

TEST_CASE("a TLS read hands over every record already received, not one 16 KiB record per operation") {
    net::io_context io;
    Contexts contexts;
    auto [server_tcp, client_tcp] = connected_pair(io);
    TlsStream server(std::move(server_tcp), contexts.server), client(std::move(client_tcp), contexts.client);
    const std::string sent(1024 * 1024, 'x');
    std::string received;
    std::size_t largest_read = 0, reads = 0;
    run(io, [&]() -> net::awaitable<void> {
        using namespace net::experimental::awaitable_operators;
        co_await handshake_both(server, client);
        auto write_all = [&]() -> net::awaitable<void> {
            auto [wec, written] = co_await net::async_write(client, net::buffer(sent), nothrow);
            CHECK_MESSAGE(!wec, wec.message());
        };
        auto read_all = [&]() -> net::awaitable<void> {
            std::string chunk(256 * 1024, '\0');
            while (received.size() < sent.size()) {
                auto [rec, n] = co_await server.async_read_some(net::buffer(chunk), nothrow);
                if (rec) {
                    FAIL_CHECK(rec.message());
                    co_return;
                }
                received.append(chunk, 0, n);
                largest_read = std::max(largest_read, n);
                ++reads;
            }
        };
        co_await (write_all() && read_all());
    });
    CHECK(received == sent);
    CHECK(largest_read > 16 * 1024);  // several records in one operation
    CHECK(reads < sent.size() / (16 * 1024));
}

TEST_CASE("a peer that closes TCP without close_notify reads as stream_truncated, with close_notify as eof") {
    for (bool orderly : {false, true}) {
        CAPTURE(orderly);
        net::io_context io;
        Contexts contexts;
        auto [server_tcp, client_tcp] = connected_pair(io);
        TlsStream server(std::move(server_tcp), contexts.server), client(std::move(client_tcp), contexts.client);
        error_code seen;
        run(io, [&]() -> net::awaitable<void> {
            co_await handshake_both(server, client);
            if (orderly) {
                // The client's shutdown waits for the server's close_notify: do not wait for it.
                client.next_layer().expires_after(std::chrono::milliseconds(500));
                net::co_spawn(
                    io, [&]() -> net::awaitable<void> { co_await client.async_shutdown(nothrow); }, net::detached);
            } else {
                client.next_layer().socket().shutdown(tcp::socket::shutdown_send);
            }
            char byte;
            auto [ec, n] = co_await server.async_read_some(net::buffer(&byte, 1), nothrow);
            seen = ec;
        });
        if (orderly)
            CHECK_MESSAGE(seen == net::error::eof, seen.message());
        else
            CHECK_MESSAGE(seen == ssl::error::stream_truncated, seen.message());
    }
}

TEST_CASE("a handshake OpenSSL refuses fails on both sides with an SSL error, the client told by an alert") {
    net::io_context io;
    Contexts contexts;
    REQUIRE(SSL_CTX_set_min_proto_version(contexts.server.native_handle(), TLS1_3_VERSION) == 1);
    REQUIRE(SSL_CTX_set_max_proto_version(contexts.client.native_handle(), TLS1_2_VERSION) == 1);
    auto [server_tcp, client_tcp] = connected_pair(io);
    TlsStream server(std::move(server_tcp), contexts.server), client(std::move(client_tcp), contexts.client);
    error_code server_error, client_error;
    run(io, [&]() -> net::awaitable<void> {
        using namespace net::experimental::awaitable_operators;
        auto server_side = [&]() -> net::awaitable<void> {
            auto [ec] = co_await server.async_handshake(ssl::stream_base::server, nothrow);
            server_error = ec;
        };
        auto client_side = [&]() -> net::awaitable<void> {
            auto [ec] = co_await client.async_handshake(ssl::stream_base::client, nothrow);
            client_error = ec;
        };
        co_await (server_side() && client_side());
    });
    CHECK(server_error.category() == net::error::get_ssl_category());
    CHECK(client_error.category() == net::error::get_ssl_category());
    CHECK_MESSAGE(client_error.message().find("alert") != std::string::npos, client_error.message());
}

TEST_CASE("a 64 KiB TLS write is one operation, and a write larger than the socket's buffers waits and arrives whole") {
    net::io_context io;
    Contexts contexts;
    auto [server_tcp, client_tcp] = connected_pair(io);
    TlsStream server(std::move(server_tcp), contexts.server), client(std::move(client_tcp), contexts.client);
    std::string sent(16 * 1024 * 1024 + 1234, '\0');  // more than loopback TCP buffers hold: the send is cut short
    for (std::size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<char>(i * 7 + i / 4096);  // an offset error shows
    std::string received;
    std::size_t first_write = 0;
    run(io, [&]() -> net::awaitable<void> {
        using namespace net::experimental::awaitable_operators;
        co_await handshake_both(server, client);
        auto write_all = [&]() -> net::awaitable<void> {
            // Four records from one SSL_write (no partial-write mode), sent as one socket write.
            auto [ec, n] = co_await client.async_write_some(net::buffer(sent.data(), 64 * 1024), nothrow);
            CHECK_MESSAGE(!ec, ec.message());
            first_write = n;
            auto [wec, written] = co_await net::async_write(client, net::buffer(sent) + n, nothrow);
            CHECK_MESSAGE(!wec, wec.message());
        };
        co_await (write_all() && read_after_a_pause(server, received, sent.size()));
    });
    CHECK(first_write == 64 * 1024);
    CHECK(received.size() == sent.size());
    CHECK(received == sent);
}

TEST_CASE("a read told the socket is readable takes the bytes at once, waits when none are there, and reads a cut as a cut") {
    net::io_context io;
    Contexts contexts;
    auto [server_tcp, client_tcp] = connected_pair(io);
    TlsStream server(std::move(server_tcp), contexts.server), client(std::move(client_tcp), contexts.client);
    std::string early, late;
    error_code end;
    run(io, [&]() -> net::awaitable<void> {
        using namespace net::experimental::awaitable_operators;
        co_await handshake_both(server, client);
        char chunk[64];
        // Bytes already there.
        co_await net::async_write(client, net::buffer("early", 5), nothrow);
        auto [wait_ec] = co_await server.next_layer().socket().async_wait(tcp::socket::wait_read, nothrow);
        CHECK_MESSAGE(!wait_ec, wait_ec.message());
        server.note_readable();
        auto [ec1, n1] = co_await server.async_read_some(net::buffer(chunk), nothrow);
        CHECK_MESSAGE(!ec1, ec1.message());
        early.assign(chunk, n1);
        // Told readable, but nothing arrives until later: the read waits for it.
        auto read_late = [&]() -> net::awaitable<void> {
            server.note_readable();
            auto [ec, n] = co_await server.async_read_some(net::buffer(chunk), nothrow);
            CHECK_MESSAGE(!ec, ec.message());
            late.assign(chunk, n);
        };
        auto write_late = [&]() -> net::awaitable<void> {
            net::steady_timer later(io, std::chrono::milliseconds(50));
            co_await later.async_wait(nothrow);
            co_await net::async_write(client, net::buffer("late", 4), nothrow);
        };
        co_await (read_late() && write_late());
        // The peer cuts TCP without close_notify: the read at once sees the end, reported as Asio's would.
        client.next_layer().socket().shutdown(tcp::socket::shutdown_send);
        auto [cut_ec] = co_await server.next_layer().socket().async_wait(tcp::socket::wait_read, nothrow);
        CHECK_MESSAGE(!cut_ec, cut_ec.message());
        server.note_readable();
        auto [ec3, n3] = co_await server.async_read_some(net::buffer(chunk), nothrow);
        end = ec3;
    });
    CHECK(early == "early");
    CHECK(late == "late");
    CHECK_MESSAGE(end == ssl::error::stream_truncated, end.message());
}

TEST_CASE("write_now sends at once while the socket has room, and leaves the rest to async_flush when it has not") {
    net::io_context io;
    Contexts contexts;
    auto [server_tcp, client_tcp] = connected_pair(io);
    TlsStream server(std::move(server_tcp), contexts.server), client(std::move(client_tcp), contexts.client);
    std::string sent(32 * 1024 * 1024, '\0');
    for (std::size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<char>(i * 13 + i / 65536);
    std::string received;
    std::size_t first_taken = 0, writes_at_once = 0, flushes = 0, refused_while_pending = 0;
    run(io, [&]() -> net::awaitable<void> {
        using namespace net::experimental::awaitable_operators;
        co_await handshake_both(server, client);
        auto write_all = [&]() -> net::awaitable<void> {
            std::size_t offset = 0;
            while (offset < sent.size()) {
                error_code ec;
                const std::size_t taken = client.write_now(net::buffer(sent) + offset, ec);
                REQUIRE_MESSAGE(!ec, ec.message());
                if (offset == 0) first_taken = taken;
                REQUIRE(taken > 0);  // nothing under way, no renegotiation: the engine always takes bytes
                offset += taken;
                if (!client.flush_pending()) {
                    ++writes_at_once;
                    continue;
                }
                error_code refused;
                if (client.write_now(net::buffer(sent) + offset, refused) == 0) ++refused_while_pending;
                auto [fec] = co_await client.async_flush(nothrow);
                REQUIRE_MESSAGE(!fec, fec.message());
                ++flushes;
            }
        };
        co_await (write_all() && read_after_a_pause(server, received, sent.size()));
    });
    CHECK(first_taken == 64 * 1024);  // four records at once on an empty socket
    CHECK(writes_at_once > 0);
    CHECK(flushes > 0);  // 32 MiB unread for 200 ms fills loopback's buffers
    CHECK(refused_while_pending == flushes);
    CHECK(received.size() == sent.size());
    CHECK(received == sent);
}

TEST_CASE("read_now takes records already there, answers a renegotiation at once, returns 0 when it must wait, reads a cut as a cut") {
    net::io_context io;
    Contexts contexts;
    // TLS 1.2, renegotiation allowed (OpenSSL 3 refuses a client's by default): a read that must write.
    SSL_CTX_set_max_proto_version(contexts.client.native_handle(), TLS1_2_VERSION);
    SSL_CTX_set_options(contexts.server.native_handle(), SSL_OP_ALLOW_CLIENT_RENEGOTIATION);
    auto [server_tcp, client_tcp] = connected_pair(io);
    TlsStream server(std::move(server_tcp), contexts.server), client(std::move(client_tcp), contexts.client);
    std::string first, second, renegotiated;
    std::size_t before_any = 1, nothing_there = 1, after_drain = 1;
    error_code before_ec, nothing_ec, drain_ec, cut_ec;
    std::size_t cut_n = 1;
    run(io, [&]() -> net::awaitable<void> {
        using namespace net::experimental::awaitable_operators;
        co_await handshake_both(server, client);
        char chunk[64];
        auto wait_readable = [&]() -> net::awaitable<void> {
            auto [ec] = co_await server.next_layer().socket().async_wait(tcp::socket::wait_read, nothrow);
            CHECK_MESSAGE(!ec, ec.message());
            server.note_readable();
        };
        // Not told readable, nothing received: no attempt, no wait.
        before_any = server.read_now(net::buffer(chunk), before_ec);
        // Two records in one socket read: the first read_now reads the socket and fills its room
        // with the first record, the second takes the record the engine holds, with no readiness
        // news. (No Nagle delay: the second record must not wait for the first one's ACK.)
        client.next_layer().socket().set_option(tcp::no_delay(true));
        co_await net::async_write(client, net::buffer("one", 3), nothrow);
        co_await net::async_write(client, net::buffer("two", 3), nothrow);
        net::steady_timer both_sent(io, std::chrono::milliseconds(20));
        co_await both_sent.async_wait(nothrow);
        co_await wait_readable();
        error_code ec;
        first.assign(chunk, server.read_now(net::buffer(chunk, 3), ec));  // room for the first record only
        CHECK_MESSAGE(!ec, ec.message());
        CHECK(server.holds_unread_input());
        second.assign(chunk, server.read_now(net::buffer(chunk), ec));
        CHECK_MESSAGE(!ec, ec.message());
        // Told readable, but the socket is empty: 0 and no error, the caller waits.
        server.note_readable();
        nothing_there = server.read_now(net::buffer(chunk), nothing_ec);
        after_drain = server.read_now(net::buffer(chunk), drain_ec);
        // The client renegotiates (TLS 1.2) before its next write: the server's read_now takes the
        // ClientHello and must send its answer at once, or the client's write waits for ever.
        REQUIRE(SSL_renegotiate(client.native_handle()) == 1);
        auto client_writes = [&]() -> net::awaitable<void> {
            auto [wec, wn] = co_await net::async_write(client, net::buffer("renegotiated", 12), nothrow);
            CHECK_MESSAGE(!wec, wec.message());
        };
        auto server_reads = [&]() -> net::awaitable<void> {
            co_await wait_readable();
            while (renegotiated.size() < 12) {
                error_code rec;
                std::size_t n = 0;
                if (!read_at_once(server, net::buffer(chunk), rec, n))
                    std::tie(rec, n) = co_await read_some_later(server, net::buffer(chunk), n, [] {});
                if (rec) {
                    FAIL_CHECK(rec.message());
                    co_return;
                }
                renegotiated.append(chunk, n);
            }
        };
        co_await (client_writes() && server_reads());
        // The peer cuts TCP without close_notify.
        client.next_layer().socket().shutdown(tcp::socket::shutdown_send);
        co_await wait_readable();
        cut_n = server.read_now(net::buffer(chunk), cut_ec);
    });
    CHECK(before_any == 0);
    CHECK_MESSAGE(!before_ec, before_ec.message());
    CHECK(first == "one");
    CHECK(second == "two");
    CHECK(nothing_there == 0);
    CHECK_MESSAGE(!nothing_ec, nothing_ec.message());
    CHECK(after_drain == 0);
    CHECK_MESSAGE(!drain_ec, drain_ec.message());
    CHECK(renegotiated == "renegotiated");
    CHECK(SSL_num_renegotiations(client.native_handle()) == 1);
    CHECK(cut_n == 0);
    CHECK_MESSAGE(cut_ec == ssl::error::stream_truncated, cut_ec.message());
}

TEST_CASE("close_notify_now: closes at once when the peer sent nothing or its close_notify, waits for the rest of a record") {
    // idle: nothing of the client's arrives; closed: its close_notify is in first; data: it sent
    // application data, which OpenSSL refuses after a close_notify (an error, as async_shutdown
    // has it); part: the first bytes of a record, whose rest is to be waited for.
    enum class Peer { idle, closed, data, part };
    for (Peer peer : {Peer::idle, Peer::closed, Peer::data, Peer::part}) {
        CAPTURE(static_cast<int>(peer));
        net::io_context io;
        Contexts contexts;
        auto [server_tcp, client_tcp] = connected_pair(io);
        TlsStream server(std::move(server_tcp), contexts.server), client(std::move(client_tcp), contexts.client);
        bool done = false;
        error_code now_ec, client_ec;
        run(io, [&]() -> net::awaitable<void> {
            co_await handshake_both(server, client);
            if (peer == Peer::closed) {  // its shutdown sends its close_notify, then waits for the server's
                client.next_layer().expires_after(std::chrono::seconds(2));
                net::co_spawn(
                    io, [&]() -> net::awaitable<void> { std::tie(client_ec) = co_await client.async_shutdown(nothrow); }, net::detached);
            }
            if (peer == Peer::data) co_await net::async_write(client, net::buffer("more of an upload", 17), nothrow);
            if (peer == Peer::part) {
                const unsigned char header_start[] = {0x17, 0x03, 0x03};
                co_await net::async_write(client.next_layer().socket(), net::buffer(header_start), nothrow);
            }
            if (peer != Peer::idle) {
                auto [ec] = co_await server.next_layer().socket().async_wait(tcp::socket::wait_read, nothrow);
                CHECK_MESSAGE(!ec, ec.message());
            }
            done = server.close_notify_now(now_ec);
            if (peer == Peer::closed) co_return;
            // Whatever it decided, the server's close_notify went out first: the client's read ends in eof.
            char byte;
            client.next_layer().expires_after(std::chrono::seconds(2));
            auto [ec, n] = co_await client.async_read_some(net::buffer(&byte, 1), nothrow);
            client_ec = ec;
        });
        CHECK(done == (peer != Peer::part));
        CHECK_MESSAGE((peer == Peer::data) == static_cast<bool>(now_ec), now_ec.message());
        if (peer == Peer::data) CHECK(now_ec.category() == net::error::get_ssl_category());
        // The client's read (or, closed, its shutdown) saw the server's close_notify.
        CHECK_MESSAGE(client_ec == (peer == Peer::closed ? error_code{} : error_code(net::error::eof)), client_ec.message());
    }
}
