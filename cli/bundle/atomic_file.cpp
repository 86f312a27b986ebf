// Temp + fsync + rename, so the bundle folder is consistent at every moment.
#include "cli/bundle/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace tlsfault::cli {

void write_file_atomically(const std::filesystem::path& path, std::string_view content, unsigned mode) {
    const std::string temp = path.string() + ".tmp";
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) throw std::runtime_error(temp + ": cannot create: " + std::strerror(errno));
    int error = ::fchmod(fd, mode) == 0 ? 0 : errno;  // umask must not change what was asked
    for (std::size_t done = 0; !error && done < content.size();) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n >= 0)
            done += static_cast<std::size_t>(n);
        else if (errno != EINTR)
            error = errno;
    }
    if (!error && ::fsync(fd) != 0) error = errno;
    if (::close(fd) != 0 && !error) error = errno;
    if (!error && ::rename(temp.c_str(), path.c_str()) != 0) error = errno;
    if (!error) return;
    ::unlink(temp.c_str());
    throw std::runtime_error(path.string() + ": cannot write: " + std::strerror(error));
}

std::string read_whole_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path.string() + ": cannot read: " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace tlsfault::cli
