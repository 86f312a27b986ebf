// The trainer's board (proxy/api/board/*.html|css|js), embedded in the binary at build time by
// cmake/embed_files.cmake so the page works on an offline lab network. Internal to proxy/api/.
#pragma once

#include "common/embedded_file.hpp"

#include <span>

namespace tlsfault::proxy {

/// Every board file ("board.js", ...), sorted by name (generated: build/proxy/board_assets.cpp).
std::span<const EmbeddedFile> board_assets();

}  // namespace tlsfault::proxy
