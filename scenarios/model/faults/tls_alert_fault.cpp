#include "scenarios/model/faults/tls_alert_fault.hpp"

namespace tlsfault::scenarios {

TlsAlertSettings FaultTraits<TlsAlertSettings>::parse(const MapReader& m) {
    TlsAlertSettings s;
    if (m.require("alert")) s.alert = read_enum(m.get("alert"), m.path("alert"), m.diag(), tls_alert_table, "alert").value_or(s.alert);
    if (m.has("linger")) s.linger = read_duration(m.get("linger"), m.path("linger"), m.diag()).value_or(s.linger);
    return s;
}

std::string FaultTraits<TlsAlertSettings>::describe(const TlsAlertSettings& s) {
    return "alert " + std::string(to_string(s.alert)) + " after the ClientHello";
}

bool FaultTraits<TlsAlertSettings>::ends_connection(const TlsAlertSettings&) { return true; }

}  // namespace tlsfault::scenarios
