#include "scenarios/model/tls_alert.hpp"

namespace tlsfault::scenarios {

std::string alert_name(std::uint8_t code) {
    const std::string_view name = name_of(tls_alert_table, static_cast<TlsAlert>(code), {});
    return name.empty() ? "alert_" + std::to_string(code) : std::string(name);
}

}  // namespace tlsfault::scenarios
