// KeylogLines: NSS key log lines kept by client random, bounded in randoms and in lines per random.
#include "proxy/tls/keylog_lines.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace tlsfault::proxy;

namespace {
std::string random_hex(char digit) { return std::string(64, digit); }
std::string line(const char* label, char digit) { return std::string(label) + " " + random_hex(digit) + " 00ff"; }
}  // namespace

TEST_CASE("keylog_lines: lines are kept by their client random, in order, lookup in either case") {
    KeylogLines keys;
    keys.add(line("CLIENT_HANDSHAKE_TRAFFIC_SECRET", 'a'));
    keys.add(line("CLIENT_RANDOM", 'b'));
    keys.add(line("SERVER_TRAFFIC_SECRET_0", 'a'));
    CHECK(keys.lines_for(random_hex('a')) ==
          std::vector<std::string>{line("CLIENT_HANDSHAKE_TRAFFIC_SECRET", 'a'), line("SERVER_TRAFFIC_SECRET_0", 'a')});
    CHECK(keys.lines_for(random_hex('A')).size() == 2);
    CHECK(keys.lines_for(random_hex('b')) == std::vector<std::string>{line("CLIENT_RANDOM", 'b')});
    CHECK(keys.lines_for(random_hex('c')).empty());
}

TEST_CASE("keylog_lines: lines of another shape are ignored") {
    KeylogLines keys;
    keys.add("");
    keys.add("# comment");
    keys.add("LABEL " + std::string(63, 'a') + " 00");  // random one digit short
    keys.add("LABEL " + std::string(64, 'g') + " 00");  // not hex
    keys.add("LABEL " + random_hex('a'));               // no secret
    CHECK(keys.lines_for(random_hex('a')).empty());
    CHECK(keylog_client_random("X " + std::string(64, 'F') + " 1") == std::string(64, 'f'));
}

TEST_CASE("keylog_lines: the oldest random drops out beyond capacity, and one random holds a bounded number of lines") {
    KeylogLines keys(2);
    keys.add(line("A", '1'));
    keys.add(line("A", '2'));
    keys.add(line("A", '3'));
    CHECK(keys.lines_for(random_hex('1')).empty());
    CHECK(keys.lines_for(random_hex('2')).size() == 1);
    CHECK(keys.lines_for(random_hex('3')).size() == 1);
    for (int i = 0; i < 100; ++i) keys.add(line("REPLAYED", '3'));  // a client reusing its random
    CHECK(keys.lines_for(random_hex('3')).size() == KeylogLines::max_lines_per_random);
}
