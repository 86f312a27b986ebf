// One configured fault: the envelope every kind shares (type, name, probability, stream) and
// the kind's own settings. The runtime behaviour lives in proxy/faults/; this is plain data.
// FaultSettings is THE list of kinds: the registry (fault_registry.hpp) and the engine's
// runtime table (proxy/faults/fault_kinds.hpp) are built from it, in its order.
#pragma once

#include "scenarios/model/faults/bandwidth.hpp"
#include "scenarios/model/faults/blackhole.hpp"
#include "scenarios/model/faults/corrupt.hpp"
#include "scenarios/model/faults/handshake_close.hpp"
#include "scenarios/model/faults/handshake_reset.hpp"
#include "scenarios/model/faults/handshake_stall.hpp"
#include "scenarios/model/faults/latency.hpp"
#include "scenarios/model/faults/limit_data.hpp"
#include "scenarios/model/faults/reset.hpp"
#include "scenarios/model/faults/slicer.hpp"
#include "scenarios/model/faults/slow_close.hpp"
#include "scenarios/model/faults/tls_alert_fault.hpp"

#include <string>
#include <variant>

namespace tlsfault::scenarios {

/// The settings of one fault; the alternative says which kind it is.
/// Adding a kind: its header above, its settings type here (docs/adding-a-fault.md).
using FaultSettings =
    std::variant<LatencySettings, BandwidthSettings, ResetSettings, SlowCloseSettings, BlackholeSettings, LimitDataSettings, SlicerSettings,
                 CorruptSettings, TlsAlertSettings, HandshakeResetSettings, HandshakeCloseSettings, HandshakeStallSettings>;

/// Which direction of the byte stream a tcp fault acts on.
enum class FaultStream {
    downstream,  ///< towards the client (the default, as in Toxiproxy)
    upstream,    ///< from the client towards tlsfault / the origin
};

/// A fault as written in a rule's `tcp` list (or made from a `tls` key).
struct FaultSpec {
    std::string type;          ///< the registered kind name, e.g. "latency"
    std::string name;          ///< unique within the rule; defaults to "<type>_<stream>"
    double probability = 1.0;  ///< chance that a connection gets it, drawn from the rule's seed
    FaultStream stream = FaultStream::downstream;
    FaultSettings settings;
};

std::string_view to_string(FaultStream stream);

}  // namespace tlsfault::scenarios
