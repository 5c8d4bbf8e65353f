// The MCP lifecycle of one connection: initialize (version negotiation, capabilities), then
// normal operation. Knows what the client said it supports.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::mcp {

inline constexpr std::string_view kLatestProtocolVersion = "2025-11-25";
inline constexpr std::array<std::string_view, 3> kSupportedProtocolVersions = {
    "2025-11-25", "2025-06-18", "2025-03-26"};

// The requested version when we support it, otherwise our latest (the client then decides).
std::string negotiate_protocol_version(std::string_view requested);

struct ServerIdentity {
  std::string name = "notion-mcp";
  std::string title = "Notion";
  std::string version;
  std::string instructions;
  bool demo = false;
};

class Session {
 public:
  explicit Session(ServerIdentity identity) : identity_(std::move(identity)) {}

  // Handles `initialize`; the Result is the InitializeResult or an invalid-params message.
  util::Result<util::Json> initialize(const util::Json& params);
  void mark_initialized() { client_ready_ = true; }

  bool initialized() const { return initialized_; }
  const std::string& protocol_version() const { return protocol_version_; }
  std::string client_name() const;
  bool client_supports(std::string_view capability) const;
  // Whether the client can show a form-mode elicitation (an empty "elicitation" object means
  // form mode, as before 2025-11-25; {"url": {}} alone does not).
  bool client_supports_form_elicitation() const;
  const ServerIdentity& identity() const { return identity_; }

 private:
  ServerIdentity identity_;
  bool initialized_ = false;
  bool client_ready_ = false;
  std::string protocol_version_{kLatestProtocolVersion};
  util::Json client_info_ = util::Json::object();
  util::Json client_capabilities_ = util::Json::object();
};

}  // namespace notion_mcp::mcp
