// libFuzzer target: the control API's JSON request bodies, as PUT active and POST faults read
// them (request_bodies.cpp): the JSON object, PUT active's {scenarios, yaml} with every inline
// YAML text through the scenario loader, and POST faults' shape check, the one-rule scenario
// built from the body, and that scenario through the loader. A refused body (BodyProblem,
// LoadError) is the expected answer; another exception, a crash or a hang is a finding, and so
// is a fault body that turns into a scenario other than the one rule it was (a key that breaks
// out of the generated YAML).
#include "proxy/api/request_bodies.hpp"

#include "scenarios/model/scenario_loader.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using namespace tlsfault;

void put_active(const boost::json::object& body) {
    proxy::BodyProblem problem;
    auto request = proxy::read_active_request(body, problem);
    if (!request) return;
    for (std::size_t i = 0; i < request->yaml.size(); ++i) {
        try {
            (void)scenarios::load_scenario_text(request->yaml[i], "yaml[" + std::to_string(i) + "]");
        } catch (const scenarios::LoadError& e) {
            for (const auto& p : e.problems()) (void)p.to_string();
        }
    }
}

void post_fault(const boost::json::object& body) {
    if (proxy::check_fault_shape(body)) return;
    try {
        auto scenario = scenarios::load_scenario_text(proxy::fault_scenario_text("fault-1", body), "fault");
        if (scenario->name != "fault-1" || scenario->rules.size() != 1) __builtin_trap();
    } catch (const scenarios::LoadError& e) {
        for (const auto& p : e.problems()) (void)proxy::fault_request_field(p.key_path);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    proxy::BodyProblem problem;
    auto body = proxy::parse_json_object(text, problem);
    if (!body) return 0;
    put_active(*body);
    post_fault(*body);
    return 0;
}
