// The catalogue sweep: one row per catalogue scenario saying what curl, Python (urllib) and, for
// the TLS-level ones, openssl s_client print against `tlsfault run NAME`, and what tlsfault must
// record for each of them (verdict outcome, alert, and the rule's `expect` judgement). What a
// client prints is, wherever the catalogue lists it, one of the scenario's own
// `description.messages`, so `tlsfault explain` and this test cannot drift apart.
#pragma once

#include "tests/integration/engine/engine_fixture.hpp"

#include <string>
#include <vector>

namespace tlsfault::test::sweep {

/// What a client must print: a message of the scenario's `description.messages`, named by its
/// `client` label, or a literal where the catalogue lists nothing (a plain "200 OK").
struct Said {
    std::string message_client;
    std::string literal;
};
inline Said message(std::string client) { return {std::move(client), {}}; }
inline Said text(std::string literal) { return {{}, std::move(literal)}; }

/// What varies between builds of the same client, removed from both sides before comparing:
/// curl 7.88's "OpenSSL/3.0.19: " before OpenSSL errors, the line in CPython's "_ssl.c:1006",
/// and the milliseconds of "timed out after 2001 milliseconds".
std::string normalised(std::string text);

/// One client's run against the row's host, and what tlsfault must record for that connection.
struct ClientRun {
    bool run = true;
    std::vector<std::string> args;  ///< extra arguments; "{crl}" is the row's fetched CRL file
    std::string input;              ///< the client's stdin; s_client's default is one GET with Connection: close
    Said said;
    std::string outcome;      ///< the verdict's outcome
    std::string alert;        ///< the verdict's `alert` (the client's); "" = none
    std::string sent_alert;   ///< the verdict's `sent_alert` (tlsfault's); "" = not checked
    std::string expectation;  ///< "pass" or "fail": the rule's expect judged; "" = no expect applies
    int min_ms = 0;           ///< the client took at least this long (latency, retries)
};

/// A client the row does not run, and why (said in the report, never silently).
inline ClientRun not_run() { return ClientRun{.run = false}; }

struct Row {
    std::string scenario;
    std::string host;
    std::string path = "/";
    ClientRun curl, python, s_client;
    std::vector<std::string> crls;   ///< revocation-listener paths fetched into one "{crl}" file first
    bool engine_per_client = false;  ///< attempts are counted per client address: sequences need a fresh engine
};

const std::vector<Row>& field_case_rows();
const std::vector<Row>& certificate_rows();
const std::vector<Row>& tls_rows();
const std::vector<Row>& network_rows();
const std::vector<Row>& http_rows();

/// Runs every client of `row` against `tlsfault run row.scenario` and checks each one.
void run_row(const Row& row);

}  // namespace tlsfault::test::sweep
