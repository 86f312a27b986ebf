// Keeping recent key log lines by client random (see keylog_lines.hpp).
#include "proxy/tls/keylog_lines.hpp"

#include <algorithm>

namespace tlsfault::proxy {
namespace {

constexpr std::size_t random_hex_length = 64;  // 32 bytes

std::string lowercase_hex(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
        out += c;
    }
    return out;
}

}  // namespace

std::string keylog_client_random(std::string_view line) {
    const auto first = line.find(' ');
    if (first == std::string_view::npos || first == 0) return {};
    const auto second = line.find(' ', first + 1);
    if (second == std::string_view::npos || second - first - 1 != random_hex_length) return {};
    return lowercase_hex(line.substr(first + 1, random_hex_length));
}

void KeylogLines::add(std::string_view line) {
    std::string random = keylog_client_random(line);
    if (random.empty()) return;
    std::lock_guard lock(mutex_);
    auto [slot, fresh] = by_random_.try_emplace(random);
    if (fresh) {
        order_.push_back(std::move(random));
        if (order_.size() > capacity_) {
            by_random_.erase(order_.front());
            order_.pop_front();
        }
    }
    if (slot->second.size() < max_lines_per_random) slot->second.emplace_back(line);
}

std::vector<std::string> KeylogLines::lines_for(std::string_view client_random_hex) const {
    const std::string key = lowercase_hex(client_random_hex);
    std::lock_guard lock(mutex_);
    auto found = by_random_.find(key);
    return found == by_random_.end() ? std::vector<std::string>{} : found->second;
}

}  // namespace tlsfault::proxy
