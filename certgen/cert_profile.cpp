#include "certgen/cert_profile.hpp"

#include "common/name_table.hpp"

namespace tlsfault::certgen {
namespace {

constexpr NameTable<IssuerKind, 4> issuer_names{{
    {IssuerKind::root, "root"},
    {IssuerKind::intermediate, "intermediate"},
    {IssuerKind::rogue, "rogue"},
    {IssuerKind::self, "self"},
}};
constexpr NameTable<IntermediateStatus, 3> intermediate_status_names{{
    {IntermediateStatus::good, "good"},
    {IntermediateStatus::revoked, "revoked"},
    {IntermediateStatus::unreachable, "unreachable"},
}};
constexpr NameTable<ChainKind, 2> chain_names{{
    {ChainKind::full, "full"},
    {ChainKind::leaf_only, "leaf-only"},
}};
constexpr NameTable<ExtendedKeyUsage, 3> eku_names{{
    {ExtendedKeyUsage::server_auth, "serverAuth"},
    {ExtendedKeyUsage::client_auth, "clientAuth"},
    {ExtendedKeyUsage::ocsp_signing, "OCSPSigning"},
}};
constexpr NameTable<KeyUsageBit, 5> key_usage_names{{
    {ku_digital_signature, "digitalSignature"},
    {ku_key_encipherment, "keyEncipherment"},
    {ku_key_agreement, "keyAgreement"},
    {ku_key_cert_sign, "keyCertSign"},
    {ku_crl_sign, "cRLSign"},
}};

}  // namespace

std::string_view to_string(IssuerKind issuer) { return name_of(issuer_names, issuer); }
std::optional<IssuerKind> parse_issuer_kind(std::string_view name) { return value_of(issuer_names, name); }
std::string_view to_string(IntermediateStatus status) { return name_of(intermediate_status_names, status); }
std::optional<IntermediateStatus> parse_intermediate_status(std::string_view name) { return value_of(intermediate_status_names, name); }
std::string_view to_string(ChainKind chain) { return name_of(chain_names, chain); }
std::optional<ChainKind> parse_chain_kind(std::string_view name) { return value_of(chain_names, name); }
std::string_view to_string(ExtendedKeyUsage eku) { return name_of(eku_names, eku); }
std::optional<ExtendedKeyUsage> parse_extended_key_usage(std::string_view name) { return value_of(eku_names, name); }
std::optional<KeyUsageBit> parse_key_usage(std::string_view name) { return value_of(key_usage_names, name); }

}  // namespace tlsfault::certgen
