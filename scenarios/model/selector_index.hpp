// Which of several loaded scenarios a connection's host concerns. With the whole catalogue and
// a file of 1,000 host rules loaded, a connection asks the few scenarios that name its host (and
// those that look at every host) instead of every scenario in turn: counting its attempt and
// choosing its rule cost the same with 1 scenario as with 70.
#pragma once

#include "scenarios/model/rule_selector.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tlsfault::scenarios {

class SelectorIndex {
public:
    SelectorIndex() = default;
    /// Indexes `selectors` (positions refer to this list; rebuild when it changes).
    explicit SelectorIndex(const std::vector<std::shared_ptr<RuleSelector>>& selectors);

    /// Positions, ascending, of the selectors whose rules can match a connection to `host` or
    /// whose sequences count it: those naming it literally and those that concern every host
    /// (RuleSelector::concerns_every_host). A selector left out would count an attempt no rule
    /// of it ever reads and choose no rule, so asking only these changes nothing a client sees.
    std::vector<std::size_t> concerned(std::string_view host) const;

    /// Positions, ascending, of the selectors that may name `host` in a `match.host`: those with
    /// it as a literal and those with a wildcard host (RuleSelector::names_host decides).
    std::vector<std::size_t> may_name(std::string_view host) const;

private:
    /// The literal list for `host` merged in order with `also`.
    std::vector<std::size_t> merged(std::string_view host, const std::vector<std::size_t>& also) const;

    std::unordered_map<std::string, std::vector<std::size_t>> named_;  ///< lower-case host -> positions
    std::vector<std::size_t> every_host_;
    std::vector<std::size_t> wildcard_;
};

}  // namespace tlsfault::scenarios
