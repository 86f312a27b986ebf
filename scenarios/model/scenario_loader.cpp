#include "scenarios/model/scenario_loader.hpp"

#include "scenarios/model/faults/fault_registry.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>

namespace tlsfault::scenarios {
namespace {

/// Closes the descriptor it holds.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

std::string file_kind(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a file";
}

constexpr NameTable<std::string_view, 6> group_names{{
    {"field-case", "field-case"},
    {"certificate", "certificate"},
    {"tls", "tls"},
    {"network", "network"},
    {"http", "http"},
    {"custom", "custom"},
}};

bool valid_name(const std::string& s) {
    return !s.empty() && s.size() <= 64 && s.front() != '-' && s.back() != '-' &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

void parse_messages(const YAML::Node& node, const std::string& path, Diagnostics& diag, Description& out) {
    if (!node.IsSequence()) {
        diag.error(node, path, "expected a list of {client, text}, got " + describe(node));
        return;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        MapReader m(node[i], path + "[" + std::to_string(i) + "]", diag, {"client", "text"});
        if (!m.ok() || !m.require("client") || !m.require("text")) continue;
        auto client = read_text(m.get("client"), m.path("client"), diag);
        auto text = read_text(m.get("text"), m.path("text"), diag);
        if (client && text) out.messages.push_back({*client, *text});
    }
}

Description parse_description(const YAML::Node& node, const std::string& path, Diagnostics& diag) {
    Description out;
    MapReader m(node, path, diag, {"symptom", "cause", "fix", "messages", "try"});
    if (!m.ok()) return out;
    for (auto [key, field] : {std::pair{"symptom", &out.symptom}, std::pair{"cause", &out.cause}, std::pair{"fix", &out.fix}})
        if (m.require(key)) *field = read_text(m.get(key), m.path(key), diag).value_or("");
    if (m.has("messages")) parse_messages(m.get("messages"), m.path("messages"), diag, out);
    if (m.has("try")) out.try_commands = read_string_list(m.get("try"), m.path("try"), diag).value_or(std::vector<std::string>{});
    return out;
}

void parse_tcp_faults(const YAML::Node& node, const std::string& path, Diagnostics& diag, Rule& rule) {
    if (!node.IsSequence()) {
        diag.error(node, path, "expected a list of faults ({type: latency, latency: 300ms}), got " + describe(node));
        return;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        const std::string item = path + "[" + std::to_string(i) + "]";
        auto spec = parse_fault_spec(node[i], item, diag, FaultLayer::tcp);
        if (!spec) continue;
        if (std::any_of(rule.tcp.begin(), rule.tcp.end(), [&](const FaultSpec& f) { return f.name == spec->name; }))
            diag.error(node[i], item + ".name", "duplicate fault name '" + spec->name + "' (give each a name)");
        rule.tcp.push_back(std::move(*spec));
    }
}

Rule parse_rule(const YAML::Node& node, const std::string& path, Diagnostics& diag, const std::string& scenario_name) {
    Rule rule;
    rule.name = path;
    MapReader m(node, path, diag, {"name", "match", "certificate", "chain", "tls", "client_cert", "tcp", "http", "sequence", "expect"});
    if (!m.ok()) return rule;
    if (m.has("name")) rule.name = read_text(m.get("name"), m.path("name"), diag).value_or(rule.name);
    if (m.has("match")) rule.match = parse_match(m.get("match"), m.path("match"), diag);
    if (m.has("certificate"))
        rule.certificate = parse_certificate_action(m.get("certificate"), m.path("certificate"), diag, scenario_name + "/" + path);
    if (m.has("chain")) rule.chain = parse_chain_action(m.get("chain"), m.path("chain"), diag);
    if (rule.chain)
        apply_intermediate_status(*rule.chain, rule.certificate, m.get("chain"), m.path("chain"), diag, scenario_name + "/" + path);
    if (m.has("tls")) rule.tls = parse_tls_action(m.get("tls"), m.path("tls"), diag);
    if (m.has("client_cert")) rule.client_cert = parse_client_cert_action(m.get("client_cert"), m.path("client_cert"), diag);
    if (m.has("tcp")) parse_tcp_faults(m.get("tcp"), m.path("tcp"), diag, rule);
    if (m.has("http")) rule.http = parse_http_action(m.get("http"), m.path("http"), diag);
    if (m.has("sequence")) rule.sequence = parse_sequence(m.get("sequence"), m.path("sequence"), diag).value_or(Sequence{});
    if (m.has("expect")) rule.expect = parse_expect(m.get("expect"), m.path("expect"), diag);
    if (rule.tls && rule.tls->ends_handshake() && (rule.http || rule.certificate))
        diag.error(m.get("tls"), m.path("tls"),
                   "the handshake ends with an alert, reset or close here, so certificate and http never happen");
    if (rule.client_cert && rule.client_cert->on_missing == TlsAlert::handshake_failure &&
        (!rule.tls || !rule.tls->max_version || *rule.tls->max_version == TlsVersion::tls1_3))
        diag.error(m.get("client_cert"), m.path("client_cert") + ".on_failure",
                   "OpenSSL answers a missing certificate with handshake_failure only on TLS 1.2 and below (TLS 1.3 "
                   "sends certificate_required): add tls: {max_version: \"1.2\"}, or write certificate_required");
    if (rule.tls && rule.tls->selects_foreign_protocol() && rule.http)
        diag.error(static_cast<const YAML::Node&>(m.get("tls"))["alpn"], m.path("tls") + ".alpn",
                   "ALPN '" + *rule.tls->alpn +
                       "' makes the client speak it, and tlsfault answers HTTP/1.1 only "
                       "(it closes after the handshake): drop http here, or select http/1.1");
    if (rule.match.needs_request() && (rule.certificate || rule.chain || rule.tls || rule.client_cert))
        diag.error(m.get("match"), m.path("match"),
                   "request conditions (method, path, query, headers, client_cert) are known only after the handshake; "
                   "put certificate, chain, tls and client_cert in a rule without them");
    return rule;
}

void parse_scenario(const YAML::Node& root, Diagnostics& diag, Scenario& s) {
    MapReader m(root, "", diag, {"name", "title", "group", "description", "listeners", "rules"});
    if (!m.ok()) return;
    if (m.require("name")) {
        s.name = read_text(m.get("name"), "name", diag).value_or("");
        if (!s.name.empty() && !valid_name(s.name))
            diag.error(m.get("name"), "name",
                       "a scenario name is lower-case letters, digits and '-' (like expired-cert), got '" + s.name + "'");
    }
    if (m.require("title")) s.title = read_text(m.get("title"), "title", diag).value_or("");
    if (m.has("group")) s.group = std::string(read_enum(m.get("group"), "group", diag, group_names, "group").value_or("custom"));
    if (m.require("description")) s.description = parse_description(m.get("description"), "description", diag);
    // Recognised so that the message can say what to use instead: the engine binds no listener a
    // scenario declares, and a key that silently did nothing would leave match.listener rules
    // that never fire.
    if (m.has("listeners"))
        diag.error(m.get("listeners"), "listeners",
                   "a scenario cannot declare listeners (the engine binds only its own): remove this key; match on "
                   "listener: proxy or listener: sni, and choose their addresses with tlsfault run --proxy-listen / "
                   "--sni-listen ADDRESS:PORT");
    if (!m.require("rules")) return;
    const YAML::Node rules = m.get("rules");
    if (!rules.IsSequence() || rules.size() == 0) {
        diag.error(rules, "rules", "expected a non-empty list of rules, got " + describe(rules));
        return;
    }
    for (std::size_t i = 0; i < rules.size(); ++i)
        s.rules.push_back(parse_rule(rules[i], "rules[" + std::to_string(i) + "]", diag, s.name));
}

}  // namespace

std::shared_ptr<const Scenario> load_scenario_text(std::string_view text, const std::string& file_label,
                                                   const std::filesystem::path& base_dir) {
    Diagnostics diag(file_label, base_dir);
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        diag.error(e.mark, "", "YAML syntax: " + e.msg);
        throw LoadError(diag.problems());
    }
    auto scenario = std::make_shared<Scenario>();
    scenario->source = file_label;
    if (root.IsNull() || !root.IsDefined())
        diag.error(YAML::Mark::null_mark(), "", "the file is empty; a scenario needs name, title, description and rules");
    else
        parse_scenario(root, diag, *scenario);
    if (!diag.empty()) throw LoadError(diag.problems());
    return scenario;
}

ScenarioFileText read_scenario_file(const std::filesystem::path& path) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; for a regular file it changes nothing.
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) return {std::nullopt, "cannot read the file"};
    if (!S_ISREG(st.st_mode)) return {std::nullopt, "not a regular file (" + file_kind(st.st_mode) + "); give a scenario YAML file"};
    if (static_cast<std::uintmax_t>(st.st_size) > max_scenario_file_bytes)
        return {std::nullopt, "the file is " + std::to_string(st.st_size) + " bytes; a scenario file may be at most 4 MiB"};
    std::string text;
    char chunk[65536];
    for (;;) {  // the file may grow while it is read: the limit holds on what is read, too
        ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return {std::nullopt, "cannot read the file"};
        if (n == 0) return {std::move(text), {}};
        if (text.size() + static_cast<std::size_t>(n) > max_scenario_file_bytes)
            return {std::nullopt, "the file grew past 4 MiB while it was read; a scenario file may be at most 4 MiB"};
        text.append(chunk, static_cast<std::size_t>(n));
    }
}

std::shared_ptr<const Scenario> load_scenario_file_text(std::string_view text, const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::path base = std::filesystem::absolute(path, ec).parent_path();
    return load_scenario_text(text, path.string(), base);
}

std::shared_ptr<const Scenario> load_scenario_file(const std::filesystem::path& path) {
    auto file = read_scenario_file(path);
    if (!file.text) throw LoadError({Problem{path.string(), 0, 0, "", file.error}});
    return load_scenario_file_text(*file.text, path);
}

}  // namespace tlsfault::scenarios
