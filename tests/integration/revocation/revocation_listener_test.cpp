// The revocation listener on loopback, fetched by real clients: `openssl ocsp -url` and curl,
// with each fetch checked in the event log and linked to the TLS connection it is about.
#include "tests/support/process.hpp"

#include "proxy/events/event_log.hpp"
#include "proxy/core/net.hpp"
#include "proxy/revocation/revocation_session.hpp"

#include "certgen/catalogue.hpp"
#include "certgen/pem_io.hpp"

#include <boost/asio/io_context.hpp>
#include <doctest/doctest.h>

#include <fstream>
#include <thread>

using namespace tlsfault;
using namespace tlsfault::proxy;

namespace {

// A revocation listener on 127.0.0.1:0, served by one thread until the harness is destroyed.
class RevocationHarness {
public:
    RevocationHarness()
        : pki_(certgen::LabPki::in_memory()),
          service_(*pki_),
          log_(dir_ / "events.jsonl"),
          context_{service_, log_, std::chrono::seconds(5), std::chrono::seconds(20)},
          acceptor_(ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
        port_ = acceptor_.local_endpoint().port();
        net::co_spawn(ioc_, accept_loop(), net::detached);
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~RevocationHarness() {
        ioc_.stop();
        thread_.join();
    }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
    certgen::LabPki& pki() { return *pki_; }
    RevocationService& service() { return service_; }
    const test::TempDir& dir() const { return dir_; }
    std::string write(const std::string& name, const std::string& content) {
        std::ofstream(dir_ / name, std::ios::binary) << content;
        return dir_ / name;
    }
    std::string events() {
        log_.flush();
        std::ifstream in(dir_ / "events.jsonl");
        return std::string((std::istreambuf_iterator<char>(in)), {});
    }
    // Runs `openssl ocsp` against the listener for `cert`, as a client checking revocation does.
    test::ProcessResult openssl_ocsp(const certgen::IssuedCertificate& cert, const std::string& path) {
        const std::string leaf = write("leaf.pem", certgen::to_pem(cert.leaf.get()));
        const std::string issuer = write("issuer.pem", certgen::to_pem(pki_->cas().intermediate().cert.get()));
        const std::string root = write("root.pem", certgen::to_pem(pki_->cas().root().cert.get()));
        return test::run_process(
            {"openssl", "ocsp", "-url", url(path), "-issuer", issuer, "-cert", leaf, "-CAfile", root, "-timeout", "5"});
    }

private:
    net::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(nothrow);
            if (ec) co_return;
            net::co_spawn(ioc_, serve_revocation_connection(context_, std::move(socket)), net::detached);
        }
    }
    test::TempDir dir_;
    std::unique_ptr<certgen::LabPki> pki_;
    RevocationService service_;
    EventLog log_;
    RevocationContext context_;
    net::io_context ioc_;
    tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    std::thread thread_;
};

std::shared_ptr<const certgen::IssuedCertificate> mint(RevocationHarness& h, const char* profile) {
    return h.pki().minter().mint(*certgen::find_profile(profile), "ocsp.example.test");
}

}  // namespace

TEST_CASE("revocation listener: openssl ocsp -url gets good, revoked, unknown and tryLater") {
    RevocationHarness h;
    auto good = mint(h, "good");
    auto revoked = mint(h, "revoked");
    h.service().certificate_shown(41, "127.0.0.1", "intermediate", good->serial_hex);
    h.service().certificate_shown(42, "127.0.0.1", "intermediate", revoked->serial_hex);

    auto r = h.openssl_ocsp(*good, "/ocsp/intermediate");
    CHECK_MESSAGE(r.out.find("leaf.pem: good") != std::string::npos, r.all());
    CHECK(r.all().find("Response verify OK") != std::string::npos);
    r = h.openssl_ocsp(*revoked, "/ocsp/intermediate");
    CHECK_MESSAGE(r.out.find("leaf.pem: revoked") != std::string::npos, r.all());
    r = h.openssl_ocsp(*good, "/unknown/ocsp/intermediate");
    CHECK_MESSAGE(r.out.find("leaf.pem: unknown") != std::string::npos, r.all());
    r = h.openssl_ocsp(*good, "/try-later/ocsp/intermediate");
    CHECK_MESSAGE(r.all().find("Responder Error: trylater (3)") != std::string::npos, r.all());

    const std::string events = h.events();
    CHECK(events.find("\"conn\":41,\"event\":\"revocation\"") != std::string::npos);
    CHECK(events.find("\"serial\":\"" + revoked->serial_hex + "\",\"answered\":\"revoked\"") != std::string::npos);
    CHECK(events.find("\"mode\":\"try-later\"") != std::string::npos);
    CHECK(events.find("\"answered\":\"tryLater\"") != std::string::npos);
}

