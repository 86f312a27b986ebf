// Scenarios as API data: the short listing entry and the full `explain` content. Internal to proxy/api/.
#pragma once

#include "proxy/api/api_types.hpp"

#include <boost/json/object.hpp>

namespace tlsfault::proxy {

/// {name, group, title, source, origin, active}.
boost::json::object scenario_summary(const scenarios::Scenario& scenario, ScenarioOrigin origin, bool active);

/// What `tlsfault explain` says, as data: the summary plus symptom, cause, fix, messages, rules
/// (name and one-line summary), try commands, and `text` (the explain text itself).
boost::json::object scenario_details(const scenarios::Scenario& scenario, ScenarioOrigin origin, bool active);

/// 404 for an unknown scenario name, with the closest built-in name as a hint.
ApiReply unknown_scenario(const std::string& name, const std::string& field);

}  // namespace tlsfault::proxy
