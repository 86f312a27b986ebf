// `tlsfault inspect FILE|HOST:PORT`: prints a certificate chain the way a support engineer
// reads it, and which lab profile or mirror mutation reproduces each fault it sees. HOST:PORT
// is for a running lab server: it connects only to the address typed (an IP literal or
// localhost), never resolves or scans anything else.
#include "cli/arg_parser.hpp"
#include "cli/commands/commands.hpp"

#include "certgen/certgen_error.hpp"
#include "certgen/certificate_builder.hpp"
#include "certgen/mirror/chain_report.hpp"
#include "certgen/mirror/customer_chain.hpp"
#include "certgen/pem_io.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <fcntl.h>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>

namespace tlsfault::cli {
namespace {

constexpr int timeout_ms = 5000;

void print_help() {
    std::cout << R"(Usage: tlsfault inspect FILE|HOST:PORT [--host NAME] [--sni NAME]

Prints a certificate chain the way a support engineer reads it: per certificate the subject,
issuer, SANs, validity (expired / not yet valid flagged), key type and size, signature
algorithm, EKU, basic constraints, CRL, OCSP and CA-issuers URLs. Then one "fault:" line per
problem seen, each with the lab profile (tlsfault certgen --profile, certificate: NAME) and the
mirror mutation (tlsfault certgen --mirror FILE --mutate ..., certificate: {mirror: ..., mutate:})
that reproduce it: expired, not yet valid, self-signed, missing intermediate (the leaf's issuer
is not in the chain), wrong host (with --host), SHA-1 signature, weak RSA key, no SAN, no
serverAuth EKU.

  FILE          a PEM bundle or a DER certificate (.cer), shown leaf first when it is one chain
  HOST:PORT     a running lab server (tlsfault run): 127.0.0.1:8443, [::1]:8443, localhost:8443
                or an IP address you name; tlsfault connects to exactly that, once, for 5 s at most

Options:
  --host NAME   the host name the client asks for: checked against the leaf's names, and sent as
                SNI to HOST:PORT unless --sni says otherwise
  --sni NAME    the SNI to send to HOST:PORT (default: --host, else none)

Examples:
  tlsfault inspect customer-chain.pem --host mail.contoso.com
  tlsfault inspect 127.0.0.1:8443 --host mail.contoso.com
)";
}

struct Endpoint {
    sockaddr_storage address{};
    socklen_t length = 0;
};

// "127.0.0.1:8443", "[::1]:8443", "localhost:8443" (loopback), or any IP literal the user typed.
std::optional<Endpoint> parse_endpoint(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon + 1 == text.size()) return std::nullopt;
    std::string host = text.substr(0, colon);
    const std::string port_text = text.substr(colon + 1);
    if (port_text.find_first_not_of("0123456789") != std::string::npos || port_text.size() > 5) return std::nullopt;
    const long port = std::stol(port_text);
    if (port < 1 || port > 65535) return std::nullopt;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host == "localhost") host = "127.0.0.1";
    Endpoint e;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&e.address);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&e.address);
    if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(static_cast<std::uint16_t>(port));
        e.length = sizeof(sockaddr_in);
    } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(static_cast<std::uint16_t>(port));
        e.length = sizeof(sockaddr_in6);
    } else {
        return std::nullopt;
    }
    return e;
}

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

