// The trainer's board (proxy/api/board/*.html|css|js), embedded in the binary at build time by
// cmake/embed_files.cmake so the page works on an offline lab network. Internal to proxy/api/.
#pragma once

#include <span>
#include <string_view>

namespace tlsfault::proxy {

/// One embedded file of the board.
struct BoardAsset {
    std::string_view file_name;  ///< "board.js"
    std::string_view bytes;
};

/// Every board file, sorted by name (generated: build/proxy/board_assets.cpp).
std::span<const BoardAsset> board_assets();

}  // namespace tlsfault::proxy
