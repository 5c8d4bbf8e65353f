#include "mcp/session.h"

namespace notion_mcp::mcp {

std::string negotiate_protocol_version(std::string_view requested) {
  for (auto supported : kSupportedProtocolVersions) {
    if (supported == requested) return std::string(supported);
  }
  return std::string(kLatestProtocolVersion);
}

util::Result<util::Json> Session::initialize(const util::Json& params) {
  if (initialized_) {
    return util::make_error("invalid_request", "initialize was already called on this connection.");
  }
  const util::Json* version = util::member(params, "protocolVersion");
  if (!version || !version->is_string()) {
    return util::make_error("invalid_params",
                            "initialize needs params.protocolVersion, a string such as \"" +
                                std::string(kLatestProtocolVersion) + "\".");
  }
  protocol_version_ = negotiate_protocol_version(version->get<std::string>());
  if (const util::Json* info = util::member(params, "clientInfo"); info && info->is_object()) {
    client_info_ = *info;
  }
  if (const util::Json* caps = util::member(params, "capabilities"); caps && caps->is_object()) {
    client_capabilities_ = *caps;
  }
  initialized_ = true;

  util::Json server_info{{"name", identity_.name}, {"version", identity_.version}};
  if (!identity_.title.empty()) server_info["title"] = identity_.title;
  util::Json result{
      {"protocolVersion", protocol_version_},
      {"capabilities",
       {{"tools", {{"listChanged", false}}},
        {"resources", {{"subscribe", false}, {"listChanged", false}}},
        {"logging", util::Json::object()}}},
      {"serverInfo", std::move(server_info)},
  };
  if (!identity_.instructions.empty()) result["instructions"] = identity_.instructions;
  return result;
}

std::string Session::client_name() const {
  return util::string_or(client_info_, "name", "unknown");
}

bool Session::client_supports(std::string_view capability) const {
  return util::member(client_capabilities_, capability) != nullptr;
}

bool Session::client_supports_form_elicitation() const {
  const util::Json* elicitation = util::member(client_capabilities_, "elicitation");
  if (elicitation == nullptr || !elicitation->is_object()) return false;
  return elicitation->empty() || util::member(*elicitation, "form") != nullptr;
}

}  // namespace notion_mcp::mcp
