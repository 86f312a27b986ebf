#include "scenarios/model/faults/tls_alert_fault.hpp"

namespace tlsfault::scenarios {

TlsAlertSettings parse_tls_alert_fault(const MapReader& m) {
    TlsAlertSettings s;
    if (m.require("alert"))
        s.alert = read_enum(m.get("alert"), m.path("alert"), m.diag(), tls_alert_names(), "alert").value_or(s.alert);
    if (m.has("linger")) s.linger = read_duration(m.get("linger"), m.path("linger"), m.diag()).value_or(s.linger);
    return s;
}

}  // namespace tlsfault::scenarios
