// Control-API pieces without sockets: the numbered event ring, query decoding, route matching.
#include "proxy/api/api_router.hpp"
#include "proxy/events/event_feed.hpp"

#include <doctest/doctest.h>

using namespace tlsfault::proxy;

TEST_CASE("event feed: since(N) gives later events in order, the oldest drop out past capacity") {
    EventFeed feed(3);
    CHECK(feed.last_seq() == 0);
    CHECK(feed.since(0).empty());
    for (std::uint64_t seq = 1; seq <= 5; ++seq) feed.push(seq, "{\"n\":" + std::to_string(seq) + "}");
    CHECK(feed.first_seq() == 3);
    CHECK(feed.last_seq() == 5);
    auto all = feed.since(0);
    REQUIRE(all.size() == 3);
    CHECK(all[0].seq == 3);
    CHECK(all[2].line == "{\"n\":5}");
    auto later = feed.since(4);
    REQUIRE(later.size() == 1);
    CHECK(later[0].seq == 5);
    CHECK(feed.since(5).empty());
    CHECK(feed.since(0, 2).size() == 2);
}

TEST_CASE("api router: query decoding, path parameters, literal paths first, 405 with the allowed methods") {
    auto q = parse_query("host=a.example&timeout=5s&x=%2Fy+z&empty&host=b.example");
    CHECK(q["host"] == "b.example");
    CHECK(q["timeout"] == "5s");
    CHECK(q["x"] == "/y z");
    CHECK(q.contains("empty"));

    const auto& routes = api_routes();
    auto wait = match_route(routes, "GET", "/api/v1/connections/wait");
    REQUIRE(wait.route);
    CHECK(wait.route->pattern == "/api/v1/connections/wait");
    auto one = match_route(routes, "GET", "/api/v1/connections/42");
    REQUIRE(one.route);
    CHECK(one.params["id"] == "42");
    auto named = match_route(routes, "DELETE", "/api/v1/active/cert%2Dexpired");
    REQUIRE(named.route);
    CHECK(named.params["name"] == "cert-expired");
    auto wrong = match_route(routes, "PATCH", "/api/v1/active");
    CHECK_FALSE(wrong.route);
    CHECK(wrong.allowed == std::vector<std::string>{"GET", "PUT"});
    auto none = match_route(routes, "GET", "/api/v1/nothing");
    CHECK_FALSE(none.route);
    CHECK(none.allowed.empty());
}
