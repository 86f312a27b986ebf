// bundle.json written with the event log's JSON escaping and read with yaml-cpp (JSON is YAML),
// so no JSON library is needed.
#include "cli/bundle/bundle_manifest.hpp"

#include "cli/arg_parser.hpp"
#include "proxy/events/json_line.hpp"

#include <yaml-cpp/yaml.h>

namespace tlsfault::cli {
namespace {

std::string json_string(std::string_view text) {
    std::string out;
    proxy::append_json_string(out, text);
    return out;
}

/// "FILE:line:col: key: message" (yaml-cpp marks are 0-based).
[[noreturn]] void manifest_error(const std::filesystem::path& file, const YAML::Mark& mark, const std::string& key,
                                 const std::string& message) {
    throw UsageError(file.string() + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) + ": " + key + ": " +
                     message);
}

/// The scenario path `node` names, checked to be a relative file inside `dir`.
std::string scenario_file(const std::filesystem::path& file, const std::filesystem::path& dir, const YAML::Node& node,
                          const std::string& key) {
    if (!node.IsScalar()) manifest_error(file, node.Mark(), key, "expected a file name relative to the bundle");
    std::string name = node.as<std::string>();
    std::filesystem::path relative(name);
    if (relative.is_absolute() || name.find("..") != std::string::npos)
        manifest_error(file, node.Mark(), key, "'" + name + "' is not inside the bundle folder");
    if (!std::filesystem::is_regular_file(dir / relative))
        manifest_error(file, node.Mark(), key, "'" + name + "' is missing from the bundle folder");
    return name;
}

BundleOption option(const std::filesystem::path& file, const YAML::Node& node, const std::string& key) {
    if (!node.IsMap() || !node["name"] || !node["name"].IsScalar())
        manifest_error(file, node.Mark(), key, "expected {\"name\": OPTION} or {\"name\": OPTION, \"value\": TEXT}");
    BundleOption out{node["name"].as<std::string>(), std::nullopt};
    if (node["value"]) out.value = node["value"].as<std::string>();
    return out;
}

}  // namespace

std::string to_json(const BundleManifest& m) {
    std::string out = "{\n  \"tlsfault_version\": " + json_string(m.tlsfault_version) + ",\n  \"created\": " + json_string(m.created) +
                      ",\n  \"ca_keys\": " + (m.ca_keys ? "true" : "false") + ",\n  \"scenarios\": [";
    for (std::size_t i = 0; i < m.scenario_files.size(); ++i) out += (i ? ", " : "") + json_string(m.scenario_files[i]);
    out += "],\n  \"options\": [";
    for (std::size_t i = 0; i < m.options.size(); ++i) {
        out += std::string(i ? "," : "") + "\n    {\"name\": " + json_string(m.options[i].name);
        if (m.options[i].value) out += ", \"value\": " + json_string(*m.options[i].value);
        out += "}";
    }
    out += m.options.empty() ? "]\n}\n" : "\n  ]\n}\n";
    return out;
}

bool is_bundle_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    return std::filesystem::is_directory(dir, ec) && std::filesystem::is_regular_file(dir / bundle_manifest_name, ec);
}

BundleManifest read_bundle_manifest(const std::filesystem::path& dir) {
    const auto file = dir / bundle_manifest_name;
    YAML::Node root;
    try {
        root = YAML::LoadFile(file.string());
    } catch (const YAML::BadFile&) {
        throw UsageError(file.string() + ": cannot read the bundle manifest");
    } catch (const YAML::Exception& e) {
        manifest_error(file, e.mark, "(document)", e.msg);
    }
    if (!root.IsMap()) manifest_error(file, root.Mark(), "(document)", "expected a JSON object");
    BundleManifest m;
    if (auto v = root["tlsfault_version"]; v && v.IsScalar()) m.tlsfault_version = v.as<std::string>();
    if (auto v = root["created"]; v && v.IsScalar()) m.created = v.as<std::string>();
    if (auto v = root["ca_keys"]; v && v.IsScalar()) m.ca_keys = v.as<std::string>() == "true";
    auto scenarios = root["scenarios"];
    if (!scenarios || !scenarios.IsSequence())
        manifest_error(file, scenarios ? scenarios.Mark() : root.Mark(), "scenarios",
                       "expected a list of scenario files (empty: default routing)");
    for (std::size_t i = 0; i < scenarios.size(); ++i)
        m.scenario_files.push_back(scenario_file(file, dir, scenarios[i], "scenarios[" + std::to_string(i) + "]"));
    if (auto options = root["options"]) {
        if (!options.IsSequence()) manifest_error(file, options.Mark(), "options", "expected a list");
        for (std::size_t i = 0; i < options.size(); ++i)
            m.options.push_back(option(file, options[i], "options[" + std::to_string(i) + "]"));
    }
    return m;
}

}  // namespace tlsfault::cli
