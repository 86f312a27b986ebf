// The OCSP responder: every behaviour, judged by OpenSSL's OCSP_basic_verify and by the
// `openssl ocsp` command reading our responses.
#include "tests/support/process.hpp"

#include "certgen/catalogue.hpp"
#include "certgen/lab_pki.hpp"
#include "certgen/ocsp_responder.hpp"
#include "certgen/pem_io.hpp"

#include <doctest/doctest.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>

#include <fstream>

using namespace tlsfault;

namespace {

struct OcspLab {
    std::unique_ptr<certgen::LabPki> pki = certgen::LabPki::in_memory();
    certgen::OcspResponder responder{pki->cas(), pki->revocations()};

    std::shared_ptr<const certgen::IssuedCertificate> mint(const std::string& profile) {
        return pki->minter().mint(*certgen::find_profile(profile), "ocsp.example.test");
    }
    // A request as `openssl ocsp` or a browser sends it: SHA-1 CertID and a nonce.
    std::string request_for(const certgen::IssuedCertificate& cert, const X509* issuer) {
        OCSP_REQUEST* request = OCSP_REQUEST_new();
        OCSP_request_add0_id(request, OCSP_cert_to_id(EVP_sha1(), cert.leaf.get(), issuer));
        OCSP_request_add1_nonce(request, nullptr, -1);
        unsigned char* der = nullptr;
        int len = i2d_OCSP_REQUEST(request, &der);
        std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
        OPENSSL_free(der);
        OCSP_REQUEST_free(request);
        return out;
    }
    // OpenSSL's own verification of a response: 1 verified, 0 or -1 not.
    int basic_verify(const std::string& der) {
        const auto* p = reinterpret_cast<const unsigned char*>(der.data());
        OCSP_RESPONSE* response = d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(der.size()));
        OCSP_BASICRESP* basic = OCSP_response_get1_basic(response);
        X509_STORE* store = X509_STORE_new();
        X509_STORE_add_cert(store, pki->cas().root().cert.get());
        STACK_OF(X509)* untrusted = sk_X509_new_null();
        sk_X509_push(untrusted, pki->cas().intermediate().cert.get());
        int result = basic ? OCSP_basic_verify(basic, untrusted, store, 0) : -1;
        sk_X509_free(untrusted);
        X509_STORE_free(store);
        OCSP_BASICRESP_free(basic);
        OCSP_RESPONSE_free(response);
        ERR_clear_error();
        return result;
    }
};

}  // namespace

TEST_CASE("ocsp: truthful answers good for a good leaf and revoked for a revoked one, verifiably signed") {
    OcspLab lab;
    const X509* issuer = lab.pki->cas().intermediate().cert.get();
    auto good = lab.mint("good");
    auto revoked = lab.mint("revoked");
    certgen::OcspSummary served;
    std::string answer = lab.responder.respond(lab.request_for(*good, issuer), {}, &served);
    CHECK(served.cert_status == V_OCSP_CERTSTATUS_GOOD);
    CHECK(served.serial_hex == good->serial_hex);
    CHECK(certgen::summarize_ocsp_response(answer).cert_status == V_OCSP_CERTSTATUS_GOOD);
    CHECK(lab.basic_verify(answer) == 1);
    std::string revoked_answer = lab.responder.respond(lab.request_for(*revoked, issuer), {});
    CHECK(certgen::summarize_ocsp_response(revoked_answer).cert_status == V_OCSP_CERTSTATUS_REVOKED);
    CHECK(lab.basic_verify(revoked_answer) == 1);
}

