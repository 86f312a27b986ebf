// README.md rendering, and the verdict lines read back from the bundle's own events.jsonl (the
// close events carry the console line, so nothing is counted twice).
#include "cli/bundle/bundle_readme.hpp"

#include "scenarios/model/scenario.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iterator>
#include <string_view>

namespace tlsfault::cli {
namespace {

void scenarios_section(std::string& out, const BundleReadme& r) {
    out += "## Scenarios\n\n";
    if (r.scenarios.empty()) out += "None: the default routing (`<profile>.tlsfault.test` shows that profile).\n";
    for (std::size_t i = 0; i < r.scenarios.size(); ++i)
        out += "- `" + r.scenarios[i]->name + "` (" + r.manifest.scenario_files.at(i) + "): " + r.scenarios[i]->title + "\n";
    out += "\n";
}

void messages_section(std::string& out, const BundleReadme& r) {
    bool any = false;
    for (const auto& s : r.scenarios) any |= !s->description.messages.empty();
    if (!any) return;
    out += "## What the clients say (from the scenarios' texts)\n\n";
    for (const auto& s : r.scenarios)
        for (const auto& m : s->description.messages) out += "- " + s->name + ", " + m.client + ": `" + m.text + "`\n";
    out += "\n";
}

void connections_section(std::string& out, const BundleReadme& r) {
    out += "## Connections\n\n";
    if (!r.finished)
        out +=
            "The run is still going: this list is rewritten as connections finish (every few seconds) and "
            "once more when tlsfault stops; `events.jsonl` has every event as it happens.\n\n";
    if (r.verdict_lines.empty()) {
        out += r.finished ? "No connection finished during the run.\n\n" : "No connection has finished yet.\n\n";
        return;
    }
    out += "Each connection's verdict, as the console printed it (details in `events.jsonl`):\n\n```\n";
    for (const auto& line : r.verdict_lines) out += line + "\n";
    out += "```\n\n";
}

void replay_section(std::string& out, const BundleReadme& r) {
    out += "## Replay\n\n```\n./replay.sh                 # or: tlsfault run " + r.bundle_name + "\n```\n\n";
    out +=
        "It starts the same scenario files (their seeds are inside them) with the flags in `bundle.json`; flags "
        "given on the replaying command line win.\n";
    if (r.manifest.ca_keys)
        out +=
            "The bundle holds the CA keys (`--with-keys`): the replay serves certificates from this bundle's CA, "
            "so a client that trusts `ca/root.pem` sees exactly the same chains. Keep these keys private.\n\n";
    else
        out +=
            "The bundle holds no CA keys (written without `--with-keys`): the replay uses the local lab CA of the "
            "replaying machine, so clients must trust that root (`tlsfault ca`), not this bundle's `ca/root.pem`.\n\n";
    out += "`keylog.txt` decrypts the captured traffic in Wireshark (TLS > (Pre)-Master-Secret log filename).\n";
}

}  // namespace

std::string render_bundle_readme(const BundleReadme& r) {
    std::string out = "# tlsfault repro bundle: " + r.bundle_name + "\n\n";
    out += "- tlsfault version: " + r.manifest.tlsfault_version + "\n- created: " + r.manifest.created + "\n";
    out += "- command: `" + r.command_line + "`\n";
    out += "- lab CA: `ca/root.pem` (the root to trust), `ca/intermediate.pem`" +
           std::string(r.manifest.ca_keys ? ", with their keys (`ca/*.key`)" : " (certificates only, no keys)") + "\n\n";
    scenarios_section(out, r);
    connections_section(out, r);
    messages_section(out, r);
    replay_section(out, r);
    return out;
}

bool ConnectionLines::read_new(std::vector<std::string>& lines) {
    std::ifstream in(path_, std::ios::binary);
    if (!in.seekg(static_cast<std::streamoff>(offset_))) return false;
    std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    offset_ += chunk.size();
    partial_ += chunk;
    bool added = false;
    std::size_t start = 0;
    for (std::size_t end; (end = partial_.find('\n', start)) != std::string::npos; start = end + 1) {
        std::string_view line(partial_.data() + start, end - start);
        if (line.find("\"event\":\"close\"") == std::string_view::npos) continue;
        try {
            auto node = YAML::Load(std::string(line));
            if (auto summary = node["summary"]; summary && summary.IsScalar()) lines.push_back(summary.as<std::string>()), added = true;
        } catch (const YAML::Exception&) {
            // not a JSON object: nothing to list
        }
    }
    partial_.erase(0, start);  // a line still being written waits for its newline
    return added;
}

}  // namespace tlsfault::cli
