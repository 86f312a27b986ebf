// What loaded rules cost one connection: the scenario work a new connection does once its host
// is known (ScenarioRuntime::on_connection, scenario_naming, one request's on_request), with one
// small scenario against the whole built-in catalogue plus 1,000 generated host rules, as the
// `tlsfault+rules` row of bench/proxy/run_bench.sh loads them. No request matches any rule.
// Run: build-rel/bench/rule_selection_bench
#include "proxy/core/connection.hpp"
#include "proxy/events/console_view.hpp"
#include "proxy/events/event_log.hpp"
#include "proxy/scenario/scenario_runtime.hpp"

#include "certgen/lab_pki.hpp"
#include "scenarios/builtin/builtin_catalogue.hpp"
#include "scenarios/model/scenario_loader.hpp"

#include <benchmark/benchmark.h>

#include <string>

using namespace tlsfault;

namespace {

std::shared_ptr<const scenarios::Scenario> host_rules(int count) {
    std::string text =
        "name: bench-host-rules\ntitle: \"host rules no request matches\"\n"
        "description:\n  symptom: \"none\"\n  cause: \"a benchmark\"\n  fix: \"none\"\nrules:\n";
    for (int i = 1; i <= count; ++i)
        text += "  - name: r" + std::to_string(i) + "\n    match:\n      host: h" + std::to_string(i) +
                ".rules.bench.test\n    tls:\n      alert: access_denied\n";
    return scenarios::load_scenario_text(text, "bench-host-rules.yaml");
}

certgen::LabPki& lab() {
    static auto pki = certgen::LabPki::in_memory();
    return *pki;
}

/// One connection to `host` from 127.0.0.1 and one GET on it, as a ScenarioSession asks.
void one_connection(proxy::ScenarioRuntime& runtime, proxy::EventLog& log, proxy::ConsoleView& console, const std::string& host) {
    proxy::Connection conn(log, console, proxy::ListenerKind::sni, "127.0.0.1:40000", "127.0.0.1:8443");
    proxy::ScenarioConnection sc;
    sc.facts.host = host;
    sc.facts.port = 8443;
    sc.facts.listener = scenarios::ListenerKind::sni;
    sc.facts.client = "127.0.0.1";
    runtime.on_connection(conn, sc);
    sc.host_named_by = proxy::ScenarioRuntime::scenario_naming(*sc.set, host);
    scenarios::RequestFacts request{"GET", "/1k", "", {}, false, false};
    std::string scenario;
    std::uint64_t attempt = 0;
    benchmark::DoNotOptimize(proxy::ScenarioRuntime::on_request(sc, request, scenario, attempt));
    conn.verdict({proxy::Outcome::accepted, proxy::Phase::request, {}, {}, {}});
}

std::vector<std::shared_ptr<const scenarios::Scenario>> scenarios_for(bool whole_catalogue) {
    std::vector<std::shared_ptr<const scenarios::Scenario>> loaded;
    if (whole_catalogue)
        for (const auto& scenario : scenarios::builtin_scenarios()) loaded.push_back(scenario);
    loaded.push_back(host_rules(whole_catalogue ? 1000 : 1));
    return loaded;
}

void connection(benchmark::State& state, bool whole_catalogue) {
    auto loaded = scenarios_for(whole_catalogue);
    proxy::ScenarioRuntime runtime(loaded, lab().cas(), &lab());
    proxy::EventLog log("");
    proxy::ConsoleView console(nullptr);
    for (auto _ : state) one_connection(runtime, log, console, "127.0.0.1");
    state.counters["scenarios"] = static_cast<double>(loaded.size());
}

// The loop ScenarioRuntime ran before SelectorIndex (2026-12-03), kept here for comparison: every
// scenario counted the attempt and looked for a rule, every scenario was asked whether it names
// the host, and every scenario counted the request.
void every_scenario(benchmark::State& state) {
    std::vector<std::shared_ptr<scenarios::RuleSelector>> selectors;
    for (auto& scenario : scenarios_for(true)) selectors.push_back(std::make_shared<scenarios::RuleSelector>(scenario));
    proxy::EventLog log("");
    proxy::ConsoleView console(nullptr);
    const std::string host = "127.0.0.1";
    for (auto _ : state) {
        proxy::Connection conn(log, console, proxy::ListenerKind::sni, "127.0.0.1:40000", "127.0.0.1:8443");
        scenarios::ConnectionFacts base;
        base.host = host;
        base.port = 8443;
        base.listener = scenarios::ListenerKind::sni;
        base.client = "127.0.0.1";
        for (const auto& selector : selectors) {
            auto facts = base;
            benchmark::DoNotOptimize(selector->on_connection(facts));
        }
        for (const auto& selector : selectors)
            if (selector->names_host(host)) break;
        scenarios::RequestFacts request{"GET", "/1k", "", {}, false, false};
        std::uint64_t attempt = 0;
        for (const auto& selector : selectors)
            if (selector->on_request(base, request, &attempt)) break;
        conn.verdict({proxy::Outcome::accepted, proxy::Phase::request, {}, {}, {}});
    }
}

}  // namespace

BENCHMARK(every_scenario)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(connection, one_rule, false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(connection, catalogue_and_1000_rules, true)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
