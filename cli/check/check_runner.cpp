// One scenario, start to end. Each wait has a deadline: the client's --timeout, then
// connections/wait's own timeout; the client is ended by its process group when it overruns.
#include "cli/check/check_runner.hpp"

#include "cli/check/check_judge.hpp"
#include "common/child_process.hpp"

#include <boost/json.hpp>

namespace tlsfault::cli::check {
namespace {

namespace json = boost::json;

json::value parse_body(const ApiAnswer& answer, const std::string& what) {
    boost::system::error_code ec;
    auto value = json::parse(answer.body, ec);
    if (ec) throw CheckError(what + ": the API answered HTTP " + std::to_string(answer.status) + " without JSON");
    return value;
}

std::string error_of(const ApiAnswer& answer) {
    boost::system::error_code ec;
    auto value = json::parse(answer.body, ec);
    if (!ec && value.is_object())
        if (const auto* e = value.as_object().if_contains("error"); e && e->is_string()) return std::string(e->as_string());
    return "HTTP " + std::to_string(answer.status);
}

}  // namespace

const std::vector<std::string>& placeholder_names() {
    static const std::vector<std::string> names = {"url",        "host", "port",     "path",     "proxy",
                                                   "proxy_port", "ca",   "sni_addr", "sni_port", "scenario"};
    return names;
}

std::string expand(const std::string& arg, const CheckScenario& s, const Placeholders& v) {
    const std::pair<const char*, std::string> values[] = {
        {"{url}", s.url},      {"{host}", s.host},         {"{port}", std::to_string(s.port)},
        {"{path}", s.path},    {"{proxy}", v.proxy},       {"{proxy_port}", std::to_string(v.proxy_port)},
        {"{ca}", v.ca},        {"{sni_addr}", v.sni_addr}, {"{sni_port}", std::to_string(v.sni_port)},
        {"{scenario}", s.name}};
    std::string out;
    for (std::size_t i = 0; i < arg.size();) {
        bool replaced = false;
        for (const auto& [name, value] : values) {
            if (arg.compare(i, std::char_traits<char>::length(name), name) != 0) continue;
            out += value;
            i += std::char_traits<char>::length(name);
            replaced = true;
            break;
        }
        if (!replaced) out += arg[i++];
    }
    return out;
}

CheckRunner::CheckRunner(const ApiClient& api, Placeholders placeholders, std::vector<std::string> command,
                         std::chrono::milliseconds timeout)
    : api_(api), placeholders_(std::move(placeholders)), command_(std::move(command)), timeout_(timeout) {}

void CheckRunner::activate_alone(const std::string& name) const {
    json::object body{{"scenarios", json::array{json::value(name)}}};
    const auto put = api_.put("active", json::serialize(body));
    if (put.status != 200) throw CheckError("activating " + name + ": " + error_of(put));
    // Attempt counts (sequence: first N) start again, so every scenario meets the client afresh.
    const auto reset = api_.post("reset");
    if (reset.status != 200) throw CheckError("resetting the attempt counters: " + error_of(reset));
}

long CheckRunner::last_connection_id() const {
    const auto answer = api_.get("connections?limit=1");
    if (answer.status != 200) throw CheckError("GET connections: " + error_of(answer));
    const auto value = parse_body(answer, "GET connections");
    const auto* id = value.is_object() ? value.as_object().if_contains("last_id") : nullptr;
    return id && id->is_number() ? static_cast<long>(id->to_number<double>()) : 0;
}

ClientOutcome CheckRunner::run_client(const CheckScenario& scenario) const {
    ClientOutcome client;
    for (const auto& arg : command_) client.argv.push_back(expand(arg, scenario, placeholders_));
    common::ChildSpec spec{.argv = client.argv, .deadline = timeout_, .output_cap = 1024 * 1024};
    for (const char* name : {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"}) spec.env.emplace_back(name, placeholders_.proxy);
    // The lab's CRL/OCSP listener is on loopback: clients fetch from it directly.
    for (const char* name : {"NO_PROXY", "no_proxy"}) spec.env.emplace_back(name, "127.0.0.1,localhost,::1");
    const auto start = std::chrono::steady_clock::now();
    auto result = common::run_child(spec);
    client.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    client.exit_code = result.exit_code;
    client.timed_out = result.timed_out;
    client.started = result.started;
    client.out = std::move(result.out);
    client.err = std::move(result.err);
    client.message = client_message(client.err, client.out);
    if (client.timed_out)
        client.message = "(ended after the " + std::to_string(timeout_.count() / 1000.0).substr(0, 4) + " s timeout) " + client.message;
    return client;
}

ScenarioOutcome CheckRunner::run(const CheckScenario& scenario) const {
    ScenarioOutcome outcome;
    outcome.scenario = scenario;
    activate_alone(scenario.name);
    const long since = last_connection_id();
    outcome.client = run_client(scenario);
    const std::string filter = "scenario=" + url_encode(scenario.name) + "&since=" + std::to_string(since);
    // The client has ended; its last connection may still be finishing (a fault still running,
    // or the answer written but its response event not yet recorded): wait for its close.
    if (outcome.client.started) {
        const auto waited = api_.get("connections/wait?" + filter + "&closed=true&timeout=5s", std::chrono::seconds(10));
        if (waited.status != 200 && waited.status != 408) throw CheckError("GET connections/wait: " + error_of(waited));
    }
    const auto answer = api_.get("connections?" + filter + "&limit=1000");
    if (answer.status != 200) throw CheckError("GET connections: " + error_of(answer));
    const auto value = parse_body(answer, "GET connections");
    const auto* records = value.is_object() ? value.as_object().if_contains("connections") : nullptr;
    judge(records && records->is_array() ? records->as_array() : json::array{}, outcome);
    if (!outcome.client.started) outcome.reason = outcome.client.err;
    return outcome;
}

}  // namespace tlsfault::cli::check
