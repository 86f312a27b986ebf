// ALPN selection: the engine's default (http/1.1 when offered: tlsfault speaks HTTP/1.1 only)
// and a rule's tls.alpn. The client's list comes from the network, so every length is checked.
#include "proxy/tls/alpn_select.hpp"

#include <string_view>

namespace tlsfault::proxy {
namespace {

int choice_index() {
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

/// The protocols in the wire list `in` (length-prefixed names); a malformed tail is dropped.
std::vector<std::string_view> protocols(const unsigned char* in, unsigned int inlen) {
    std::vector<std::string_view> names;
    for (unsigned int i = 0; i < inlen;) {
        unsigned int len = in[i];
        if (len == 0 || i + 1 + len > inlen) break;
        names.emplace_back(reinterpret_cast<const char*>(in + i + 1), len);
        i += 1 + len;
    }
    return names;
}

int select_alpn(SSL* ssl, const unsigned char** out, unsigned char* outlen, const unsigned char* in, unsigned int inlen, void* /*arg*/) {
    auto* choice = static_cast<AlpnChoice*>(SSL_get_ex_data(ssl, choice_index()));
    const auto offered = protocols(in, inlen);
    const std::string wanted = choice && choice->wanted ? *choice->wanted : "http/1.1";
    if (choice) {
        choice->asked = true;
        choice->offered.assign(offered.begin(), offered.end());
    }
    if (wanted == "refuse") {
        if (choice) choice->refused = true;
        return SSL_TLSEXT_ERR_ALERT_FATAL;  // OpenSSL sends no_application_protocol
    }
    if (wanted == "none") return SSL_TLSEXT_ERR_NOACK;
    // A protocol is selected only when offered: selecting one the client did not ask for is a
    // protocol violation clients reject, which is not what a rule naming a protocol means.
    for (auto name : offered) {
        if (name != wanted) continue;
        *out = reinterpret_cast<const unsigned char*>(name.data());  // points into `in`, as OpenSSL requires
        *outlen = static_cast<unsigned char>(name.size());
        if (choice) choice->selected = std::string(name);
        return SSL_TLSEXT_ERR_OK;
    }
    return SSL_TLSEXT_ERR_NOACK;
}

}  // namespace

void install_alpn_select(SSL_CTX* ctx) { SSL_CTX_set_alpn_select_cb(ctx, select_alpn, nullptr); }

void set_alpn_choice(SSL* ssl, AlpnChoice& choice) { SSL_set_ex_data(ssl, choice_index(), &choice); }

void forget_alpn_choice(SSL* ssl) { SSL_set_ex_data(ssl, choice_index(), nullptr); }

}  // namespace tlsfault::proxy
