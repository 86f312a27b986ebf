#include "cli/check/check_engine.hpp"

#include "cli/check/check_runner.hpp"
#include "certgen/ca_store.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <unistd.h>

namespace tlsfault::cli::check {
namespace {

namespace json = boost::json;

}  // namespace

CheckEngine::CheckEngine(const std::optional<std::string>& api_url, const std::string& api_token, const std::filesystem::path& state_dir) {
    try {
        if (api_url) {
            api_ = std::make_unique<ApiClient>(*api_url, api_token);
            description_ = "the engine at " + api_->base();
        } else {
            own_ = std::make_unique<OwnEngine>(state_dir);
            api_ = std::make_unique<ApiClient>(own_->endpoints().api_url, own_->endpoints().api_token);
            description_ = "its own engine (tlsfault run, every listener on 127.0.0.1:0, upstream mode origin)";
        }
    } catch (const std::exception& e) {
        throw CheckError(std::string(api_url ? "--api " : "starting the engine: ") + e.what());
    }
    const auto probe = api_->get("active");
    if (probe.status == 401) throw CheckError("--api-token: the engine at " + api_->base() + " refused it (401)");
    if (probe.status != 200) throw CheckError(api_->base() + "/api/v1/active answered HTTP " + std::to_string(probe.status));
    if (own_) {
        placeholders_.proxy_port = own_->endpoints().proxy_port;
        placeholders_.sni_port = own_->endpoints().sni_port;
        // With no state dir to be had (HOME unset), the CA is fetched from the API below.
        const auto dir = state_dir.empty() ? certgen::default_state_dir().value_or(std::filesystem::path()) : state_dir;
        if (const auto root = dir / "ca/root.pem"; !dir.empty() && std::filesystem::exists(root))
            placeholders_.ca = std::filesystem::absolute(root).string();
    } else {
        read_ports_from_events();
    }
    if (placeholders_.ca.empty()) fetch_ca();
    placeholders_.proxy = "http://127.0.0.1:" + std::to_string(placeholders_.proxy_port);
    placeholders_.sni_addr = "127.0.0.1:" + std::to_string(placeholders_.sni_port);
}

CheckEngine::~CheckEngine() {
    if (!fetched_ca_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(fetched_ca_.parent_path(), ignored);
    }
}

void CheckEngine::read_ports_from_events() {
    const auto answer = api_->get("events?since=0&limit=50");
    boost::system::error_code ec;
    const auto value = json::parse(answer.body, ec);
    if (answer.status != 200 || ec || !value.is_object()) throw CheckError("GET events: HTTP " + std::to_string(answer.status));
    std::string lines;
    if (const auto* events = value.as_object().if_contains("events"); events && events->is_array())
        for (const auto& e : events->as_array()) lines += json::serialize(e) + "\n";
    int api_port = 0;
    read_listen_ports(lines, placeholders_.proxy_port, placeholders_.sni_port, api_port);
    if (!placeholders_.proxy_port || !placeholders_.sni_port)
        throw CheckError("the engine at " + api_->base() +
                         " no longer has its listen events (its event ring moved on) "
                         "or has its proxy or SNI listener off; restart it, or let check start its own engine (leave out --api)");
}

void CheckEngine::fetch_ca() {
    const auto answer = api_->get("ca.pem");
    if (answer.status != 200 || answer.body.find("BEGIN CERTIFICATE") == std::string::npos)
        throw CheckError("GET ca.pem: HTTP " + std::to_string(answer.status));
    std::string templ = (std::filesystem::temp_directory_path() / "tlsfault-check-ca-XXXXXX").string();
    if (!mkdtemp(templ.data())) throw CheckError("cannot create a temporary directory for the CA");
    fetched_ca_ = std::filesystem::path(templ) / "root.pem";
    std::ofstream(fetched_ca_) << answer.body;
    placeholders_.ca = fetched_ca_.string();
}

}  // namespace tlsfault::cli::check
