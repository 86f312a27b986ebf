// See malloc_tuning.hpp.
#include "cli/malloc_tuning.hpp"

#include <cstdlib>
#include <string_view>
#include <unistd.h>

namespace tlsfault::cli {

void restart_with_deeper_malloc_cache(int argc, char** argv) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    (void)argc;
    (void)argv;
#else
    if (argc < 2 || std::string_view(argv[1]) != "run") return;
    if (std::getenv(malloc_tuned_marker)) {  // the restarted process: glibc has read the tunable
        ::unsetenv(malloc_tuned_marker);
        ::unsetenv("GLIBC_TUNABLES");
        return;
    }
    if (std::getenv("GLIBC_TUNABLES")) return;
    ::setenv("GLIBC_TUNABLES", malloc_tunables, 1);
    ::setenv(malloc_tuned_marker, "1", 1);
    ::execv("/proc/self/exe", argv);
    ::unsetenv(malloc_tuned_marker);  // no /proc: carry on untuned
    ::unsetenv("GLIBC_TUNABLES");
#endif
}

}  // namespace tlsfault::cli