void connect_with_timeout(Fd& sock, const Endpoint& e, const std::string& target) {
    sock.fd = ::socket(e.address.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (sock.fd < 0) throw certgen::CertgenError(std::string("cannot open a socket: ") + std::strerror(errno));
    if (::connect(sock.fd, reinterpret_cast<const sockaddr*>(&e.address), e.length) != 0 && errno != EINPROGRESS)
        throw certgen::CertgenError(target + ": cannot connect: " + std::strerror(errno) + "; is tlsfault run listening there?");
    pollfd p{sock.fd, POLLOUT, 0};
    int err = 0;
    socklen_t len = sizeof err;
    if (::poll(&p, 1, timeout_ms) != 1) throw certgen::CertgenError(target + ": no answer within 5 s; is tlsfault run listening there?");
    ::getsockopt(sock.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) throw certgen::CertgenError(target + ": cannot connect: " + std::strerror(err) + "; is tlsfault run listening there?");
    // Blocking from here on, each read and write bounded by the same deadline.
    ::fcntl(sock.fd, F_SETFL, 0);
    timeval tv{timeout_ms / 1000, 0};
    ::setsockopt(sock.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(sock.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

// The chain the server sends, unverified: inspecting a broken chain is the point.
std::vector<certgen::X509Ptr> fetch_chain(const std::string& target, const Endpoint& e, const std::optional<std::string>& sni) {
    Fd sock;
    connect_with_timeout(sock, e, target);
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
    if (!ctx) certgen::throw_openssl_error("cannot make a TLS context");
    SSL_CTX_set_security_level(ctx.get(), 0);  // a SHA-1 or 1024-bit chain must still be shown
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
    SSL_set_fd(ssl.get(), sock.fd);
    if (sni) SSL_set_tlsext_host_name(ssl.get(), sni->c_str());
    if (SSL_connect(ssl.get()) != 1) {
        unsigned long code = ERR_get_error();
        char text[256] = "no TLS answer";
        if (code) ERR_error_string_n(code, text, sizeof text);
        ERR_clear_error();
        throw certgen::CertgenError(target + ": TLS handshake failed (" + text + ")");
    }
    std::vector<certgen::X509Ptr> chain;
    STACK_OF(X509)* sent = SSL_get_peer_cert_chain(ssl.get());  // the leaf first, as sent
    for (int i = 0; sent && i < sk_X509_num(sent); ++i) chain.push_back(certgen::share(sk_X509_value(sent, i)));
    SSL_shutdown(ssl.get());
    if (chain.empty()) throw certgen::CertgenError(target + ": the server sent no certificate");
    return chain;
}

}  // namespace

int run_inspect(std::span<const std::string> args) {
    const std::vector<OptionSpec> specs = {{"host"}, {"sni"}};
    ParsedArgs parsed = parse_args(args, specs, "inspect");
    if (parsed.has("help")) {
        print_help();
        return 0;
    }
    if (parsed.positionals().size() != 1) throw UsageError("give one FILE or HOST:PORT; see tlsfault inspect --help");
    const std::string target = parsed.positionals()[0];
    const std::optional<std::string> host = parsed.get_optional("host");
    if (host && !certgen::is_valid_dns_name(*host) && !certgen::is_ip_address(*host))
        throw UsageError("--host " + *host + ": not a DNS name or IP address");
    std::vector<certgen::X509Ptr> chain;
    std::error_code ec;
    if (std::filesystem::is_regular_file(target, ec)) {
        if (parsed.has("sni")) throw UsageError("--sni is for HOST:PORT, not a file");
        chain = certgen::parse_certificates(certgen::read_file(target), target);
        try {  // a bundle in any order is shown leaf first; certificates that are not one chain, as given
            chain = certgen::order_chain(std::move(chain), target);
        } catch (const certgen::CertgenError&) {
            chain = certgen::parse_certificates(certgen::read_file(target), target);
        }
    } else if (auto endpoint = parse_endpoint(target)) {
        chain = fetch_chain(target, *endpoint, parsed.has("sni") ? parsed.get_optional("sni") : host);
    } else {
        throw UsageError(target + ": no such file, and not HOST:PORT with an IP address or localhost (e.g. 127.0.0.1:8443)");
    }
    std::cout << "chain of " << target << ": " << chain.size() << (chain.size() == 1 ? " certificate" : " certificates")
              << (host ? ", for host " + *host : "") << "\n"
              << certgen::chain_report(chain, host, static_cast<std::int64_t>(std::time(nullptr)));
    return 0;
}

}  // namespace tlsfault::cli
