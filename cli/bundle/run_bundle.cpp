// Bundle glue for `tlsfault run`: recording options, replaying a bundle folder, scenario folders.
#include "cli/bundle/run_bundle.hpp"

#include "scenarios/model/scenario_reloader.hpp"

#include <algorithm>
#include <set>

namespace tlsfault::cli {
namespace {

// Where this run's records and state go are not the replay's business; --proxy-auth is a
// password, and a bundle is meant to be shared.
const std::set<std::string> not_recorded = {"bundle", "with-keys", "events", "keylog", "state-dir", "proxy-auth", "help"};

bool is_flag(std::span<const OptionSpec> specs, const std::string& name) {
    auto it = std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& s) { return s.name == name; });
    return it != specs.end() && !it->takes_value;
}

void append_option(std::vector<std::string>& args, const BundleOption& o) {
    args.push_back("--" + o.name);
    if (o.value) args.push_back(*o.value);
}

std::vector<std::string> ca_banner(const std::filesystem::path& dir, bool ca_keys) {
    if (ca_keys)
        return {"  bundle CA       " + (dir / "ca/root.pem").string() +
                " (the bundle's own CA: clients that trust it see the same chains)"};
    return {"  bundle CA       not used: the bundle was written without --with-keys, so this replay serves the LOCAL lab CA",
            "                  (clients must trust the root printed above, not " + (dir / "ca/root.pem").string() + ")"};
}

}  // namespace

std::vector<BundleOption> recorded_options(const ParsedArgs& args, std::span<const OptionSpec> specs) {
    std::vector<BundleOption> out;
    for (const auto& [name, values] : args.options()) {
        if (not_recorded.count(name)) continue;
        for (const auto& value : values) out.push_back({name, is_flag(specs, name) ? std::nullopt : std::optional<std::string>(value)});
    }
    return out;
}

std::optional<ReplayPlan> plan_replay(const ParsedArgs& args, std::span<const OptionSpec> specs, const std::string& version) {
    const auto& names = args.positionals();
    auto bundle = std::find_if(names.begin(), names.end(), [](const std::string& n) { return is_bundle_dir(n); });
    if (bundle == names.end()) return std::nullopt;
    if (names.size() != 1) throw UsageError(*bundle + " is a repro bundle: it replays alone (give no other NAME|FILE with it)");
    const std::filesystem::path dir(*bundle);
    auto manifest = read_bundle_manifest(dir);
    ReplayPlan plan;
    for (const auto& [name, values] : args.options())  // the replaying command line first: it wins
        for (const auto& value : values)
            if (name != "help") append_option(plan.args, {name, is_flag(specs, name) ? std::nullopt : std::optional<std::string>(value)});
    for (const auto& o : manifest.options)
        if (!args.has(o.name) && !not_recorded.count(o.name)) append_option(plan.args, o);
    plan.args.push_back("--");
    for (const auto& file : manifest.scenario_files) plan.args.push_back((dir / file).string());
    if (manifest.ca_keys) plan.ca_state_dir = dir;
    plan.banner.push_back("  replaying       " + dir.string() + " (written " + manifest.created + " by tlsfault " +
                          manifest.tlsfault_version + ")");
    if (manifest.tlsfault_version != version)
        plan.banner.push_back("  note            this is tlsfault " + version +
                              ": verdicts may differ where the versions behave differently");
    auto ca = ca_banner(dir, manifest.ca_keys);
    plan.banner.insert(plan.banner.end(), ca.begin(), ca.end());
    return plan;
}

std::vector<BundleScenario> bundle_scenarios(const proxy::EngineConfig& config) {
    std::vector<BundleScenario> out;
    for (const auto& scenario : config.scenarios) out.push_back({scenario, {}});
    for (const auto& file : config.scenario_files) out.at(file.index).source_file = file.reloader->file();
    return out;
}

std::string command_line_text(std::span<const std::string> raw) {
    std::string text = "tlsfault run";
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i].starts_with("--proxy-auth")) {  // the password stays out of the README
            text += " --proxy-auth USER:***";
            i += raw[i] == "--proxy-auth" ? 1 : 0;
            continue;
        }
        const std::string& arg = raw[i];
        bool plain = !arg.empty() && arg.find_first_of(" \t'\"$\\`*?;&|<>()") == std::string::npos;
        text += plain ? " " + arg : " '" + arg + "'";
    }
    return text;
}

std::vector<std::string> expand_scenario_dirs(const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const auto& name : names) {
        std::error_code ec;
        if (!std::filesystem::is_directory(name, ec)) {
            out.push_back(name);
            continue;
        }
        std::vector<std::string> files;
        for (const auto& entry : std::filesystem::directory_iterator(name, ec)) {
            auto ext = entry.path().extension();
            if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(entry.path().string());
        }
        if (ec) throw UsageError(name + ": cannot list the scenario folder: " + ec.message());
        if (files.empty())
            throw UsageError(name +
                             ": a scenario folder with no *.yaml file (nor bundle.json); give scenario files or a folder holding some");
        std::sort(files.begin(), files.end());
        out.insert(out.end(), files.begin(), files.end());
    }
    return out;
}

}  // namespace tlsfault::cli
