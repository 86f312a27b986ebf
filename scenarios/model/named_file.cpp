// Reading a named file at load time. The size is checked before anything is read, and
// read_file_path already refused anything but a regular file, so a FIFO or /dev/zero never
// blocks or fills the loader.
#include "scenarios/model/named_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tlsfault::scenarios {
namespace {

std::string size_text(std::uint64_t bytes) {
    if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes) + " bytes";
}

}  // namespace

std::optional<NamedFile> read_named_file(const YAML::Node& node, const std::string& path, Diagnostics& diag, std::uint64_t max_bytes,
                                         std::string_view what) {
    auto file = read_file_path(node, path, diag);
    if (!file) return std::nullopt;
    std::error_code ec;
    const auto size = std::filesystem::file_size(*file, ec);
    if (ec) {
        diag.error(node, path, file->string() + ": cannot read: " + ec.message());
        return std::nullopt;
    }
    if (size > max_bytes) {
        diag.error(node, path,
                   file->string() + ": the file is " + std::to_string(size) + " bytes; " + std::string(what) + " may be at most " +
                       size_text(max_bytes));
        return std::nullopt;
    }
    std::ifstream in(*file, std::ios::binary);
    std::ostringstream content;
    if (in) content << in.rdbuf();
    if (!in || in.bad()) {
        diag.error(node, path, file->string() + ": cannot read: " + std::strerror(errno));
        return std::nullopt;
    }
    std::string bytes = std::move(content).str();
    if (bytes.size() > max_bytes) {  // it grew between the size check and the read
        diag.error(node, path, file->string() + ": the file grew past " + size_text(max_bytes) + " while it was read");
        return std::nullopt;
    }
    return NamedFile{*file, std::make_shared<const std::string>(std::move(bytes))};
}

}  // namespace tlsfault::scenarios
