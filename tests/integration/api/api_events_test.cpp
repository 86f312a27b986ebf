// Numbered events (events?since=N) and the SSE stream (ids, Last-Event-ID), read by a real
// HTTP client (curl, python3 urllib).
#include "tests/integration/api/api_client.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <sstream>
#include <thread>

using namespace tlsfault::test;
namespace json = boost::json;

TEST_CASE("api: events?since=N gives the log's events, numbered without gaps") {
    RunningEngine e;
    auto all = api(e, "GET", "/api/v1/events?since=0");
    REQUIRE(all.status == 200);
    const auto& events = all.json.at("events").as_array();
    REQUIRE(events.size() >= 4);  // listen x4 at least
    for (std::size_t i = 0; i < events.size(); ++i) CHECK(events[i].at("seq").to_number<std::uint64_t>() == i + 1);
    CHECK(member(events[0], {"event"}) == "listen");
    CHECK(member(all.json, {"missed"}) == "false");

    const auto last = all.json.at("last_seq").to_number<std::uint64_t>();
    REQUIRE(curl_host(e, "good.tlsfault.test").exit_code == 0);
    wait_connection(e, "good.tlsfault.test");
    auto newer = api(e, "GET", "/api/v1/events?since=" + std::to_string(last));
    REQUIRE(newer.status == 200);
    const auto& fresh = newer.json.at("events").as_array();
    REQUIRE(!fresh.empty());
    CHECK(fresh[0].at("seq").to_number<std::uint64_t>() == last + 1);
    CHECK(member(fresh[0], {"event"}) == "accept");
    bool verdict = false;
    for (const auto& ev : fresh) verdict |= member(ev, {"event"}) == "verdict" && member(ev, {"outcome"}) == "accepted";
    CHECK(verdict);
    // The log file has the same events in the same order.
    auto lines = e.events();
    REQUIRE(lines.size() >= last + 1);
    CHECK(json_field(lines[last], "event") == "accept");

    auto limited = api(e, "GET", "/api/v1/events?since=0&limit=2");
    CHECK(limited.json.at("events").as_array().size() == 2);
    CHECK(api(e, "GET", "/api/v1/events?since=x").status == 400);
}

TEST_CASE("api: events/stream sends each event with its id, and resumes after Last-Event-ID") {
    RunningEngine e;
    const std::string url = "http://127.0.0.1:" + std::to_string(e.api_port()) + "/api/v1/events/stream";
    // Resume after event 1: the stream replays 2.. (the other listen events), then goes live.
    auto replay = run_process({"python3", SSE_READER, url, e.api_token(), "listen", "1"}, std::chrono::seconds(20));
    REQUIRE_MESSAGE(replay.exit_code == 0, replay.all());
    std::istringstream frames(replay.out);
    std::string line;
    std::getline(frames, line);
    CHECK(line == "ready");
    std::getline(frames, line);
    auto first = json::parse(line);
    CHECK(member(first, {"id"}) == "2");
    CHECK(member(first, {"event"}) == "listen");
    CHECK(member(json::parse(member(first, {"data"})), {"seq"}) == "2");

    // A connection made while a reader follows the stream from a known point (?since=, so
    // there is no race with the reader's own connect) arrives as events; the reader stops at the verdict.
    const auto last = api(e, "GET", "/api/v1/events?since=0").json.at("last_seq").to_number<std::uint64_t>();
    BackgroundProcess reader({"python3", SSE_READER, url + "?since=" + std::to_string(last), e.api_token(), "verdict"},
                             e.dir() / "sse.log");
    REQUIRE(curl_host(e, "good.tlsfault.test").exit_code == 0);
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (reader.running() && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(reader.stop() == 0);
    const std::string out = file_text(e.dir() / "sse.log");
    CHECK(out.find("\"id\": \"" + std::to_string(last + 1) + "\", \"event\": \"accept\"") != std::string::npos);
    CHECK(out.find("\"event\": \"verdict\"") != std::string::npos);
}
