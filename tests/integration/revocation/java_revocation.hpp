// What both Java revocation test files start from: whether a JDK is there, and the JVM command
// line with revocation checking on by the documented system properties (CRLs through the CDP),
// running java/RevocationClient.java from source.
#pragma once

#include "tests/integration/engine/engine_fixture.hpp"

#include <string>
#include <vector>

namespace tlsfault::test {

inline bool java_available() { return run_process({"java", "-version"}, std::chrono::seconds(20)).exit_code == 0; }

/// `java` with -Dcom.sun.net.ssl.checkRevocation=true -Dcom.sun.security.enableCRLDP=true, then
/// `options` (trust store, proxy, timeouts), then RevocationClient.java and `client_args`.
inline std::vector<std::string> java_checking_revocation(const std::vector<std::string>& options,
                                                         const std::vector<std::string>& client_args) {
    std::vector<std::string> argv = {"java", "-Dcom.sun.net.ssl.checkRevocation=true", "-Dcom.sun.security.enableCRLDP=true"};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back(std::string(REVOCATION_TEST_DIR) + "/java/RevocationClient.java");
    argv.insert(argv.end(), client_args.begin(), client_args.end());
    return argv;
}

}  // namespace tlsfault::test
