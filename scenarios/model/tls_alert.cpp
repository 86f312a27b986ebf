#include "scenarios/model/tls_alert.hpp"

#include <array>

namespace tlsfault::scenarios {
namespace {

constexpr auto name_first = [] {
    std::array<std::pair<std::string_view, TlsAlert>, tls_alert_table.size()> out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = {tls_alert_table[i].second, tls_alert_table[i].first};
    return out;
}();

}  // namespace

std::span<const std::pair<std::string_view, TlsAlert>> tls_alert_names() { return name_first; }

std::string alert_name(std::uint8_t code) {
    const std::string_view name = name_of(tls_alert_table, static_cast<TlsAlert>(code), {});
    return name.empty() ? "alert_" + std::to_string(code) : std::string(name);
}

}  // namespace tlsfault::scenarios
