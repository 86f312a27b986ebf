// The control API's bearer token: given on the command line, or generated once into the state
// directory (mode 0600) and reused by later runs. No Asio here: the CLI resolves it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace tlsfault::proxy {

/// `<state_dir>/api-token`: where a generated token lives.
std::filesystem::path api_token_path(const std::filesystem::path& state_dir);

/// The token in `<state_dir>/api-token`, creating it (32 random bytes as hex, mode 0600) when
/// missing or empty. Throws std::runtime_error naming the file when it cannot be read or written.
std::string load_or_create_api_token(const std::filesystem::path& state_dir);

/// True for 127.0.0.0/8, ::1 and "localhost": addresses only this machine can reach.
bool is_loopback_host(std::string_view host);

}  // namespace tlsfault::proxy
