// The built-in certificate catalogue: one named profile per classic certificate failure.
#pragma once

#include "certgen/cert_profile.hpp"

#include <span>
#include <string>
#include <string_view>

namespace tlsfault::certgen {

/// Every built-in profile, in teaching order ("good" first).
std::span<const CertProfile> builtin_profiles();

/// The built-in profile called `name`, or nullptr.
const CertProfile* find_profile(std::string_view name);

/// The closest known name to `name` (for "did you mean ..."), or "" when nothing is close.
std::string closest_profile_name(std::string_view name);

}  // namespace tlsfault::certgen
