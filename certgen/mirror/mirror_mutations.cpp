#include "certgen/mirror/mirror_mutations.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/certificate_builder.hpp"

#include "common/did_you_mean.hpp"

#include <algorithm>

namespace tlsfault::certgen {
namespace {

constexpr std::string_view mutation_names[] = {
    "expired",  "not_yet_valid", "wrong_host", "drop_intermediate", "self_signed", "revoked", "sha1",
    "rsa_1024", "remove_san",    "eku",        "untrusted_root",
};

constexpr std::string_view known_ekus[] = {"serverAuth",   "clientAuth",  "codeSigning",        "emailProtection",
                                           "timeStamping", "OCSPSigning", "anyExtendedKeyUsage"};

bool read_switch(std::string_view name, std::optional<std::string_view> value) {
    if (!value || *value == "true") return true;
    if (*value == "false") return false;
    throw CertgenError("mutation " + std::string(name) + ": expected no value, true or false, got '" + std::string(*value) + "'");
}

std::vector<std::string> read_eku_list(std::string_view value) {
    std::vector<std::string> out;
    for (std::size_t start = 0; start <= value.size();) {
        std::size_t comma = std::min(value.find(',', start), value.size());
        std::string name(value.substr(start, comma - start));
        if (std::find(std::begin(known_ekus), std::end(known_ekus), name) == std::end(known_ekus))
            throw CertgenError("mutation eku: unknown extended key usage '" + name + "'" + did_you_mean(name, known_ekus) +
                               " (serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning, anyExtendedKeyUsage)");
        out.push_back(std::move(name));
        start = comma + 1;
    }
    return out;
}

}  // namespace

bool MirrorMutations::any() const {
    return expired || not_yet_valid || wrong_host || drop_intermediate || self_signed || revoked || sha1 || rsa_1024 || remove_san || eku ||
           untrusted_root;
}

std::span<const std::string_view> mirror_mutation_names() { return mutation_names; }
std::span<const std::string_view> eku_names() { return known_ekus; }

void set_mutation(MirrorMutations& m, std::string_view name, std::optional<std::string_view> value) {
    if (name == "wrong_host") {
        if (!value || value->empty()) throw CertgenError("mutation wrong_host needs a host name: wrong_host=NAME");
        if (!is_valid_dns_name(*value) && !is_ip_address(*value))
            throw CertgenError("mutation wrong_host: '" + std::string(*value) + "' is not a DNS name or IP address");
        m.wrong_host = std::string(*value);
    } else if (name == "eku") {
        if (!value || value->empty()) throw CertgenError("mutation eku needs a list: eku=serverAuth,clientAuth");
        m.eku = read_eku_list(*value);
    } else {
        const std::pair<std::string_view, bool*> switches[] = {
            {"expired", &m.expired},
            {"not_yet_valid", &m.not_yet_valid},
            {"drop_intermediate", &m.drop_intermediate},
            {"self_signed", &m.self_signed},
            {"revoked", &m.revoked},
            {"sha1", &m.sha1},
            {"rsa_1024", &m.rsa_1024},
            {"remove_san", &m.remove_san},
            {"untrusted_root", &m.untrusted_root},
        };
        auto it = std::find_if(std::begin(switches), std::end(switches), [&](const auto& s) { return s.first == name; });
        if (it == std::end(switches))
            throw CertgenError("unknown mutation '" + std::string(name) + "'" + did_you_mean(name, mutation_names) +
                               " (expired, not_yet_valid, wrong_host, drop_intermediate, self_signed, revoked, sha1, rsa_1024, "
                               "remove_san, eku, untrusted_root)");
        *it->second = read_switch(name, value);
    }
}

void check_mutations(const MirrorMutations& m) {
    auto conflict = [](const char* a, const char* b, const char* why) {
        throw CertgenError(std::string("mutations ") + a + " and " + b + " contradict each other: " + why + "; keep one");
    };
    if (m.expired && m.not_yet_valid) conflict("expired", "not_yet_valid", "the leaf cannot be both");
    if (m.wrong_host && m.remove_san) conflict("wrong_host", "remove_san", "wrong_host rewrites the SANs remove_san removes");
    if (m.self_signed && m.revoked) conflict("self_signed", "revoked", "a self-signed leaf has no CA to revoke it");
    if (m.self_signed && m.untrusted_root) conflict("self_signed", "untrusted_root", "a self-signed leaf has no root");
    if (m.self_signed && m.drop_intermediate) conflict("self_signed", "drop_intermediate", "a self-signed leaf is served alone anyway");
}

std::string describe(const MirrorMutations& m) {
    std::string out;
    auto add = [&out](const std::string& item) { out += (out.empty() ? "" : ", ") + item; };
    if (m.expired) add("expired");
    if (m.not_yet_valid) add("not_yet_valid");
    if (m.wrong_host) add("wrong_host=" + *m.wrong_host);
    if (m.drop_intermediate) add("drop_intermediate");
    if (m.self_signed) add("self_signed");
    if (m.revoked) add("revoked");
    if (m.sha1) add("sha1");
    if (m.rsa_1024) add("rsa_1024");
    if (m.remove_san) add("remove_san");
    if (m.eku) {
        std::string list;
        for (const auto& e : *m.eku) list += (list.empty() ? "" : ",") + e;
        add("eku=" + list);
    }
    if (m.untrusted_root) add("untrusted_root");
    return out;
}

}  // namespace tlsfault::certgen