TEST_CASE("ocsp: forced statuses, and the statuses without a body") {
    OcspLab lab;
    auto good = lab.mint("good");
    const std::string request = lab.request_for(*good, lab.pki->cas().intermediate().cert.get());
    using B = certgen::OcspBehaviour;
    CHECK(certgen::summarize_ocsp_response(lab.responder.respond(request, {.behaviour = B::revoked})).cert_status ==
          V_OCSP_CERTSTATUS_REVOKED);
    CHECK(certgen::summarize_ocsp_response(lab.responder.respond(request, {.behaviour = B::unknown})).cert_status ==
          V_OCSP_CERTSTATUS_UNKNOWN);
    const std::pair<B, int> bodyless[] = {{B::try_later, OCSP_RESPONSE_STATUS_TRYLATER},
                                          {B::unauthorized, OCSP_RESPONSE_STATUS_UNAUTHORIZED},
                                          {B::malformed_request, OCSP_RESPONSE_STATUS_MALFORMEDREQUEST},
                                          {B::internal_error, OCSP_RESPONSE_STATUS_INTERNALERROR}};
    for (auto [behaviour, status] : bodyless) {
        auto summary = certgen::summarize_ocsp_response(lab.responder.respond(request, {.behaviour = behaviour}));
        INFO(certgen::to_string(behaviour));
        CHECK(summary.response_status == status);
        CHECK(summary.cert_status == -1);
    }
}

TEST_CASE("ocsp: garbage or an unknown issuer") {
    OcspLab lab;
    CHECK(certgen::summarize_ocsp_response(lab.responder.respond("not DER at all", {})).response_status ==
          OCSP_RESPONSE_STATUS_MALFORMEDREQUEST);
    // A certificate from some other CA: truthful means "unknown".
    auto other = certgen::LabPki::in_memory();
    auto foreign = other->minter().mint(*certgen::find_profile("good"), "x.test");
    auto summary =
        certgen::summarize_ocsp_response(lab.responder.respond(lab.request_for(*foreign, other->cas().intermediate().cert.get()), {}));
    CHECK(summary.cert_status == V_OCSP_CERTSTATUS_UNKNOWN);
}

TEST_CASE("ocsp: a delegated responder verifies, a wrong key does not") {
    OcspLab lab;
    auto good = lab.mint("good");
    const std::string request = lab.request_for(*good, lab.pki->cas().intermediate().cert.get());
    CHECK(lab.basic_verify(lab.responder.respond(request, {.delegated_responder = true})) == 1);
    CHECK(lab.basic_verify(lab.responder.respond(request, {.wrong_key = true})) != 1);
}

TEST_CASE("ocsp: the openssl ocsp command reads our staples as a client would") {
    OcspLab lab;
    test::TempDir dir;
    auto write = [&](const std::string& name, const std::string& content) {
        std::ofstream(dir / name, std::ios::binary) << content;
        return dir / name;
    };
    const std::string issuer = write("issuer.pem", certgen::to_pem(lab.pki->cas().intermediate().cert.get()));
    const std::string root = write("root.pem", certgen::to_pem(lab.pki->cas().root().cert.get()));
    auto check = [&](const certgen::IssuedCertificate& cert, const certgen::OcspOptions& options) {
        const std::string leaf = write("leaf.pem", certgen::to_pem(cert.leaf.get()));
        const std::string response = write("response.der", lab.responder.staple(cert, options));
        return test::run_process({"openssl", "ocsp", "-respin", response, "-issuer", issuer, "-cert", leaf, "-CAfile", root, "-no_nonce"});
    };
    auto good = check(*lab.mint("good"), {});
    CHECK(good.all().find("Response verify OK") != std::string::npos);
    CHECK(good.out.find("leaf.pem: good") != std::string::npos);
    auto revoked = check(*lab.mint("revoked"), {});
    CHECK(revoked.out.find("leaf.pem: revoked") != std::string::npos);
    CHECK(revoked.out.find("Reason: keyCompromise") != std::string::npos);
    auto expired = check(*lab.mint("good"), {.expired = true});
    CHECK(expired.all().find("Status times invalid") != std::string::npos);
    auto wrong_key = check(*lab.mint("good"), {.wrong_key = true});
    CHECK(wrong_key.all().find("Response Verify Failure") != std::string::npos);
    auto delegated = check(*lab.mint("good"), {.delegated_responder = true});
    CHECK(delegated.all().find("Response verify OK") != std::string::npos);
}
