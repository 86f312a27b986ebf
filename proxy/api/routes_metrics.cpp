// GET /metrics (Prometheus text format, token required like every route but health): the
// event counters, plus what no event carries (leaf cache, active scenarios, runtime faults).
#include "proxy/api/api_json.hpp"

namespace tlsfault::proxy {
namespace {

void gauge(std::string& out, const char* name, const char* type, const char* help, std::uint64_t value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " + std::to_string(value) + "\n";
}

net::awaitable<ApiReply> metrics(ApiCall& call) {
    auto& c = call.context;
    ApiReply reply;
    reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
    reply.body = c.store.metrics_text();
    if (c.leaves) {
        gauge(reply.body, "tlsfault_leaf_cache_hits_total", "counter", "Leaf certificates served from the cache.", c.leaves->hits());
        gauge(reply.body, "tlsfault_leaf_cache_misses_total", "counter", "Leaf certificates minted (cache misses).", c.leaves->misses());
    }
    const auto active = c.runtime.active();
    reply.body += "# HELP tlsfault_active_scenarios Scenarios active now (1 per name).\n# TYPE tlsfault_active_scenarios gauge\n";
    for (const auto& s : active) reply.body += "tlsfault_active_scenarios{scenario=\"" + prometheus_label(s->name) + "\"} 1\n";
    gauge(reply.body, "tlsfault_active_scenarios_count", "gauge", "How many scenarios are active.", active.size());
    std::size_t faults = 0;
    {
        std::lock_guard lock(c.mutex);
        faults = c.faults.size();
    }
    gauge(reply.body, "tlsfault_runtime_faults", "gauge", "Runtime faults added through the API and in force.", faults);
    co_return reply;
}

}  // namespace

void add_metrics_routes(std::vector<ApiRoute>& routes) {
    routes.push_back({"GET", "/metrics",
                      "Prometheus metrics: connections, verdicts, expectations, handshake time, cache, bytes, revocation, active scenarios",
                      metrics});
}

}  // namespace tlsfault::proxy
