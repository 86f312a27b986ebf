#include "certgen/ocsp_staple.hpp"

#include "common/name_table.hpp"

namespace tlsfault::certgen {
namespace {

constexpr NameTable<StapleMode, 7> staple_names{{
    {StapleMode::none, "none"},
    {StapleMode::truthful, "truthful"},
    {StapleMode::good, "good"},
    {StapleMode::revoked, "revoked"},
    {StapleMode::unknown, "unknown"},
    {StapleMode::expired, "expired"},
    {StapleMode::garbage, "garbage"},
}};

}  // namespace

std::string_view to_string(StapleMode mode) { return name_of(staple_names, mode); }
std::optional<StapleMode> parse_staple_mode(std::string_view name) { return value_of(staple_names, name); }

std::string staple_mode_names() {
    std::string out;
    for (auto name : names_of(staple_names)) out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

std::string staple_for(StapleMode mode, const IssuedCertificate& cert, const OcspResponder& responder) {
    using B = OcspBehaviour;
    switch (mode) {
    case StapleMode::none: return {};
    case StapleMode::garbage: return "this is not an OCSP response";
    case StapleMode::good: return responder.staple(cert, {.behaviour = B::good});
    case StapleMode::revoked: return responder.staple(cert, {.behaviour = B::revoked});
    case StapleMode::unknown: return responder.staple(cert, {.behaviour = B::unknown});
    case StapleMode::expired: return responder.staple(cert, {.behaviour = B::good, .expired = true});
    case StapleMode::truthful: break;
    }
    return responder.staple(cert, {});
}

}  // namespace tlsfault::certgen
