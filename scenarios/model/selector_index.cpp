// See selector_index.hpp.
#include "scenarios/model/selector_index.hpp"

#include "scenarios/model/host_key.hpp"

#include <algorithm>
#include <iterator>

namespace tlsfault::scenarios {
SelectorIndex::SelectorIndex(const std::vector<std::shared_ptr<RuleSelector>>& selectors) {
    for (std::size_t i = 0; i < selectors.size(); ++i) {
        const RuleSelector& selector = *selectors[i];
        if (selector.concerns_every_host()) every_host_.push_back(i);
        if (selector.has_wildcard_host()) wildcard_.push_back(i);
        // RuleSelector's own index holds the literal hosts already lower-cased.
        for (const auto& [host, rules] : selector.host_index().literal) named_[host].push_back(i);
    }
}

std::vector<std::size_t> SelectorIndex::merged(std::string_view host, const std::vector<std::size_t>& also) const {
    const auto found = named_.empty() ? named_.end() : named_.find(host_key(host));
    if (found == named_.end()) return also;
    std::vector<std::size_t> out;
    out.reserve(found->second.size() + also.size());
    std::set_union(found->second.begin(), found->second.end(), also.begin(), also.end(), std::back_inserter(out));
    return out;
}

std::vector<std::size_t> SelectorIndex::concerned(std::string_view host) const { return merged(host, every_host_); }

std::vector<std::size_t> SelectorIndex::may_name(std::string_view host) const { return merged(host, wildcard_); }

}  // namespace tlsfault::scenarios
