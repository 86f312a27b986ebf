// Namespace aliases and the completion token used on the traffic path. Internal to proxy/:
// public headers (engine.hpp, engine_config.hpp) do not include Asio.
#pragma once

// Asio compiled once (tlsfault_asio): a file built without it gets header-only copies of Asio's
// error categories, and `ec == net::error::eof` then quietly fails against errors from the rest.
#ifndef BOOST_ASIO_SEPARATE_COMPILATION
#error "proxy/core/net.hpp: build this file in a target that links tlsfault_asio"
#endif

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include "proxy/core/tls_stream.hpp"

namespace tlsfault::proxy {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;

/// Traffic never throws: every awaited operation yields its error_code in a tuple. Deferred
/// rather than use_awaitable: co_await on a deferred operation makes no coroutine frame for
/// the operation, where use_awaitable allocates one per read, write and wait (and a kept-alive
/// connection's idle wait held its 188 bytes).
inline constexpr auto nothrow = net::as_tuple(net::deferred);
/// The same as an awaitable<>, where one is needed (awaitable operators, Beast's range connect).
inline constexpr auto nothrow_awaitable = net::as_tuple(net::use_awaitable);

// TlsStream (proxy/core/tls_stream.hpp): TLS over a beast::tcp_stream, records batched per socket operation.

}  // namespace tlsfault::proxy
