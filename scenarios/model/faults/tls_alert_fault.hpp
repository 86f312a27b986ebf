// tls_alert: answers the ClientHello with a fatal alert of a chosen name, then lingers.
#pragma once

#include "scenarios/model/faults/fault_kind.hpp"
#include "scenarios/model/tls_alert.hpp"

#include <chrono>

namespace tlsfault::scenarios {

/// Sends `alert` (fatal) right after the ClientHello. The engine then keeps reading for
/// `linger` before its FIN: Java and Chromium report the alert itself only if the socket is
/// still readable; an immediate close turns it into "broken pipe" at random.
struct TlsAlertSettings {
    TlsAlert alert = TlsAlert::handshake_failure;
    std::chrono::milliseconds linger{500};
};

inline constexpr FaultAttribute tls_alert_attributes[] = {
    {"alert", "alert", "", "the alert's RFC 8446 name, e.g. unknown_ca, protocol_version"},
    {"linger", "duration", "500ms", "how long to keep reading after the alert before closing"},
};

template <>
struct FaultTraits<TlsAlertSettings> {
    static constexpr FaultDecl decl{.name = "tls_alert",
                                    .layer = FaultLayer::tls,
                                    .role = FaultRole::handshake,
                                    .summary = "send a fatal alert after the ClientHello, then linger",
                                    .attributes = tls_alert_attributes,
                                    .tls = {"alert", "alert"}};
    static TlsAlertSettings parse(const MapReader& attributes);
    static std::string describe(const TlsAlertSettings& settings);
    static bool ends_connection(const TlsAlertSettings& settings);
};

}  // namespace tlsfault::scenarios
