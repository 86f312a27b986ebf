// curl -w '\n%{http_code}' puts the status after the body, so one process gives both.
#include "tests/integration/api/api_client.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include <boost/json/parse.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace tlsfault::test {
namespace json = boost::json;

std::string ApiAnswer::str(const char* key) const { return member(json, {key}); }

std::string member(const json::value& v, std::initializer_list<const char*> path) {
    const json::value* at = &v;
    for (const char* key : path) {
        if (!at->is_object()) return {};
        at = at->as_object().if_contains(key);
        if (!at) return {};
    }
    if (at->is_string()) return std::string(at->as_string());
    if (at->is_null()) return {};
    return json::serialize(*at);
}

ApiAnswer api(const RunningEngine& engine, const std::string& method, const std::string& path, const ApiOptions& options) {
    std::vector<std::string> argv = {"curl", "-sS", "--max-time", "30", "-X", method, "-o", "-", "-w", "\n%{http_code}"};
    const std::string token = options.token.value_or(engine.api_token());
    if (!token.empty()) argv.insert(argv.end(), {"-H", "Authorization: Bearer " + token});
    if (!options.body.empty()) argv.insert(argv.end(), {"-H", "Content-Type: application/json", "--data-binary", "@-"});
    argv.insert(argv.end(), options.curl_args.begin(), options.curl_args.end());
    argv.push_back("http://127.0.0.1:" + std::to_string(engine.api_port()) + path);
    auto r = run_process(argv, std::chrono::seconds(40), options.body);
    ApiAnswer answer;
    auto cut = r.out.rfind('\n');
    REQUIRE_MESSAGE(cut != std::string::npos, "curl gave no status: " << r.all());
    answer.status = std::atoi(r.out.c_str() + cut + 1);
    answer.body = r.out.substr(0, cut);
    boost::system::error_code ec;
    answer.json = json::parse(answer.body, ec);
    if (ec) answer.json = nullptr;
    return answer;
}

ApiAnswer put_inline_yaml(const RunningEngine& engine, const std::string& yaml) {
    return api(engine, "PUT", "/api/v1/active", {.body = json::serialize(json::object{{"yaml", json::array{json::string(yaml)}}})});
}

std::string file_text(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

json::object wait_connection(const RunningEngine& engine, const std::string& host, std::uint64_t since, const std::string& timeout) {
    auto a = api(engine, "GET", "/api/v1/connections/wait?host=" + host + "&since=" + std::to_string(since) + "&timeout=" + timeout);
    REQUIRE_MESSAGE(a.status == 200, "connections/wait " << host << ": " << a.status << " " << a.body);
    return a.json.as_object();
}

ProcessResult curl_host(const RunningEngine& engine, const std::string& host, std::vector<std::string> extra) {
    std::vector<std::string> args = {"-sS", "--cacert", engine.root_pem(), "--connect-to", connect_to(engine, host)};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("https://" + host + "/");
    return curl(args);
}

}  // namespace tlsfault::test
