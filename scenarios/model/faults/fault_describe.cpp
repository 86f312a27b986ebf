#include "scenarios/model/faults/fault_describe.hpp"

namespace tlsfault::scenarios {

std::string describe(const FaultSettings& settings) {
    return std::visit([](const auto& s) { return FaultTraits<std::decay_t<decltype(s)>>::describe(s); }, settings);
}

}  // namespace tlsfault::scenarios
