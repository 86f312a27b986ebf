// The tcp fault chain over loopback socket pairs, without the binary: latency keeps the order
// and counts from each chunk's arrival (delays do not add up), the slicer's slice sizes and
// pauses, and a pump's back-pressure (a sink that does not read stops the source, memory stays
// bounded, nothing is lost once it reads again).
#include "proxy/faults/direction_pump.hpp"
#include "proxy/faults/fault_kinds.hpp"

#include "scenarios/model/faults/latency.hpp"
#include "scenarios/model/faults/slicer.hpp"

#include "tests/unit/proxy/loopback_pair.hpp"

#include <doctest/doctest.h>

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <numeric>

using namespace tlsfault;
using namespace tlsfault::proxy;
using faults::Clock;
using test::loopback_pair;
using test::run_until;
using test::spawn;

namespace {

/// A chain link that records each chunk it sees (size, when), then passes it on.
class Recorder final : public faults::TcpFault {
public:
    explicit Recorder(std::vector<std::pair<std::size_t, Clock::time_point>>& seen) : seen_(seen) {}
    net::awaitable<bool> pass(faults::Chunk chunk, const faults::Next& next) override {
        seen_.emplace_back(chunk.bytes.size(), Clock::now());
        co_return co_await next(chunk);
    }

private:
    std::vector<std::pair<std::size_t, Clock::time_point>>& seen_;
};

/// One direction: bytes written to `source` come out of `sink` through `faults`.
struct Direction {
    explicit Direction(net::io_context& ioc, int buffer_bytes = 0) : source(ioc), from(ioc), to(ioc), sink(ioc) {
        auto [a, b] = loopback_pair(ioc, buffer_bytes);
        source = std::move(a);
        from = std::move(b);
        auto [c, d] = loopback_pair(ioc, buffer_bytes);
        to = std::move(c);
        sink = std::move(d);
    }
    /// Runs a pump with `faults` (built by `make` with each its context); passes the FIN on.
    template <class Make>
    void pump(net::io_context& ioc, Make make) {
        std::vector<std::unique_ptr<faults::FaultContext>> contexts;
        std::vector<std::unique_ptr<faults::TcpFault>> links;
        make(ioc, contexts, links);
        pump_ = std::make_unique<faults::DirectionPump>(from, to, std::move(contexts), std::move(links));
        spawn(ioc, [](Direction& d) -> net::awaitable<void> {
            co_await d.pump_->run();
            error_code ignored;
            d.to.shutdown(tcp::socket::shutdown_send, ignored);
            d.pumped = true;
        }(*this));
    }
    tcp::socket source, from, to, sink;
    bool pumped = false;

private:
    std::unique_ptr<faults::DirectionPump> pump_;
};

/// Reads `socket` to EOF, noting when each read returned.
net::awaitable<void> read_all(tcp::socket& socket, std::string& out, std::vector<std::pair<std::size_t, Clock::time_point>>& reads,
                              bool& done) {
    char buf[4096];
    for (;;) {
        auto [ec, n] = co_await socket.async_read_some(net::buffer(buf), nothrow);
        out.append(buf, n);
        if (n > 0) reads.emplace_back(out.size(), Clock::now());
        if (ec) break;
    }
    done = true;
}

/// When the byte at `offset` arrived.
Clock::time_point arrival_of(std::size_t offset, const std::vector<std::pair<std::size_t, Clock::time_point>>& reads) {
    for (const auto& [end, when] : reads)
        if (offset < end) return when;
    return Clock::time_point::max();
}

/// The link the engine's runtime table makes for `settings` (as the splice does).
std::unique_ptr<faults::TcpFault> link_for(const scenarios::FaultSettings& settings, faults::FaultContext& context) {
    return faults::runtime_fault_of(settings).make_link(settings, context);
}

template <class Settings>
auto one_fault(Settings settings, std::string key) {
    return [=](net::io_context& ioc, auto& contexts, auto& links) {
        contexts.push_back(std::make_unique<faults::FaultContext>(ioc.get_executor(), 42, key));
        links.push_back(link_for(settings, *contexts.back()));
    };
}

/// Writes `chunks` to `socket` `gap` apart (pacing the test's client, not waiting for the code
/// under test), noting when each was written, then sends a FIN.
net::awaitable<void> write_paced(tcp::socket& socket, const std::vector<std::string>& chunks, std::chrono::milliseconds gap,
                                 std::vector<Clock::time_point>& written) {
    net::steady_timer pace(socket.get_executor());
    for (const auto& c : chunks) {
        written.push_back(Clock::now());
        co_await net::async_write(socket, net::buffer(c), nothrow);
        pace.expires_after(gap);
        co_await pace.async_wait(nothrow);
    }
    error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace

TEST_CASE("fault chain: latency delays each chunk from its arrival, so 20 delays do not add up") {
    net::io_context ioc;
    Direction d(ioc);
    d.pump(ioc, one_fault(scenarios::LatencySettings{std::chrono::milliseconds(100), {}}, "lat"));
    std::vector<std::string> chunks;
    for (int i = 0; i < 20; ++i) chunks.push_back("chunk-" + std::to_string(100 + i) + ";");
    std::vector<Clock::time_point> written;
    std::string got;
    std::vector<std::pair<std::size_t, Clock::time_point>> reads;
    bool done = false;
    spawn(ioc, write_paced(d.source, chunks, std::chrono::milliseconds(5), written));
    spawn(ioc, read_all(d.sink, got, reads, done));
    REQUIRE(run_until(ioc, [&] { return done && d.pumped; }));

    CHECK(got == std::accumulate(chunks.begin(), chunks.end(), std::string()));
    std::size_t offset = 0;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        CAPTURE(i);
        const auto delay = arrival_of(offset, reads) - written[i];
        CHECK(delay >= std::chrono::milliseconds(99));  // never early
        offset += chunks[i].size();
    }
    // Twenty chunks 5 ms apart, each 100 ms late: about 200 ms in all, not 20 x 100 ms.
    const auto total = reads.back().second - written.front();
    CHECK(total < std::chrono::milliseconds(1000));
}

TEST_CASE("fault chain: latency with jitter never reorders the stream") {
    net::io_context ioc;
    Direction d(ioc);
    d.pump(ioc, one_fault(scenarios::LatencySettings{std::chrono::milliseconds(60), std::chrono::milliseconds(55)}, "jitter"));
    std::vector<std::string> chunks;
    for (int i = 0; i < 40; ++i) chunks.push_back("<" + std::to_string(i) + ">");
    std::vector<Clock::time_point> written;
    std::string got;
    std::vector<std::pair<std::size_t, Clock::time_point>> reads;
    bool done = false;
    spawn(ioc, write_paced(d.source, chunks, std::chrono::milliseconds(2), written));
    spawn(ioc, read_all(d.sink, got, reads, done));
    REQUIRE(run_until(ioc, [&] { return done && d.pumped; }));
    CHECK(got == std::accumulate(chunks.begin(), chunks.end(), std::string()));
    CHECK(arrival_of(0, reads) - written.front() >= std::chrono::milliseconds(5));  // latency - jitter at least
}

namespace {

/// The slices a slicer with `settings` and key `key` cuts `size` bytes into (size, when it left).
std::vector<std::pair<std::size_t, Clock::time_point>> slices(const scenarios::SlicerSettings& settings, const std::string& key,
                                                              std::size_t size = 200) {
    net::io_context ioc;
    auto [to, sink] = loopback_pair(ioc);
    std::vector<std::pair<std::size_t, Clock::time_point>> seen;
    faults::FaultContext context(ioc.get_executor(), 7, key);
    std::vector<std::unique_ptr<faults::TcpFault>> links;
    links.push_back(link_for(settings, context));
    links.push_back(std::make_unique<Recorder>(seen));
    faults::FaultChain chain(std::move(links), to);
    const std::string bytes(size, 'y');
    bool passed = false;
    // A named lambda: the coroutine refers to its captures, which must outlive it.
    auto pass_the_chunk = [&]() -> net::awaitable<void> { passed = co_await chain.pass(faults::Chunk{bytes, Clock::now()}); };
    spawn(ioc, pass_the_chunk());
    REQUIRE(run_until(ioc, [&] { return passed; }));
    CHECK(chain.written() == size);
    return seen;
}

std::vector<std::size_t> sizes_of(const std::vector<std::pair<std::size_t, Clock::time_point>>& seen) {
    std::vector<std::size_t> out;
    for (const auto& s : seen) out.push_back(s.first);
    return out;
}

}  // namespace

TEST_CASE("fault chain: the slicer cuts a chunk into slices of the average size, the rest last") {
    CHECK(sizes_of(slices({10, 0, std::chrono::milliseconds(0)}, "slice", 95)) ==
          std::vector<std::size_t>{10, 10, 10, 10, 10, 10, 10, 10, 10, 5});
}

TEST_CASE("fault chain: slice sizes vary within size_variation, replay for the same key, and pause by delay") {
    const scenarios::SlicerSettings varied{20, 8, std::chrono::milliseconds(0)};
    auto first = sizes_of(slices(varied, "rule#slicer"));
    REQUIRE(first.size() >= 2);
    CHECK(std::accumulate(first.begin(), first.end(), std::size_t{0}) == 200);
    for (std::size_t i = 0; i + 1 < first.size(); ++i) {
        CAPTURE(i);
        CHECK(first[i] >= 12);
        CHECK(first[i] <= 28);
    }
    CHECK(sizes_of(slices(varied, "rule#slicer")) == first);  // the same attempt replays the same cut
    CHECK(sizes_of(slices(varied, "rule#other")) != first);

    auto paced = slices({100, 0, std::chrono::milliseconds(40)}, "paced");
    REQUIRE(paced.size() == 2);
    CHECK(paced[1].second - paced[0].second >= std::chrono::milliseconds(39));
}

TEST_CASE("fault chain: a sink that does not read stops the source, nothing is lost once it reads") {
    net::io_context ioc;
    Direction d(ioc, 32 * 1024);  // fixed kernel buffers: what they hold is bounded
    d.pump(ioc, one_fault(scenarios::LatencySettings{}, "none"));
    constexpr std::size_t offered = 16u << 20;
    std::size_t accepted = 0;
    bool writer_done = false;
    // A named lambda: the coroutine refers to its captures, which must outlive it.
    auto write_16_mib = [&]() -> net::awaitable<void> {
        std::vector<char> block(64 * 1024);
        while (accepted < offered) {
            for (std::size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>((accepted + i) % 251);
            auto want = std::min(block.size(), offered - accepted);
            auto [ec, n] = co_await net::async_write(d.source, net::buffer(block.data(), want), nothrow);
            accepted += n;
            if (ec) break;
        }
        error_code ignored;
        d.source.shutdown(tcp::socket::shutdown_send, ignored);
        writer_done = true;
    };
    spawn(ioc, write_16_mib());
    // Nobody reads the sink: the writer must stall. Wait until it made no progress for 300 ms.
    std::size_t last = 0;
    auto still_since = Clock::now();
    CHECK(run_until(ioc, [&] {
        if (accepted != last) last = accepted, still_since = Clock::now();
        return Clock::now() - still_since > std::chrono::milliseconds(300);
    }));
    CHECK_FALSE(writer_done);
    // Kernel buffers (four sockets) + the pump's 256 KiB queue + one 16 KiB read: far below 16 MiB.
    CHECK(accepted < (2u << 20));

    std::string got;
    std::vector<std::pair<std::size_t, Clock::time_point>> reads;
    bool read_done = false;
    spawn(ioc, read_all(d.sink, got, reads, read_done));
    REQUIRE(run_until(
        ioc, [&] { return read_done && writer_done && d.pumped; }, std::chrono::seconds(30)));
    REQUIRE(got.size() == offered);
    bool intact = true;
    for (std::size_t i = 0; i < got.size() && intact; ++i) intact = got[i] == static_cast<char>(i % 251);
    CHECK(intact);
}
