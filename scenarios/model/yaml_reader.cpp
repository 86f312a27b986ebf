#include "scenarios/model/yaml_reader.hpp"

#include "scenarios/model/units.hpp"

#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

namespace tlsfault::scenarios {

void Diagnostics::error(const YAML::Mark& at, std::string key_path, std::string message) {
    Problem p;
    p.file = file_;
    if (!at.is_null()) {
        p.line = at.line + 1;
        p.column = at.column + 1;
    }
    p.key_path = std::move(key_path);
    p.message = std::move(message);
    problems_.push_back(std::move(p));
}

void Diagnostics::rename_path(std::size_t first, const std::string& from, const std::string& to) {
    for (std::size_t i = first; i < problems_.size(); ++i)
        if (problems_[i].key_path == from) problems_[i].key_path = to;
}

std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Undefined: return "nothing";
    case YAML::NodeType::Null: return "an empty value";
    case YAML::NodeType::Scalar: return "'" + node.Scalar() + "'";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    }
    return "something else";
}

MapReader::MapReader(const YAML::Node& node, std::string path, Diagnostics& diag, std::vector<std::string_view> allowed)
    : node_(node), path_(std::move(path)), diag_(diag) {
    if (!node.IsMap()) {
        diag.error(node, path_, "expected a mapping, got " + describe(node));
        return;
    }
    ok_ = true;
    const std::vector<std::string_view>& names = allowed;
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
        const YAML::Node key = it->first;  // a copy: the iterator hands out temporaries
        if (!key.IsScalar()) {
            diag.error(key, path_, "a key must be a plain word, got " + describe(key));
            continue;
        }
        const std::string& name = key.Scalar();
        const std::string key_path = this->path(name);
        if (!seen.insert(name).second) {
            diag.error(key, key_path, "duplicate key");
            continue;
        }
        bool known = false;
        for (auto a : names) known = known || a == name;
        if (!known) {
            std::string hint = did_you_mean(name, names);
            if (hint.empty()) {
                hint = " (expected one of:";
                for (auto a : names) hint += " " + std::string(a);
                hint += ")";
            }
            diag.error(key, key_path, "unknown key '" + name + "'" + hint);
            continue;
        }
        entries_.emplace_back(name, it->second);
    }
}

YAML::Node MapReader::get(std::string_view key) const {
    for (const auto& [name, value] : entries_)
        if (name == key) return value;
    return YAML::Node(YAML::NodeType::Undefined);
}

std::string MapReader::path(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }

bool MapReader::require(std::string_view key) const {
    if (!ok_ || has(key)) return ok_;
    diag_.error(node_, path(key), "missing (required)");
    return false;
}

std::vector<std::string> MapReader::keys() const {
    std::vector<std::string> out;
    for (const auto& entry : entries_) out.push_back(entry.first);
    return out;
}

std::optional<std::string> read_string(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    if (!node.IsScalar()) {
        diag.error(node, path, "expected a string, got " + describe(node));
        return std::nullopt;
    }
    return node.Scalar();
}

std::optional<std::string> read_text(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    auto s = read_string(node, path, diag);
    if (s && s->empty()) {
        diag.error(node, path, "must not be empty");
        return std::nullopt;
    }
    return s;
}

std::optional<long> read_int(const YAML::Node& node, const std::string& path, Diagnostics& diag, long min, long max) {
    if (!node.IsScalar()) {
        diag.error(node, path, "expected an integer, got " + describe(node));
        return std::nullopt;
    }
    const std::string& s = node.Scalar();
    char* end = nullptr;
    errno = 0;
    long v = s.empty() ? 0 : std::strtol(s.c_str(), &end, 10);
    if (s.empty() || end != s.c_str() + s.size() || errno != 0) {
        diag.error(node, path, "expected an integer, got '" + s + "'");
        return std::nullopt;
    }
    if (v < min || v > max) {
        diag.error(node, path, s + " is out of range (" + std::to_string(min) + " to " + std::to_string(max) + ")");
        return std::nullopt;
    }
    return v;
}

std::optional<double> read_number(const YAML::Node& node, const std::string& path, Diagnostics& diag, double min, double max) {
    if (!node.IsScalar()) {
        diag.error(node, path, "expected a number, got " + describe(node));
        return std::nullopt;
    }
    const std::string& s = node.Scalar();
    char* end = nullptr;
    double v = s.empty() ? 0 : std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v)) {
        diag.error(node, path, "expected a number, got '" + s + "'");
        return std::nullopt;
    }
    if (v < min || v > max) {
        auto format = [](double d) {
            std::ostringstream out;
            out << d;
            return out.str();
        };
        diag.error(node, path, s + " is out of range (" + format(min) + " to " + format(max) + ")");
        return std::nullopt;
    }
    return v;
}

std::optional<bool> read_bool(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    if (node.IsScalar()) {
        const std::string& s = node.Scalar();
        if (s == "true" || s == "yes" || s == "on") return true;
        if (s == "false" || s == "no" || s == "off") return false;
    }
    diag.error(node, path, "expected true or false, got " + describe(node));
    return std::nullopt;
}

namespace {

template <typename T>
std::optional<T> unit_value(const YAML::Node& node, const std::string& path, Diagnostics& diag, Parsed<T> (*parse)(std::string_view)) {
    if (!node.IsScalar()) {
        diag.error(node, path, "expected a value with a unit, got " + describe(node));
        return std::nullopt;
    }
    auto parsed = parse(node.Scalar());
    if (auto* message = std::get_if<std::string>(&parsed)) {
        diag.error(node, path, *message);
        return std::nullopt;
    }
    return std::get<T>(parsed);
}

}  // namespace

std::optional<std::chrono::milliseconds> read_duration(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    return unit_value(node, path, diag, &parse_duration);
}
std::optional<std::uint64_t> read_size(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    return unit_value(node, path, diag, &parse_size);
}
std::optional<std::uint64_t> read_rate(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    return unit_value(node, path, diag, &parse_rate);
}

std::optional<std::vector<std::string>> read_string_list(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    if (node.IsScalar()) return std::vector<std::string>{node.Scalar()};
    if (!node.IsSequence()) {
        diag.error(node, path, "expected a string or a list of strings, got " + describe(node));
        return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    for (std::size_t i = 0; i < node.size(); ++i) {
        auto s = read_string(node[i], path + "[" + std::to_string(i) + "]", diag);
        if (s) out.push_back(*s);
        ok = ok && s.has_value();
    }
    if (!ok) return std::nullopt;
    return out;
}

std::optional<std::filesystem::path> read_file_path(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    auto text = read_text(node, path, diag);
    if (!text) return std::nullopt;
    std::filesystem::path p(*text);
    if (diag.base_dir().empty() && p.is_relative()) {
        diag.error(node, path, "a built-in scenario cannot reference the file '" + *text + "'");
        return std::nullopt;
    }
    if (p.is_relative()) p = diag.base_dir() / p;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(p, ec)) {
        diag.error(node, path, "no such file: " + p.string());
        return std::nullopt;
    }
    return p;
}

}  // namespace tlsfault::scenarios
