// Which server the Notion client talks to, and which CA certificates it trusts. The only real
// endpoint is https://api.notion.com; tests may point at a loopback TLS server with their own CA.
// The environment is read by main.cpp and passed in, so these functions stay testable.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace notion_mcp::notion {

inline constexpr std::string_view kDefaultApiUrl = "https://api.notion.com";
inline constexpr std::string_view kNotionApiHost = "api.notion.com";
inline constexpr std::string_view kSystemCaBundle = "/etc/ssl/certs/ca-certificates.crt";

struct ApiEndpoint {
  std::string base_url;  // "https://host[:port]", no trailing slash
  std::string host;      // as in the URL ("api.notion.com", "127.0.0.1", "::1", "localhost")
  int port = 443;
  bool loopback = false;
  // "localhost" is pinned to 127.0.0.1 so that no name lookup (no /etc/hosts) happens later.
  std::string pinned_address;
  std::string ca_pem;     // trusted CA certificates, held in memory (nothing is read later)
  std::string ca_source;  // the file they came from, for messages
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(std::string_view host);

// Checks NOTION_MCP_API_URL (nullopt or empty: the default): https only, and a host other than
// api.notion.com must be loopback. Does not read the CA; see load_api_endpoint.
util::Result<ApiEndpoint> parse_api_url(std::optional<std::string_view> api_url);

// parse_api_url, then reads the CA bundle into memory: NOTION_MCP_CA_FILE when given, else
// `system_ca_file`. Call once at start-up.
util::Result<ApiEndpoint> load_api_endpoint(std::optional<std::string_view> api_url,
                                            std::optional<std::string_view> ca_file,
                                            std::string_view system_ca_file = kSystemCaBundle);

}  // namespace notion_mcp::notion
