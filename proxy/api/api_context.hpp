// What every control-API request can reach: the scenario runtime, the event feed and the
// connection store, the CA to hand out, the token, and the scenarios the API knows by name.
// Internal to proxy/api/.
#pragma once

#include "proxy/api/connection_store.hpp"
#include "proxy/events/event_feed.hpp"
#include "proxy/events/event_log.hpp"
#include "proxy/scenario/scenario_runtime.hpp"
#include "proxy/tls/keylog_lines.hpp"

#include "certgen/leaf_cache.hpp"
#include "scenarios/model/scenario.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tlsfault::proxy {

/// Where a scenario the API knows came from.
enum class ScenarioOrigin { builtin, file, inline_yaml };
std::string_view to_string(ScenarioOrigin origin);

struct KnownScenario {
    std::shared_ptr<const scenarios::Scenario> scenario;
    ScenarioOrigin origin = ScenarioOrigin::builtin;
};

struct ApiContext {
    ApiContext(ScenarioRuntime& r, EventLog& l, EventFeed& f, std::string t) : runtime(r), log(l), feed(f), store(f), token(std::move(t)) {}

    ScenarioRuntime& runtime;
    EventLog& log;  ///< changes made through the API are logged like everything else
    EventFeed& feed;
    ConnectionStore store;
    const std::string token;
    std::string ca_pem;      ///< the lab root, PEM
    std::string ca_der;      ///< the lab root, DER
    std::string ca_path;     ///< the lab root's PEM file, for client command lines (GET lab)
    std::string lab_domain;  ///< "tlsfault.test"
    /// Every bound listener as (kind, "host:port"), set before the first call is served.
    std::vector<std::pair<std::string, std::string>> listeners;
    const certgen::LeafCache* leaves = nullptr;  ///< for the cache hit/miss metrics
    const KeylogLines* keylog = nullptr;         ///< recent key log lines by client random; null with key logging off
    const std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

    /// Guards `loaded` and every read-modify-write of the active set, so two API calls never
    /// lose each other's change.
    std::mutex mutex;
    /// Scenarios known besides the built-in catalogue: files given to `run` and inline YAML
    /// sent to `PUT active`, by name (a newer inline scenario of the same name replaces an older).
    std::map<std::string, KnownScenario> loaded;

    /// Runtime faults (`POST faults`), in the order added: what was asked and the one-rule
    /// scenario built from it. Guarded by `mutex`.
    struct RuntimeFault {
        std::string id;  ///< "fault-1", ...
        boost::json::object request;
        std::shared_ptr<const scenarios::Scenario> scenario;
    };
    std::vector<RuntimeFault> faults;
    std::uint64_t next_fault = 1;

    /// A scenario by name: the active one of that name first (the newest version of a reloaded
    /// file), then loaded ones, then the catalogue; nullopt when unknown.
    std::optional<KnownScenario> find_scenario(const std::string& name) const;
};

}  // namespace tlsfault::proxy
