#include "scenarios/model/faults/fault_describe.hpp"

#include "scenarios/model/units.hpp"

namespace tlsfault::scenarios {
namespace {

std::string text(const LatencySettings& s) {
    std::string out = "latency " + format_duration(s.latency);
    if (s.jitter.count() > 0) out += " ± " + format_duration(s.jitter);
    return out;
}

std::string text(const BandwidthSettings& s) { return "bandwidth " + format_size(s.bytes_per_second) + "/s"; }

std::string text(const ResetSettings& s) {
    return s.timeout.count() > 0 ? "reset after " + format_duration(s.timeout) : "reset at once";
}

std::string text(const SlowCloseSettings& s) { return "slow_close " + format_duration(s.delay); }

std::string text(const BlackholeSettings& s) {
    return s.timeout.count() > 0 ? "blackhole, closed after " + format_duration(s.timeout) : "blackhole until the client gives up";
}

std::string text(const LimitDataSettings& s) { return "limit_data " + format_size(s.bytes); }

std::string text(const SlicerSettings& s) {
    std::string out = "slicer " + format_size(s.average_size);
    if (s.size_variation) out += " ± " + format_size(s.size_variation);
    if (s.delay.count() > 0) out += ", " + format_duration(s.delay) + " apart";
    return out;
}

std::string text(const TlsAlertSettings& s) { return "alert " + std::string(to_string(s.alert)) + " after the ClientHello"; }

std::string text(const HandshakeResetSettings&) { return "reset after the ClientHello"; }

std::string text(const HandshakeCloseSettings&) { return "close (FIN, no alert) after the ClientHello"; }

std::string text(const HandshakeStallSettings& s) {
    return "stall " + format_duration(s.duration) + ", then " +
           (s.then == HandshakeStallSettings::Then::resume ? "resume" : "close");
}

}  // namespace

std::string describe(const FaultSettings& settings) {
    return std::visit([](const auto& s) { return text(s); }, settings);
}

}  // namespace tlsfault::scenarios
