#include "scenarios/model/client_cert_action.hpp"

#include "scenarios/model/client_cert_alerts.hpp"

namespace tlsfault::scenarios {
namespace {

constexpr NameTable<ClientCertAction::Mode, 2> mode_names{{
    {ClientCertAction::Mode::request, "request"},
    {ClientCertAction::Mode::require, "require"},
}};
constexpr NameTable<ClientCertAction::CaList, 3> ca_list_names{{
    {ClientCertAction::CaList::real, "real"},
    {ClientCertAction::CaList::empty, "empty"},
    {ClientCertAction::CaList::bogus, "bogus"},
}};

enum class Failure { missing, untrusted, expired };

/// Whether OpenSSL can end this kind of failure with `alert` (see client_cert_alerts.hpp).
bool sendable(Failure kind, TlsAlert alert, const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    const std::string name(to_string(alert));
    if (kind == Failure::missing && !missing_certificate_alert(alert)) {
        diag.error(node, path,
                   "a missing certificate can only end with OpenSSL's own alert, certificate_required (TLS 1.3; "
                   "handshake_failure on TLS 1.2), not " +
                       name + "; or continue to let HTTP answer");
        return false;
    }
    if (kind != Failure::missing && !verify_error_for(alert)) {
        diag.error(node, path,
                   "a certificate that fails verification cannot end with " + name +
                       " (OpenSSL chooses the alert "
                       "from the verification error); one of: " +
                       verify_alert_names() + ", or continue");
        return false;
    }
    return true;
}

// An alert name or "continue" (nullopt); false when invalid.
bool read_failure(const YAML::Node& node, const std::string& path, Diagnostics& diag, Failure kind, std::optional<TlsAlert>& out) {
    auto text = read_text(node, path, diag);
    if (!text) return false;
    if (*text == "continue") {
        out.reset();
        return true;
    }
    if (auto alert = parse_tls_alert(*text)) {
        if (!sendable(kind, *alert, node, path, diag)) return false;
        out = alert;
        return true;
    }
    std::vector<std::string_view> names{"continue"};
    for (auto name : names_of(tls_alert_table)) names.push_back(name);
    diag.error(node, path,
               "unknown alert '" + *text + "'" + did_you_mean(*text, names) + " (an alert name, or continue to let HTTP answer)");
    return false;
}

void read_on_failure(const YAML::Node& node, const std::string& path, Diagnostics& diag, ClientCertAction& out) {
    if (node.IsScalar()) {
        // One alert for all three: it must be one each failure can end with.
        std::optional<TlsAlert> all;
        if (read_failure(node, path, diag, Failure::missing, all) && read_failure(node, path, diag, Failure::untrusted, all))
            out.on_missing = out.on_untrusted = out.on_expired = all;
        return;
    }
    MapReader m(node, path, diag, {"missing", "untrusted", "expired"});
    if (!m.ok()) return;
    if (m.has("missing")) read_failure(m.get("missing"), m.path("missing"), diag, Failure::missing, out.on_missing);
    if (m.has("untrusted")) read_failure(m.get("untrusted"), m.path("untrusted"), diag, Failure::untrusted, out.on_untrusted);
    if (m.has("expired")) read_failure(m.get("expired"), m.path("expired"), diag, Failure::expired, out.on_expired);
}

std::optional<ChainCertificate> read_verify_ca(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    auto text = read_text(node, path, diag);
    if (!text) return std::nullopt;
    if (*text == "lab-root") return ChainCertificate{ChainCertificate::Source::lab_root, {}};
    if (*text == "lab-intermediate") return ChainCertificate{ChainCertificate::Source::lab_intermediate, {}};
    if (*text == "rogue-root") return ChainCertificate{ChainCertificate::Source::rogue_root, {}};
    if (text->find('.') == std::string::npos && text->find('/') == std::string::npos) {
        constexpr std::string_view names[] = {"lab-root", "lab-intermediate", "rogue-root"};
        diag.error(node, path, "unknown CA '" + *text + "'" + did_you_mean(*text, names) + " (a lab CA name or a .pem file)");
        return std::nullopt;
    }
    return read_certificate_file(node, path, diag);
}

}  // namespace

std::optional<ClientCertAction> parse_client_cert_action(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    MapReader m(node, path, diag, {"mode", "ca_list", "verify_ca", "on_failure"});
    if (!m.ok()) return std::nullopt;
    ClientCertAction out;
    if (m.require("mode"))
        out.mode = read_enum(m.get("mode"), m.path("mode"), diag, mode_names, "client certificate mode").value_or(out.mode);
    if (out.mode == ClientCertAction::Mode::require) {
        out.on_missing = TlsAlert::certificate_required;
        out.on_untrusted = TlsAlert::unknown_ca;
        out.on_expired = TlsAlert::certificate_expired;
    }
    if (m.has("ca_list"))
        out.ca_list = read_enum(m.get("ca_list"), m.path("ca_list"), diag, ca_list_names, "CA list").value_or(out.ca_list);
    if (m.has("verify_ca")) out.verify_ca = read_verify_ca(m.get("verify_ca"), m.path("verify_ca"), diag).value_or(out.verify_ca);
    if (m.has("on_failure")) read_on_failure(m.get("on_failure"), m.path("on_failure"), diag, out);
    return out;
}

}  // namespace tlsfault::scenarios
