// What every fault kind declares: its name, layer, attributes (for validation and docs) and
// its parser. One kind per file pair in this folder; the registry lists them by name.
#pragma once

#include "scenarios/model/yaml_reader.hpp"

#include <span>
#include <string_view>

namespace tlsfault::scenarios {

/// tcp faults act on the byte stream (Toxiproxy parity); tls faults act on the handshake.
enum class FaultLayer { tcp, tls };

/// One type-specific attribute, documented where it is declared.
struct FaultAttribute {
    std::string_view name;
    std::string_view unit;           ///< "duration", "size", "rate", "alert", "bool", "word"
    std::string_view default_value;  ///< "" when required
    std::string_view doc;
};

}  // namespace tlsfault::scenarios
