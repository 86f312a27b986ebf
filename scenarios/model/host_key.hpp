// The form the rule indexes key hosts by (RuleSelector::HostIndex, SelectorIndex): lower-case,
// since host conditions ignore case. One definition so both indexes always agree.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace tlsfault::scenarios {

/// `host` in lower case.
inline std::string host_key(std::string_view host) {
    std::string out(host);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace tlsfault::scenarios
