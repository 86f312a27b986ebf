// Mapping transport and TLS errors to outcomes. A received alert wins over the error that
// followed it: the socket error after an alert is a consequence, the alert is the client's word.
#include "proxy/tls/failure_verdict.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>

namespace tlsfault::proxy {

Verdict classify_failure(Phase phase, const boost::system::error_code& ec, const AlertCapture* alerts) {
    namespace net = boost::asio;
    Verdict v;
    v.phase = phase;
    v.reason = ec ? ec.message() : "";
    if (alerts && alerts->sent) v.sent_alert = static_cast<TlsAlert>(alerts->sent->description);
    if (alerts && alerts->received) {
        v.outcome = Outcome::alert;
        v.alert = static_cast<TlsAlert>(alerts->received->description);
        return v;
    }
    if (ec == boost::beast::error::timeout) {
        v.outcome = Outcome::timeout;
    } else if (ec == net::error::eof || ec == net::ssl::error::stream_truncated || (alerts && alerts->received_close_notify)) {
        // stream_truncated: the peer closed without close_notify, i.e. a bare FIN.
        v.outcome = Outcome::closed;
    } else if (ec == net::error::connection_reset || ec == net::error::broken_pipe) {
        v.outcome = Outcome::reset;
    } else if (ec.category() == net::error::get_ssl_category()) {
        // OpenSSL refused what the client offered (no shared version or cipher, ...).
        v.outcome = Outcome::handshake_error;
    } else {
        v.outcome = Outcome::aborted;
    }
    return v;
}

}  // namespace tlsfault::proxy