TEST_CASE("revocation listener: curl fetches CRLs that openssl verify uses, stale ones included") {
    RevocationHarness h;
    auto revoked = mint(h, "revoked");
    auto good = mint(h, "good");
    const std::string root = h.write("root.pem", certgen::to_pem(h.pki().cas().root().cert.get()));
    const std::string chain = h.write("chain.pem", certgen::to_pem(h.pki().cas().intermediate().cert.get()));
    const std::string revoked_pem = h.write("revoked.pem", certgen::to_pem(revoked->leaf.get()));
    const std::string good_pem = h.write("good.pem", certgen::to_pem(good->leaf.get()));
    auto fetch = [&](const std::string& path, const std::string& file) {
        return test::run_process(
            {"curl", "-sS", "--max-time", "5", "-o", h.dir() / file, "-w", "%{http_code} %{content_type}", h.url(path)});
    };
    auto verify = [&](const std::string& leaf, const std::string& crl) {
        return test::run_process({"openssl", "verify", "-CAfile", root, "-untrusted", chain, "-crl_check", "-CRLfile", crl, leaf});
    };
    auto fetched = fetch("/crl/intermediate.crl.pem", "intermediate.crl.pem");
    CHECK(fetched.out == "200 application/x-pem-file");
    CHECK(verify(revoked_pem, h.dir() / "intermediate.crl.pem").all().find("certificate revoked") != std::string::npos);
    CHECK(verify(good_pem, h.dir() / "intermediate.crl.pem").exit_code == 0);
    CHECK(fetch("/stale/crl/intermediate.crl.pem", "stale.crl.pem").out == "200 application/x-pem-file");
    CHECK(verify(good_pem, h.dir() / "stale.crl.pem").all().find("CRL has expired") != std::string::npos);
    CHECK(fetch("/wrong-key/crl/intermediate.crl.pem", "wrong.crl.pem").exit_code == 0);
    CHECK(verify(good_pem, h.dir() / "wrong.crl.pem").all().find("CRL signature failure") != std::string::npos);
    CHECK(fetch("/crl/intermediate.crl", "intermediate.crl").out == "200 application/pkix-crl");
    CHECK(fetch("/ca/intermediate.der", "intermediate.der").out == "200 application/pkix-cert");
    CHECK(fetch("/not-found/crl/intermediate.crl", "x").out.rfind("404", 0) == 0);
    CHECK(fetch("/server-error/crl/intermediate.crl", "x").out.rfind("500", 0) == 0);
    CHECK(fetch("/crl/nosuchca.crl", "x").out.rfind("404", 0) == 0);
    CHECK(h.events().find("\"answered\":\"crl 1 entry (stale)\"") != std::string::npos);
}

TEST_CASE("revocation listener: a blackhole holds the client until it gives up, others are still served") {
    RevocationHarness h;
    h.service().certificate_shown(7, "127.0.0.1", "intermediate", "ABCDEF");
    auto hung = test::run_process({"curl", "-sS", "--max-time", "1", h.url("/blackhole/crl/intermediate.crl")});
    CHECK(hung.exit_code == 28);  // curl: operation timed out
    auto served = test::run_process({"curl", "-sS", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", h.url("/crl/root.crl")});
    CHECK(served.out == "200");
    // The client's give-up is logged as the end of the fetch, linked to connection 7.
    std::string events;
    for (int i = 0; i < 100 && events.find("revocation_end") == std::string::npos; ++i) {
        events = h.events();
        if (events.find("revocation_end") == std::string::npos) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(events.find("\"conn\":7,\"event\":\"revocation\"") != std::string::npos);
    CHECK(events.find("\"answered\":\"nothing (blackhole)\"") != std::string::npos);
    CHECK(events.find("\"conn\":7,\"event\":\"revocation_end\"") != std::string::npos);
    CHECK(events.find("\"outcome\":\"client gave up\"") != std::string::npos);
}

TEST_CASE("revocation listener: slow answers arrive after the delay") {
    RevocationHarness h;
    auto too_impatient = test::run_process({"curl", "-sS", "--max-time", "0.5", "-o", "/dev/null", h.url("/slow-2s/crl/root.crl")});
    CHECK(too_impatient.exit_code == 28);
    auto patient =
        test::run_process({"curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}", h.url("/slow-1s/crl/root.crl")});
    CHECK(patient.out == "200");
    CHECK(h.events().find("\"mode\":\"slow\",\"delay_ms\":1000") != std::string::npos);
}
