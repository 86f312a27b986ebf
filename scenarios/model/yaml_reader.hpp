// Strict reading of YAML nodes: every problem is recorded with its location and key path and
// reading goes on, so one `validate` lists everything wrong with a file.
#pragma once

#include "scenarios/model/load_error.hpp"
#include "common/did_you_mean.hpp"
#include "common/name_table.hpp"

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <span>
#include <type_traits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tlsfault::scenarios {

/// The problems found so far in one file, and where relative file references resolve.
class Diagnostics {
public:
    explicit Diagnostics(std::string file, std::filesystem::path base_dir = {}) : file_(std::move(file)), base_dir_(std::move(base_dir)) {}

    /// Records `message` at `at` (yaml-cpp marks are 0-based; stored 1-based).
    void error(const YAML::Mark& at, std::string key_path, std::string message);
    void error(const YAML::Node& at, std::string key_path, std::string message) {
        error(at.Mark(), std::move(key_path), std::move(message));
    }

    bool empty() const { return problems_.empty(); }
    std::size_t count() const { return problems_.size(); }
    const std::vector<Problem>& problems() const { return problems_; }
    /// Renames key path `from` to `to` in the problems recorded since `first` (shorthand forms).
    void rename_path(std::size_t first, const std::string& from, const std::string& to);
    const std::string& file() const { return file_; }
    /// Directory that relative paths (body_file, chain certificates) are relative to; empty for
    /// built-in scenarios, which may not reference files.
    const std::filesystem::path& base_dir() const { return base_dir_; }

private:
    std::string file_;
    std::filesystem::path base_dir_;
    std::vector<Problem> problems_;
};

/// A mapping whose keys are checked against a fixed list: unknown keys (with a suggestion) and
/// duplicate keys are recorded once, when it is opened.
class MapReader {
public:
    MapReader(const YAML::Node& node, std::string path, Diagnostics& diag, std::initializer_list<std::string_view> allowed)
        : MapReader(node, std::move(path), diag, std::vector<std::string_view>(allowed)) {}
    MapReader(const YAML::Node& node, std::string path, Diagnostics& diag, std::vector<std::string_view> allowed);

    /// False when the node was not a mapping (already recorded).
    bool ok() const { return ok_; }
    /// The value of `key`, or an undefined node when absent.
    YAML::Node get(std::string_view key) const;
    bool has(std::string_view key) const { return get(key).IsDefined(); }
    /// "parent.key".
    std::string path(std::string_view key) const;
    const std::string& path() const { return path_; }
    const YAML::Node& node() const { return node_; }
    Diagnostics& diag() const { return diag_; }
    /// Records that `key` must be present when absent; returns whether it is there.
    bool require(std::string_view key) const;
    /// The keys present, in document order.
    std::vector<std::string> keys() const;

private:
    YAML::Node node_;
    std::string path_;
    Diagnostics& diag_;
    bool ok_ = false;
    std::vector<std::pair<std::string, YAML::Node>> entries_;
};

/// "what kind of node this is", for "expected X, got Y" messages.
std::string describe(const YAML::Node& node);

// Scalar readers: std::nullopt after recording the problem.
std::optional<std::string> read_string(const YAML::Node& node, const std::string& path, Diagnostics& diag);
/// A non-empty string.
std::optional<std::string> read_text(const YAML::Node& node, const std::string& path, Diagnostics& diag);
std::optional<long> read_int(const YAML::Node& node, const std::string& path, Diagnostics& diag, long min, long max);
std::optional<double> read_number(const YAML::Node& node, const std::string& path, Diagnostics& diag, double min, double max);
std::optional<bool> read_bool(const YAML::Node& node, const std::string& path, Diagnostics& diag);
std::optional<std::chrono::milliseconds> read_duration(const YAML::Node& node, const std::string& path, Diagnostics& diag);
std::optional<std::uint64_t> read_size(const YAML::Node& node, const std::string& path, Diagnostics& diag);
std::optional<std::uint64_t> read_rate(const YAML::Node& node, const std::string& path, Diagnostics& diag);
/// A string or a list of strings.
std::optional<std::vector<std::string>> read_string_list(const YAML::Node& node, const std::string& path, Diagnostics& diag);
/// A path to an existing file, resolved against diag.base_dir().
std::optional<std::filesystem::path> read_file_path(const YAML::Node& node, const std::string& path, Diagnostics& diag);

/// A name from `table` (common/name_table.hpp; `what` names the kind of thing in the message:
/// "alert", "TLS version"). An unknown name is an error with "did you mean" or the whole list.
template <typename E, std::size_t N>
std::optional<E> read_enum(const YAML::Node& node, const std::string& path, Diagnostics& diag, const NameTable<E, N>& table,
                           std::string_view what) {
    auto text = read_string(node, path, diag);
    if (!text) return std::nullopt;
    if (auto value = value_of(table, *text)) return value;
    const auto names = names_of(table);
    std::string hint = did_you_mean(*text, names);
    if (hint.empty()) {
        hint = " (one of:";
        for (auto n : names) hint += " " + std::string(n);
        hint += ")";
    }
    diag.error(node, path, "unknown " + std::string(what) + " '" + *text + "'" + hint);
    return std::nullopt;
}

}  // namespace tlsfault::scenarios
