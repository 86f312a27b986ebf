// A file embedded in the binary at build time: cmake/embed_files.cmake turns a folder's files
// into a generated .cpp whose function returns them as a span of EmbeddedFile. Used by the
// scenario catalogue (scenarios/catalogue/*.yaml) and the trainer's board (proxy/api/board/).
#pragma once

#include <string_view>

namespace tlsfault {

/// One embedded file: its name and its bytes (static storage, for the life of the process).
struct EmbeddedFile {
    std::string_view file_name;  ///< "board.js", "expired.yaml"
    std::string_view bytes;      ///< the whole file
};

}  // namespace tlsfault
