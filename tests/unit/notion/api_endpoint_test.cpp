#include "notion/api_endpoint.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>

namespace notion_mcp::notion {
namespace {

TEST(NotionApiEndpoint, DefaultIsTheRealApi) {
  for (auto value : {std::optional<std::string_view>(), std::optional<std::string_view>("")}) {
    auto endpoint = parse_api_url(value);
    ASSERT_TRUE(endpoint.ok()) << endpoint.error().message;
    EXPECT_EQ(endpoint->base_url, "https://api.notion.com");
    EXPECT_EQ(endpoint->host, "api.notion.com");
    EXPECT_EQ(endpoint->port, 443);
    EXPECT_FALSE(endpoint->loopback);
  }
}

TEST(NotionApiEndpoint, LoopbackTestServersAreAllowed) {
  auto v4 = parse_api_url("https://127.0.0.1:8443");
  ASSERT_TRUE(v4.ok()) << v4.error().message;
  EXPECT_EQ(v4->base_url, "https://127.0.0.1:8443");
  EXPECT_EQ(v4->port, 8443);
  EXPECT_TRUE(v4->loopback);

  auto other = parse_api_url("https://127.10.20.30:9000/");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->base_url, "https://127.10.20.30:9000");

  auto v6 = parse_api_url("https://[::1]:8443");
  ASSERT_TRUE(v6.ok()) << v6.error().message;
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->base_url, "https://[::1]:8443");

  auto name = parse_api_url("https://localhost:8443");
  ASSERT_TRUE(name.ok());
  EXPECT_TRUE(name->loopback);
  EXPECT_EQ(name->pinned_address, "127.0.0.1");
  EXPECT_TRUE(v4->pinned_address.empty());
}

TEST(NotionApiEndpoint, NonLoopbackHostsAreRefused) {
  for (std::string_view url : {"https://example.com", "https://api.notion.com.evil.example",
                               "https://10.0.0.1:8443", "https://128.0.0.1", "https://[::2]:8443",
                               "https://0.0.0.0:8443", "https://api.notion.com@evil.example"}) {
    auto endpoint = parse_api_url(url);
    ASSERT_FALSE(endpoint.ok()) << url;
    EXPECT_EQ(endpoint.error().code, "invalid_api_url");
    EXPECT_NE(endpoint.error().message.find("refused"), std::string::npos);
    EXPECT_FALSE(endpoint.error().hint.empty());
  }
}

TEST(NotionApiEndpoint, OnlyPlainHttpsOriginsAreAccepted) {
  for (std::string_view url :
       {"http://127.0.0.1:8443", "ftp://127.0.0.1", "https://127.0.0.1:8443/v1",
        "https://127.0.0.1:8443/?x=1", "https://user:pw@127.0.0.1:8443", "not a url",
        "https://api.notion.com:8443"}) {
    EXPECT_FALSE(parse_api_url(url).ok()) << url;
  }
}

