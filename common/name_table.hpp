// Enum <-> name tables: one constexpr array of {value, name} pairs per enum serves both
// to_string and parse, so the two can never disagree.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace tlsfault {

template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

/// The name of `value`, or `fallback` when the table lacks it.
template <typename E, std::size_t N>
constexpr std::string_view name_of(const NameTable<E, N>& table, E value, std::string_view fallback = "unknown") {
    for (const auto& [v, name] : table)
        if (v == value) return name;
    return fallback;
}

/// The value called `name`, or nullopt.
template <typename E, std::size_t N>
constexpr std::optional<E> value_of(const NameTable<E, N>& table, std::string_view name) {
    for (const auto& [v, n] : table)
        if (n == name) return v;
    return std::nullopt;
}

/// Every name, in table order (for help texts and "did you mean").
template <typename E, std::size_t N>
constexpr std::array<std::string_view, N> names_of(const NameTable<E, N>& table) {
    std::array<std::string_view, N> names{};
    for (std::size_t i = 0; i < N; ++i) names[i] = table[i].second;
    return names;
}

}  // namespace tlsfault
