// Waiting for a socket to become readable without a system call. Asio's `async_wait(wait_read)`
// re-registers the socket with epoll (`epoll_ctl`) on every call, and a read operation first tries
// the socket once (its "speculative" read, which Asio 1.81 keeps trying until the peer closes):
// either way one system call per wait that finds nothing. A kept-alive request waits for its
// client once. async_wait_readable instead waits for the reactor's next readable edge, and when
// it completes tells the reactor to try no speculative read on the socket until the next edge:
// the caller reads the socket itself until it is drained, so an edge always follows new bytes.
// (Only a wait started after an edge that no operation took, or on a new socket, looks first: a
// one-byte peek.)
//
// The contract, which the TLS request loop keeps: after a completion, read the socket until a
// read comes back short or empty (TlsStream's input_likely() is false) before waiting again, and
// leave a socket undrained only to read it at once (TlsStream::read_now). Bytes left in the socket
// with the edge consumed would otherwise wait for an edge that never comes.
//
// Built from Asio's own detail types (epoll_reactor::start_op, reactor_op), as Asio's
// reactive_wait_op is: the design card fixes Boost at 1.81, and the static_assert below stops a
// build against another Asio rather than let it behave differently.
#pragma once

#include "proxy/core/net.hpp"

#include <boost/asio/detail/bind_handler.hpp>
#include <boost/asio/detail/fenced_block.hpp>
#include <boost/asio/detail/handler_alloc_helpers.hpp>
#include <boost/asio/detail/handler_work.hpp>
#include <boost/asio/detail/reactor.hpp>
#include <boost/asio/detail/reactor_op.hpp>
#include <boost/version.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <memory>

namespace tlsfault::proxy {

static_assert(BOOST_VERSION == 108100, "readable_edge.hpp uses Asio 1.81's reactor internals: check them before changing Boost");
#if !defined(BOOST_ASIO_HAS_EPOLL) || defined(BOOST_ASIO_HAS_IO_URING_AS_DEFAULT)
#error "readable_edge.hpp expects Asio's epoll reactor"
#endif

namespace readable_edge_detail {

namespace detail = boost::asio::detail;

/// The socket's reactor registration, which basic_socket keeps protected (read through a
/// pointer to its member, as a derived class may).
struct SocketInternals : tcp::socket {
    static auto& implementation(tcp::socket& socket) { return (socket.*&SocketInternals::impl_).get_implementation(); }
};

/// The operation being started on this thread: its perform step then runs from start_op, as the
/// reactor's speculative attempt, not because an edge came.
inline thread_local const void* starting_op = nullptr;

/// Completes when the socket is readable (or failed, or its peer closed). Performed on an edge,
/// it reads nothing and answers "done and exhausted", which makes the reactor stop speculating
/// on reads of the socket until its next edge (reactive_wait_op answers "done", so the reactor
/// kept trying). Performed speculatively (the reactor saw an edge since, or the socket is new)
/// it looks with a one-byte peek: a new socket's first wait would otherwise complete at once,
/// and the caller's read, finding nothing, wait in a read operation with its buffers.
template <class Handler, class IoExecutor>
class ReadableOp : public detail::reactor_op {
public:
    BOOST_ASIO_DEFINE_HANDLER_PTR(ReadableOp);

    ReadableOp(Handler& handler, const IoExecutor& io_ex, int descriptor)
        : reactor_op(error_code(), &ReadableOp::do_perform, &ReadableOp::do_complete),
          handler_(std::move(handler)),
          work_(handler_, io_ex),
          descriptor_(descriptor) {}

    static status do_perform(reactor_op* base) {
        auto* o = static_cast<ReadableOp*>(base);
        if (o != starting_op) return done_and_exhausted;
        char byte;
        const ssize_t n = ::recv(o->descriptor_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? not_done : done_and_exhausted;
    }

    static void do_complete(void* owner, detail::operation* base, const error_code&, std::size_t) {
        // As reactive_wait_op: the handler moves out and the operation's memory goes before the upcall.
        auto* o = static_cast<ReadableOp*>(base);
        ptr p = {std::addressof(o->handler_), o, o};
        detail::handler_work<Handler, IoExecutor> w(std::move(o->work_));
        detail::binder1<Handler, error_code> handler(o->handler_, o->ec_);
        p.h = std::addressof(handler.handler_);
        p.reset();
        if (owner) {
            detail::fenced_block b(detail::fenced_block::half);
            w.complete(handler, handler.handler_);
        }
    }

private:
    Handler handler_;
    detail::handler_work<Handler, IoExecutor> work_;
    int descriptor_;
};

/// Per-operation cancellation (a parallel group, a cancelled coroutine), as Asio's socket operations have.
struct CancelReadable {
    detail::reactor* reactor;
    detail::reactor::per_descriptor_data* data;
    int descriptor;
    void operator()(net::cancellation_type_t type) {
        if (!!(type & (net::cancellation_type::terminal | net::cancellation_type::partial | net::cancellation_type::total)))
            reactor->cancel_ops_by_key(descriptor, *data, detail::reactor::read_op, this);
    }
};

}  // namespace readable_edge_detail

/// Completes with (error_code) when `socket` is readable (or failed, or its peer closed): at once
/// when the reactor has seen it become readable since the last completion, else at its next
/// readable edge. operation_aborted when the socket is closed meanwhile or the wait cancelled.
/// See the contract above.
template <class Token>
auto async_wait_readable(tcp::socket& socket, Token&& token) {
    return net::async_initiate<Token, void(error_code)>(
        [&socket](auto handler) {
            namespace detail = boost::asio::detail;
            using Handler = decltype(handler);
            using Op = readable_edge_detail::ReadableOp<Handler, tcp::socket::executor_type>;
            auto& impl = readable_edge_detail::SocketInternals::implementation(socket);
            auto& reactor = net::use_service<detail::reactor>(net::query(socket.get_executor(), net::execution::context));
            auto slot = net::get_associated_cancellation_slot(handler);  // before the handler moves into the operation
            typename Op::ptr p = {std::addressof(handler), Op::ptr::allocate(handler), nullptr};
            p.p = new (p.v) Op(handler, socket.get_executor(), impl.socket_);
            if (slot.is_connected())
                p.p->cancellation_key_ = &slot.template emplace<readable_edge_detail::CancelReadable>(
                    readable_edge_detail::CancelReadable{&reactor, &impl.reactor_data_, impl.socket_});
            // allow_speculative: with no edge seen since the last completion the operation just
            // queues (no system call); with one, its perform step looks (ReadableOp). A closed
            // socket completes it with bad_descriptor, as Asio's own operations.
            readable_edge_detail::starting_op = p.p;
            reactor.start_op(detail::reactor::read_op, impl.socket_, impl.reactor_data_, p.p, false, true);
            readable_edge_detail::starting_op = nullptr;
            p.v = p.p = nullptr;
        },
        token);
}

}  // namespace tlsfault::proxy
