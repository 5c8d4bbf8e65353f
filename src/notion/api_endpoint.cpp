#include "notion/api_endpoint.h"

#include <arpa/inet.h>
#include <strings.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace notion_mcp::notion {
namespace {

constexpr size_t kMaxCaBytes = 16 * 1024 * 1024;

bool equals_ignore_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

util::Error refuse(std::string_view url, std::string_view why) {
  return util::make_error(
      "invalid_api_url",
      "NOTION_MCP_API_URL \"" + std::string(url) + "\" is refused: " + std::string(why),
      "Unset NOTION_MCP_API_URL to use https://api.notion.com, or point it at a loopback test "
      "server such as https://127.0.0.1:8443.");
}

util::Result<std::string> read_ca_file(std::string_view path, bool from_env) {
  std::string name(path);
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(name.c_str(), "rbe"), &std::fclose);
  std::string hint = from_env ? "Set NOTION_MCP_CA_FILE to a readable PEM file with the CA "
                                "certificate of the test server, or unset it."
                              : "Install the system CA certificates (Debian: apt-get install "
                                "ca-certificates) or set NOTION_MCP_CA_FILE to a PEM bundle.";
  if (!file) {
    return util::make_error(
        "ca_unreadable",
        "Could not read the CA certificates in " + name + ": " + std::strerror(errno) + ".", hint);
  }
  std::string pem;
  char buffer[16384];
  size_t got;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    pem.append(buffer, got);
    if (pem.size() > kMaxCaBytes) {
      return util::make_error("ca_unreadable", "The CA file " + name + " is larger than 16 MiB.",
                              hint);
    }
  }
  if (std::ferror(file.get())) {
    return util::make_error("ca_unreadable", "Could not read the CA certificates in " + name + ".",
                            hint);
  }
  if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return util::make_error("ca_unreadable",
                            "The CA file " + name + " contains no PEM certificate.", hint);
  }
  return pem;
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  if (equals_ignore_case(host, "localhost")) return true;
  std::string text(host);
  in_addr v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, text.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

util::Result<ApiEndpoint> parse_api_url(std::optional<std::string_view> api_url) {
  std::string_view text = api_url && !api_url->empty() ? *api_url : kDefaultApiUrl;
  if (text.size() > 2048) return refuse(text.substr(0, 64), "it is too long.");

  // Only "https://HOST[:PORT][/]" is accepted, so a small strict parser suffices (and keeps
  // libcurl out of start-up): anything it does not recognise is refused, never guessed at.
  size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return refuse(text, "it is not a valid URL.");
  if (!equals_ignore_case(text.substr(0, scheme_end), "https")) {
    return refuse(text, "only https:// is allowed.");
  }
  std::string_view rest = text.substr(scheme_end + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  std::string_view tail = rest.substr(authority.size());
  if (authority.find('@') != std::string_view::npos) {
    return refuse(text, "it must not contain a user name or password.");
  }
  if (tail.find_first_of("?#") != std::string_view::npos) {
    return refuse(text, "it must not contain a query or fragment.");
  }
  if (!tail.empty() && tail != "/") {
    return refuse(text, "it must not contain a path (the client adds /v1/...).");
  }

  std::string url_host;  // as written in the URL: IPv6 keeps its brackets
  std::string_view port_text;
  bool has_port = false;  // a colon after the host: a port must follow
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return refuse(text, "it is not a valid URL.");
    url_host = std::string(authority.substr(0, close + 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return refuse(text, "it is not a valid URL.");
    has_port = !after.empty();
    if (has_port) port_text = after.substr(1);
    in6_addr v6{};
    std::string inside = url_host.substr(1, url_host.size() - 2);
    if (::inet_pton(AF_INET6, inside.c_str(), &v6) != 1) {
      return refuse(text, "the IPv6 address is invalid.");
    }
  } else {
    size_t colon = authority.find(':');
    url_host = std::string(authority.substr(0, colon));
    has_port = colon != std::string_view::npos;
    if (has_port) port_text = authority.substr(colon + 1);
    for (char c : url_host) {
      bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '.' || c == '-';
      if (!allowed) return refuse(text, "it is not a valid URL.");
    }
  }
  if (url_host.empty() || url_host == "[]") return refuse(text, "it has no host.");

  int port = 443;
  if (has_port) {
    if (port_text.empty() || port_text.size() > 5) return refuse(text, "the port is invalid.");
    port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9') return refuse(text, "the port is invalid.");
      port = port * 10 + (c - '0');
    }
  }

  ApiEndpoint endpoint;
  endpoint.host = url_host;
  if (url_host.size() > 2 && url_host.front() == '[' && url_host.back() == ']') {
    endpoint.host = url_host.substr(1, url_host.size() - 2);
  }
  endpoint.port = port;
  if (endpoint.port <= 0 || endpoint.port > 65535) return refuse(text, "the port is invalid.");
  endpoint.loopback = is_loopback_host(endpoint.host);
  if (!equals_ignore_case(endpoint.host, kNotionApiHost) && !endpoint.loopback) {
    return refuse(text,
                  "the only allowed hosts are api.notion.com and loopback addresses "
                  "(127.0.0.0/8, ::1, localhost).");
  }
  if (equals_ignore_case(endpoint.host, kNotionApiHost) && endpoint.port != 443) {
    return refuse(text, "api.notion.com is only reached on port 443.");
  }
  if (equals_ignore_case(endpoint.host, "localhost")) endpoint.pinned_address = "127.0.0.1";
  endpoint.base_url = "https://" + url_host;
  if (endpoint.port != 443) endpoint.base_url += ":" + std::to_string(endpoint.port);
  return endpoint;
}

util::Result<ApiEndpoint> load_api_endpoint(std::optional<std::string_view> api_url,
                                            std::optional<std::string_view> ca_file,
                                            std::string_view system_ca_file) {
  auto endpoint = parse_api_url(api_url);
  if (!endpoint.ok()) return endpoint;
  bool custom = ca_file && !ca_file->empty();
  std::string_view path = custom ? *ca_file : system_ca_file;
  auto pem = read_ca_file(path, custom);
  if (!pem.ok()) return pem.error();
  endpoint->ca_pem = std::move(pem).value();
  endpoint->ca_source = std::string(path);
  return endpoint;
}

}  // namespace notion_mcp::notion
