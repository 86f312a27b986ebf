#include "beast_https_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

namespace tlsfault_example {

namespace asio = boost::asio;
namespace http = boost::beast::http;

HttpsReply https_get(const std::string& host, int port, const std::string& ca_file) {
    asio::io_context io;
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.load_verify_file(ca_file);
    tls.set_verify_mode(asio::ssl::verify_peer);
    boost::beast::ssl_stream<asio::ip::tcp::socket> stream(io, tls);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()))
        throw boost::system::system_error(static_cast<int>(ERR_get_error()), asio::error::get_ssl_category());
    // The name is checked by OpenSSL itself (SSL_set1_host), not by Asio's host_name_verification
    // callback: a callback that says "no" leaves no X509 error behind, so OpenSSL tells the
    // server internal_error — tlsfault's cert-wrong-host expectation flags exactly that.
    if (!SSL_set1_host(stream.native_handle(), host.c_str()))
        throw boost::system::system_error(static_cast<int>(ERR_get_error()), asio::error::get_ssl_category());
    auto& socket = stream.next_layer();
    socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    timeval tv{10, 0};  // no read or write may block longer than this
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    stream.handshake(asio::ssl::stream_base::client);
    http::request<http::empty_body> request{http::verb::get, "/", 11};
    request.set(http::field::host, host);
    request.set(http::field::connection, "close");
    http::write(stream, request);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    return {static_cast<int>(response.result_int()), response.body()};
}

}  // namespace tlsfault_example
