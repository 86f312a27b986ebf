#include "scenarios/model/mirror_action.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/mirror/customer_chain.hpp"

#include <algorithm>

namespace tlsfault::scenarios {
namespace {

std::string location_of(const YAML::Node& node, const std::string& path, const Diagnostics& diag) {
    const YAML::Mark mark = node.Mark();
    return diag.file() + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) + ": " + path;
}

// One mutation key: switches are booleans, wrong_host a name, eku a list; certgen checks values.
void read_mutation(const MapReader& m, const std::string& key, certgen::MirrorMutations& out) {
    const YAML::Node node = m.get(key);
    std::optional<std::string> value;
    if (key == "wrong_host") {
        value = read_text(node, m.path(key), m.diag());
    } else if (key == "eku") {
        if (auto list = read_string_list(node, m.path(key), m.diag())) {
            value = std::string();
            for (const auto& name : *list) *value += (value->empty() ? "" : ",") + name;
        }
    } else if (auto on = read_bool(node, m.path(key), m.diag())) {
        value = *on ? "true" : "false";
    }
    if (!value) return;
    try {
        certgen::set_mutation(out, key, std::string_view(*value));
    } catch (const certgen::CertgenError& e) {
        m.diag().error(node, m.path(key), e.what());
    }
}

std::optional<certgen::MirrorMutations> read_mutations(const MapReader& parent) {
    certgen::MirrorMutations out;
    if (!parent.has("mutate")) return out;
    const auto names = certgen::mirror_mutation_names();
    MapReader m(parent.get("mutate"), parent.path("mutate"), parent.diag(), std::vector<std::string_view>(names.begin(), names.end()));
    if (!m.ok()) return std::nullopt;
    for (const auto& key : m.keys())
        if (std::find(names.begin(), names.end(), key) != names.end()) read_mutation(m, key, out);
    try {
        certgen::check_mutations(out);
    } catch (const certgen::CertgenError& e) {
        m.diag().error(m.node(), m.path(), e.what());
        return std::nullopt;
    }
    return out;
}

}  // namespace

std::optional<MirrorAction> parse_mirror_action(const MapReader& m) {
    MirrorAction out;
    Diagnostics& diag = m.diag();
    auto file = read_file_path(m.get("mirror"), m.path("mirror"), diag);
    if (m.has("keep_urls")) out.keep_urls = read_bool(m.get("keep_urls"), m.path("keep_urls"), diag).value_or(false);
    auto mutations = read_mutations(m);
    if (!file || !mutations) return std::nullopt;
    out.file = *file;
    out.location = location_of(m.get("mirror"), m.path("mirror"), diag);
    out.mutate = *mutations;
    try {
        out.source = std::make_shared<const std::vector<certgen::X509Ptr>>(certgen::read_customer_chain(*file));
        for (const auto& cert : *out.source) {  // refused now rather than when the engine mints
            certgen::key_type_of_certificate(cert.get(), file->string());
            certgen::digest_of_certificate(cert.get(), file->string());
        }
    } catch (const certgen::CertgenError& e) {
        diag.error(m.get("mirror"), m.path("mirror"), e.what());
        return std::nullopt;
    }
    return out;
}

}  // namespace tlsfault::scenarios
