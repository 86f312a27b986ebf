// The repro bundle folder: scenarios as run, lab CA certificates, manifest, replay script and
// README; the two logs are written by the engine itself (EventLog and the key log callback).
#include "cli/bundle/bundle_writer.hpp"

#include "cli/arg_parser.hpp"
#include "cli/bundle/atomic_file.hpp"
#include "certgen/ca_store.hpp"
#include "proxy/events/json_line.hpp"
#include "scenarios/builtin/builtin_catalogue.hpp"
#include "scenarios/model/scenario.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <csignal>
#include <cstdio>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace tlsfault::cli {
namespace {

constexpr const char* replay_script = R"SH(#!/bin/sh
# Replays this tlsfault repro bundle: the same scenario files (their seeds inside) and the flags
# recorded in bundle.json. Extra arguments are added to `tlsfault run` and win over the recorded
# ones, e.g.  ./replay.sh --sni-listen 0.0.0.0:443 --events replay.jsonl
# TLSFAULT names the binary when it is not on PATH.
here=$(cd "$(dirname "$0")" && pwd)
exec "${TLSFAULT:-tlsfault}" run "$here" "$@"
)SH";

/// The embedded catalogue text of built-in scenario `name`.
std::string builtin_text(const std::string& name) {
    for (const auto& file : scenarios::builtin_scenario_files())
        if (file.file_name == name + ".yaml") return std::string(file.bytes);
    throw std::runtime_error("built-in scenario " + name + " has no catalogue file");
}

/// Waits for child `pid`; after `deadline` it is killed (a tar stuck on a broken disk must not
/// keep tlsfault from exiting). Returns the wait status (-1 when it cannot be had).
int wait_with_deadline(pid_t pid, std::chrono::seconds deadline) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    int status = 0;
    for (;;) {
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) return status;
        if (done < 0 && errno != EINTR) return -1;  // not "exited 0": the archive is not trusted
        if (std::chrono::steady_clock::now() >= end) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return status;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling a child: no fd to wait on
    }
}

/// `dir` without a trailing separator ("out/bundle/": the archive is out/bundle.tar.gz).
std::filesystem::path trimmed(const std::filesystem::path& dir) {
    auto normal = dir.lexically_normal();
    return normal.has_filename() ? normal : normal.parent_path();
}

}  // namespace

BundleWriter::BundleWriter(std::filesystem::path dir, bool with_keys)
    : dir_(trimmed(dir)), with_keys_(with_keys), connection_lines_(dir_ / "events.jsonl") {
    std::error_code ec;
    if (std::filesystem::exists(dir_, ec) && !(std::filesystem::is_directory(dir_, ec) && std::filesystem::is_empty(dir_, ec)))
        throw UsageError("--bundle " + dir_.string() +
                         ": already exists and is not an empty folder; give a new folder (a bundle never mixes two runs)");
    std::filesystem::create_directories(dir_ / "scenarios", ec);
    if (!ec) std::filesystem::create_directories(dir_ / "ca", ec);
    if (ec) throw UsageError("--bundle " + dir_.string() + ": cannot create the folder: " + ec.message());
    readme_.bundle_name = dir_.filename().string();
}

BundleWriter::~BundleWriter() {
    if (refresher_.joinable()) {
        refresher_.request_stop();
        refresher_.join();
    }
    std::error_code ec;
    if (!started_) std::filesystem::remove_all(dir_, ec);  // it was new or empty when we took it
}

std::string BundleWriter::write_scenario(std::size_t index, const BundleScenario& s) {
    char prefix[8];
    std::snprintf(prefix, sizeof prefix, "%02zu-", index + 1);  // keeps the run order in a listing
    std::string relative = "scenarios/" + std::string(prefix) + s.scenario->name + ".yaml";
    std::string text = s.source_file.empty() ? builtin_text(s.scenario->name) : read_whole_file(s.source_file);
    write_file_atomically(dir_ / relative, text);
    return relative;
}

void BundleWriter::write_ca(const certgen::CaStore& cas) {
    for (const auto* ca : {&cas.root(), &cas.intermediate(), &cas.rogue_root()}) {
        write_file_atomically(dir_ / "ca" / ca->cert_path.filename(), read_whole_file(ca->cert_path));
        if (with_keys_) write_file_atomically(dir_ / "ca" / ca->key_path.filename(), read_whole_file(ca->key_path), 0600);
    }
}

void BundleWriter::start(const std::vector<BundleScenario>& scenarios, const certgen::CaStore& cas, std::vector<BundleOption> options,
                         std::string command_line, std::string version, std::chrono::milliseconds refresh) {
    started_ = true;  // from here on the folder is the user's record, even if writing fails half way
    auto& m = readme_.manifest;
    m.tlsfault_version = std::move(version);
    m.created = proxy::utc_timestamp();
    m.ca_keys = with_keys_;
    m.options = std::move(options);
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        m.scenario_files.push_back(write_scenario(i, scenarios[i]));
        readme_.scenarios.push_back(scenarios[i].scenario);
    }
    readme_.command_line = std::move(command_line);
    write_ca(cas);
    write_file_atomically(dir_ / "replay.sh", replay_script, 0755);
    write_file_atomically(dir_ / "README.md", render_bundle_readme(readme_));
    write_file_atomically(dir_ / bundle_manifest_name, to_json(m));  // last: a folder with a manifest is complete
    refresher_ = std::jthread([this, refresh](std::stop_token stop) { refresh_readme(stop, refresh); });
}

void BundleWriter::refresh_readme(std::stop_token stop, std::chrono::milliseconds every) {
    std::mutex mutex;
    std::condition_variable_any wake;
    std::unique_lock lock(mutex);
    for (;;) {
        wake.wait_for(lock, stop, every, [] { return false; });  // nothing but the stop wakes it early
        if (stop.stop_requested()) return;
        if (!connection_lines_.read_new(readme_.verdict_lines)) continue;
        try {
            write_file_atomically(dir_ / "README.md", render_bundle_readme(readme_));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "tlsfault: repro bundle: %s (tried again when more connections finish)\n", e.what());
        }
    }
}

std::filesystem::path BundleWriter::finish() {
    refresher_.request_stop();
    if (refresher_.joinable()) refresher_.join();
    connection_lines_.read_new(readme_.verdict_lines);
    readme_.finished = true;
    write_file_atomically(dir_ / "README.md", render_bundle_readme(readme_));
    auto archive = dir_;
    archive += ".tar.gz";
    write_tar_gz(dir_, archive);
    return archive;
}

void write_tar_gz(const std::filesystem::path& dir, const std::filesystem::path& archive) {
    auto absolute = std::filesystem::absolute(dir).lexically_normal();
    if (!absolute.has_filename()) absolute = absolute.parent_path();  // "out/bundle/" names "bundle"
    const std::string temp = archive.string() + ".tmp";
    std::vector<std::string> args = {"tar", "-czf", temp, "-C", absolute.parent_path().string(), "--", absolute.filename().string()};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawnp(&pid, "tar", nullptr, nullptr, argv.data(), environ) != 0)
        throw std::runtime_error("cannot run tar to pack " + archive.string() + " (is tar installed?)");
    int status = wait_with_deadline(pid, std::chrono::seconds(120));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || std::rename(temp.c_str(), archive.c_str()) != 0) {
        std::remove(temp.c_str());
        throw std::runtime_error("tar could not pack " + archive.string() + "; the folder " + dir.string() + " is complete");
    }
}

}  // namespace tlsfault::cli
