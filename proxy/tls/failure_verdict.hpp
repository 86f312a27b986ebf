// The verdict of a connection whose handshake or read failed: the alert the client sent wins,
// else the transport error says closed, reset, timeout or handshake_error.
#pragma once

#include "proxy/core/verdict.hpp"
#include "proxy/tls/alert_capture.hpp"

#include <boost/system/error_code.hpp>

namespace tlsfault::proxy {

/// The verdict for a connection that failed in `phase` with `ec`, given the alerts seen.
Verdict classify_failure(Phase phase, const boost::system::error_code& ec, const AlertCapture* alerts);

}  // namespace tlsfault::proxy
