// Rendering the origin page; every value is escaped for its format because hosts and request
// targets come from the client.
#include "proxy/origin/origin_page.hpp"

#include "proxy/events/json_line.hpp"

namespace tlsfault::proxy {
namespace {

std::string html_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

void json_field(std::string& out, const char* key, std::string_view value, bool last = false) {
    out += "  ";
    append_json_string(out, key);
    out += ": ";
    append_json_string(out, value);
    out += last ? "\n" : ",\n";
}

}  // namespace

std::string origin_finding(const OriginFacts& f) {
    if (f.profile == "good")
        return "Your client accepted a valid lab certificate for " + std::string(f.host) +
               ". That is right if it trusts the tlsfault lab root.";
    return "Your client accepted a certificate that is wrong: " + std::string(f.profile_summary) + ". A correct client " +
           std::string(f.correct_client);
}

OriginPage render_origin_page(const OriginFacts& f, const std::string& accept) {
    OriginPage page;
    const std::string accepted = f.profile == "good" ? "accepted" : "accepted-bad-certificate";
    if (accept.find("application/json") != std::string::npos) {
        page.content_type = "application/json";
        std::string& b = page.body;
        b = "{\n  \"conn\": " + std::to_string(f.conn) + ",\n";
        json_field(b, "verdict", "accepted");
        json_field(b, "finding", origin_finding(f));
        json_field(b, "host", f.host);
        json_field(b, "profile", f.profile);
        json_field(b, "profile_summary", f.profile_summary);
        json_field(b, "subject", f.subject);
        json_field(b, "issuer", f.issuer);
        json_field(b, "sha256", f.sha256);
        json_field(b, "tls_version", f.tls_version);
        json_field(b, "cipher", f.cipher);
        json_field(b, "alpn", f.alpn);
        json_field(b, "ja3", f.ja3);
        json_field(b, "ja4", f.ja4);
        json_field(b, "method", f.method);
        json_field(b, "target", f.target, true);
        b += "}\n";
        return page;
    }
    page.content_type = "text/html; charset=utf-8";
    auto row = [](const char* name, std::string_view value) {
        return "<tr><th>" + std::string(name) + "</th><td>" + html_escape(value) + "</td></tr>\n";
    };
    page.body = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>tlsfault: " + html_escape(f.profile) +
                "</title></head>\n<body>\n<h1 class=\"" + accepted + "\">" + html_escape(origin_finding(f)) + "</h1>\n<table>\n" +
                row("Connection", std::to_string(f.conn)) + row("Host", f.host) + row("Profile", f.profile) + row("Subject", f.subject) +
                row("Issuer", f.issuer) + row("SHA-256", f.sha256) + row("TLS", std::string(f.tls_version) + " " + std::string(f.cipher)) +
                row("ALPN", f.alpn) + row("JA3", f.ja3) + row("JA4", f.ja4) + row("Request", f.method + " " + f.target) +
                "</table>\n<p>Served by tlsfault in origin mode: no upstream server was contacted.</p>\n</body></html>\n";
    return page;
}

}  // namespace tlsfault::proxy