// The URL parser is our own (libcurl is not loaded at start-up): it accepts exactly
// https://HOST[:PORT][/] and refuses anything it would have to guess about.
TEST(NotionApiEndpoint, ParserAcceptsOnlyPlainOrigins) {
  auto upper = parse_api_url("HTTPS://127.0.0.1:8443");
  ASSERT_TRUE(upper.ok()) << upper.error().message;
  EXPECT_EQ(upper->base_url, "https://127.0.0.1:8443");
  auto slash = parse_api_url("https://api.notion.com/");
  ASSERT_TRUE(slash.ok()) << slash.error().message;
  EXPECT_EQ(slash->base_url, "https://api.notion.com");
  auto explicit_port = parse_api_url("https://api.notion.com:443");
  ASSERT_TRUE(explicit_port.ok()) << explicit_port.error().message;
  EXPECT_EQ(explicit_port->base_url, "https://api.notion.com");
  auto v6 = parse_api_url("https://[::1]");
  ASSERT_TRUE(v6.ok()) << v6.error().message;
  EXPECT_EQ(v6->port, 443);
  EXPECT_EQ(v6->base_url, "https://[::1]");

  for (std::string_view url : {"https://127.0.0.1:",
                               "https://127.0.0.1:0",
                               "https://127.0.0.1:65536",
                               "https://127.0.0.1:123456",
                               "https://127.0.0.1:84x3",
                               "https://127.0.0.1:-1",
                               "https://[::1",
                               "https://[::1]8443",
                               "https://[]:8443",
                               "https://[fe80::1%25lo]:8443",
                               "https://127.0.0.1#top",
                               "https://",
                               "https:///",
                               "https://:8443",
                               "https://127.0.0.1 :8443",
                               "https://127.1:8443",
                               "https://%31%32%37.0.0.1:8443",
                               "https://127.0.0.1\\@evil.example",
                               "https://127.0.0.1:8443//",
                               "://127.0.0.1",
                               "httpss://127.0.0.1"}) {
    auto endpoint = parse_api_url(url);
    ASSERT_FALSE(endpoint.ok()) << url;
    EXPECT_EQ(endpoint.error().code, "invalid_api_url") << url;
    EXPECT_NE(endpoint.error().message.find("refused"), std::string::npos) << url;
  }
}

TEST(NotionApiEndpoint, IsLoopbackHost) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.255.255.254"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_TRUE(is_loopback_host("LOCALHOST"));
  EXPECT_FALSE(is_loopback_host("126.0.0.1"));
  EXPECT_FALSE(is_loopback_host("::"));
  EXPECT_FALSE(is_loopback_host("localhost.example.com"));
}

class NotionApiEndpointFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/notion-endpoint-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    for (const auto& file : files_) ::unlink(file.c_str());
    ::rmdir(dir_.c_str());
  }
  std::string write(const std::string& name, const std::string& content) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << content;
    files_.push_back(path);
    return path;
  }
  std::string dir_;
  std::vector<std::string> files_;
};

TEST_F(NotionApiEndpointFiles, CustomCaIsReadIntoMemory) {
  std::string pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  std::string path = write("ca.pem", pem);
  auto endpoint = load_api_endpoint("https://127.0.0.1:9443", path, "/nonexistent/system.pem");
  ASSERT_TRUE(endpoint.ok()) << endpoint.error().message;
  EXPECT_EQ(endpoint->ca_pem, pem);
  EXPECT_EQ(endpoint->ca_source, path);
}

TEST_F(NotionApiEndpointFiles, SystemBundleIsTheDefault) {
  std::string path = write("system.pem", "-----BEGIN CERTIFICATE-----\nx\n");
  auto endpoint = load_api_endpoint(std::nullopt, std::nullopt, path);
  ASSERT_TRUE(endpoint.ok()) << endpoint.error().message;
  EXPECT_EQ(endpoint->ca_source, path);
  EXPECT_FALSE(endpoint->ca_pem.empty());
}

TEST_F(NotionApiEndpointFiles, UnreadableOrEmptyCaIsAClearError) {
  auto missing = load_api_endpoint("https://127.0.0.1:9443", dir_ + "/missing.pem", "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "ca_unreadable");
  EXPECT_NE(missing.error().message.find("missing.pem"), std::string::npos);
  EXPECT_NE(missing.error().hint.find("NOTION_MCP_CA_FILE"), std::string::npos);

  std::string junk = write("junk.pem", "hello");
  auto not_pem = load_api_endpoint("https://127.0.0.1:9443", junk, "");
  ASSERT_FALSE(not_pem.ok());
  EXPECT_NE(not_pem.error().message.find("no PEM certificate"), std::string::npos);
}

TEST_F(NotionApiEndpointFiles, UrlIsCheckedBeforeTheCa) {
  auto endpoint = load_api_endpoint("https://example.com", dir_ + "/missing.pem", "");
  ASSERT_FALSE(endpoint.ok());
  EXPECT_EQ(endpoint.error().code, "invalid_api_url");
}

}  // namespace
}  // namespace notion_mcp::notion
