// posix_spawn with pipes drained by poll(): stdin is fed while stdout and stderr are read, so no
// side can block the other; the deadline is checked on every wake-up.
#include "common/child_process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace tlsfault::common {
namespace {

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

/// Our environment with `changes` applied (a name given there replaces ours).
std::vector<std::string> merged_environment(const std::vector<std::pair<std::string, std::string>>& changes) {
    std::vector<std::string> out;
    for (char** e = environ; *e; ++e) {
        const std::string entry = *e;
        const auto name = entry.substr(0, entry.find('='));
        if (std::none_of(changes.begin(), changes.end(), [&](const auto& c) { return c.first == name; })) out.push_back(entry);
    }
    for (const auto& [name, value] : changes) out.push_back(name + "=" + value);
    return out;
}

struct Pipes {
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
    bool open() { return pipe2(in, O_CLOEXEC) == 0 && pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0; }
};

void close_fd(int& fd) {
    if (fd >= 0) close(fd);
    fd = -1;
}

/// Spawns in a new process group with SIGPIPE back at its default; returns the errno of a failure.
int spawn(const ChildSpec& spec, const Pipes& pipes, pid_t& pid) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipes.in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, pipes.out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipes.err[1], 2);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t default_signals;
    sigemptyset(&default_signals);
    sigaddset(&default_signals, SIGPIPE);
    posix_spawnattr_setsigdefault(&attributes, &default_signals);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    auto argv = spec.argv;
    auto env = merged_environment(spec.env);
    auto c_argv = c_strings(argv);
    auto c_env = c_strings(env);
    const int rc = posix_spawnp(&pid, c_argv[0], &actions, &attributes, c_argv.data(), c_env.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return rc;
}

/// Reads what is ready on `fd` into `into` (up to `cap` kept); false at EOF or error.
bool drain(int fd, std::string& into, std::size_t cap) {
    char buf[65536];
    const ssize_t got = read(fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR) return true;
    if (got <= 0) return false;
    const auto keep = std::min(static_cast<std::size_t>(got), cap - std::min(cap, into.size()));
    into.append(buf, keep);
    return true;
}

void pump(const ChildSpec& spec, Pipes& pipes, pid_t pid, ChildResult& result) {
    std::size_t written = 0;
    int held = -1;  // stdin, all written, kept open until the child ends (spec.hold_stdin_open)
    auto stdin_done = [&] {
        if (spec.hold_stdin_open)
            std::swap(held, pipes.in[1]);
        else
            close_fd(pipes.in[1]);
    };
    struct CloseHeld {
        int& fd;
        ~CloseHeld() { close_fd(fd); }
    } close_held{held};
    fcntl(pipes.in[1], F_SETFL, O_NONBLOCK);
    if (spec.stdin_data.empty()) stdin_done();
    const auto end = std::chrono::steady_clock::now() + spec.deadline;
    while (pipes.out[0] >= 0 || pipes.err[0] >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            kill(-pid, SIGKILL);  // the whole group: a shell wrapper's children too
            return;
        }
        pollfd fds[3] = {{pipes.out[0], POLLIN, 0}, {pipes.err[0], POLLIN, 0}, {pipes.in[1], POLLOUT, 0}};
        if (poll(fds, 3, static_cast<int>(std::min<long>(left.count(), 1000))) < 0 && errno != EINTR) return;
        for (int i = 0; i < 2; ++i) {
            int& fd = i == 0 ? pipes.out[0] : pipes.err[0];
            if (fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) && !drain(fd, i == 0 ? result.out : result.err, spec.output_cap))
                close_fd(fd);
        }
        if (pipes.in[1] >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            const ssize_t put = write(pipes.in[1], spec.stdin_data.data() + written, spec.stdin_data.size() - written);
            if (put > 0) written += static_cast<std::size_t>(put);
            if (put < 0)
                close_fd(pipes.in[1]);
            else if (written == spec.stdin_data.size())
                stdin_done();
        }
    }
}

}  // namespace

ChildResult run_child(const ChildSpec& spec) {
    // A child that exits before reading its stdin must cost a failed write (EPIPE), not us.
    static const bool sigpipe_ignored = [] { return std::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
    (void)sigpipe_ignored;
    ChildResult result;
    Pipes pipes;
    pid_t pid = -1;
    const int rc = spec.argv.empty() ? EINVAL : pipes.open() ? spawn(spec, pipes, pid) : errno;
    close_fd(pipes.in[0]);
    close_fd(pipes.out[1]);
    close_fd(pipes.err[1]);
    if (rc == 0) pump(spec, pipes, pid, result);
    for (int* fd : {&pipes.in[1], &pipes.out[0], &pipes.err[0]}) close_fd(*fd);
    if (rc != 0) {
        result.started = false;
        result.err = "cannot run " + (spec.argv.empty() ? std::string("(nothing)") : spec.argv[0]) + ": " + std::strerror(rc);
        return result;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = !result.timed_out && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return result;
}

BackgroundChild::BackgroundChild(const std::vector<std::string>& argv, const std::string& log_path) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    auto args = argv;
    auto c_argv = c_strings(args);
    const int rc = posix_spawnp(&pid_, c_argv[0], &actions, nullptr, c_argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot run " + argv[0] + ": " + std::strerror(rc));
}

BackgroundChild::~BackgroundChild() { stop(); }

bool BackgroundChild::running() {
    if (reaped_) return false;
    if (waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
    return !reaped_;
}

int BackgroundChild::stop(std::chrono::milliseconds grace) {
    if (!reaped_ && pid_ > 0) {
        kill(pid_, SIGTERM);
        const auto end = std::chrono::steady_clock::now() + grace;
        while (running() && std::chrono::steady_clock::now() < end) usleep(10'000);
        if (!reaped_) {
            kill(pid_, SIGKILL);
            waitpid(pid_, &status_, 0);
            reaped_ = true;
            return -1;
        }
    }
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
}

}  // namespace tlsfault::common
