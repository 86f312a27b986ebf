// libFuzzer target: the scenario loader, YAML text in, the validation `tlsfault validate` runs
// (load_scenario_text: syntax, keys, types, units, globs, regexes, profiles), and every problem
// formatted as validate prints it. A LoadError is the expected answer to bad text; anything
// else escaping (another exception, a crash, a hang) is a finding.
#include "scenarios/model/scenario_loader.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace tlsfault::scenarios;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        auto scenario = load_scenario_text(text, "fuzz.yaml");
        (void)scenario->rules.size();
    } catch (const LoadError& e) {
        for (const auto& problem : e.problems()) (void)problem.to_string();
    }
    return 0;
}
