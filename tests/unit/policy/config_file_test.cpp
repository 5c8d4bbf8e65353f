#include "policy/config_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace notion_mcp::policy {
namespace {

class PolicyConfigTest : public ::testing::Test {
 protected:
  PolicyConfigTest() {
    char pattern[] = "/tmp/policy-config-XXXXXX";
    dir_ = ::mkdtemp(pattern);
    path_ = dir_ + "/config.json";
  }
  ~PolicyConfigTest() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& text, mode_t mode = 0600) {
    std::ofstream(path_) << text;
    ::chmod(path_.c_str(), mode);
  }
  util::Result<std::optional<util::Json>> read() { return read_config_file(path_); }

  std::string dir_;
  std::string path_;
};

TEST_F(PolicyConfigTest, AMissingFileIsNoConfig) {
  auto result = read();
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_FALSE(result->has_value());
}

TEST_F(PolicyConfigTest, AFileOthersCanReadIsRefusedWithTheFix) {
  write(R"({"profile":"read"})", 0644);
  auto result = read();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "config_refused");
  EXPECT_NE(result.error().message.find("0644"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().hint.find("chmod 600 " + path_), std::string::npos);
  write(R"({"profile":"read"})", 0640);
  EXPECT_FALSE(read().ok());
  write(R"({"profile":"read"})", 0602);  // writable by others: they could widen the policy
  auto writable = read();
  ASSERT_FALSE(writable.ok());
  EXPECT_NE(writable.error().message.find("change"), std::string::npos);
  write(R"({"profile":"read"})", 0600);
  EXPECT_TRUE(read().ok());
}

TEST_F(PolicyConfigTest, TokensAndSecretSettingsAreRefusedWithoutEchoingThem) {
  const std::string canary = "ntn_configcanary0123456789abcdefghijklmnopqrstu";
  write(R"({"profiles":{"x":{"scope":[")" + canary + R"("]}}})");
  auto token = read();
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.error().code, "config_refused");
  EXPECT_NE(token.error().message.find("token"), std::string::npos);
  EXPECT_EQ(token.error().message.find(canary), std::string::npos);
  EXPECT_EQ(token.error().hint.find(canary), std::string::npos);

  write(R"({"notion_token":"abc"})");
  auto named = read();
  ASSERT_FALSE(named.ok());
  EXPECT_NE(named.error().message.find("notion_token"), std::string::npos);
  write(R"({"profiles":{"x":{"client_secret":"abc"}}})");
  EXPECT_FALSE(read().ok());
  // A profile may be called anything, "token" included.
  write(R"({"profiles":{"token-free":{"profile":"read"}}})");
  EXPECT_TRUE(read().ok());
}

TEST_F(PolicyConfigTest, MalformedFilesSayWhatIsWrong) {
  struct Case {
    const char* text;
    const char* expected;
  };
  for (const Case& c : {Case{"{not json", "not valid"}, Case{"[1]", "top level"},
                        Case{R"({"scpoe":["x"]})", "unknown setting \"scpoe\""},
                        Case{R"({"profile":"admin"})", "read, write or full"},
                        Case{R"({"confirm":"always"})", "none, destructive or writes"},
                        Case{R"({"deny":[1]})", "list of strings"},
                        Case{R"({"profiles":{"a":{"profiel":"read"}}})", "in profile \"a\""},
                        Case{R"({"profiles":[]})", "\"profiles\" must be"}}) {
    write(c.text);
    auto result = read();
    ASSERT_FALSE(result.ok()) << c.text;
    EXPECT_NE(result.error().message.find(c.expected), std::string::npos)
        << c.text << " → " << result.error().message;
  }
}

TEST_F(PolicyConfigTest, NamedProfilesLayerOverTheTopLevelAndFlagsOverBoth) {
  util::Json config = {
      {"confirm", "writes"},
      {"deny", {"move_page"}},
      {"profiles",
       {{"notion-read", {{"profile", "read"}, {"scope", {"1f3a5c7e9b2d4e6f8a0c2d4e6f8a0b1c"}}}},
        {"notion-write", {{"profile", "write"}, {"confirm", "destructive"}}}}}};
  ASSERT_TRUE(validate_config(config, path_).ok());

  CommandLine flags;
  auto top = resolve_settings(flags, config, path_);
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(top->profile, Profile::write);  // the built-in default
  EXPECT_EQ(top->confirm, ConfirmLevel::writes);
  EXPECT_EQ(top->deny, std::vector<std::string>{"move_page"});

  flags.config_profile = "notion-read";
  auto read = resolve_settings(flags, config, path_);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->profile, Profile::read);
  EXPECT_EQ(read->scope.size(), 1u);
  EXPECT_EQ(read->confirm, ConfirmLevel::writes);  // inherited from the top level
  EXPECT_EQ(read->config_profile, "notion-read");

  flags.profile = "full";
  flags.confirm = "none";
  flags.scope = std::vector<std::string>{};
  auto overridden = resolve_settings(flags, config, path_);
  ASSERT_TRUE(overridden.ok());
  EXPECT_EQ(overridden->profile, Profile::full);
  EXPECT_EQ(overridden->confirm, ConfirmLevel::none);
  EXPECT_TRUE(overridden->scope.empty());

  flags = CommandLine{};
  flags.config_profile = "notion-admin";
  auto missing = resolve_settings(flags, config, path_);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("notion-read, notion-write"), std::string::npos)
      << missing.error().message;
  flags.config_profile.clear();
  flags.deny = std::vector<std::string>{"get page"};
  auto bad_pattern = resolve_settings(flags, config, path_);
  ASSERT_FALSE(bad_pattern.ok());
  EXPECT_NE(bad_pattern.error().message.find("get page"), std::string::npos);
  flags.deny.reset();
  flags.scope = std::vector<std::string>{"my team space"};
  auto bad_scope = resolve_settings(flags, config, path_);
  ASSERT_FALSE(bad_scope.ok());
  EXPECT_NE(bad_scope.error().message.find("--scope \"my team space\""), std::string::npos);
  flags = CommandLine{};
  flags.config_profile = "notion-admin";
  auto no_file = resolve_settings(flags, std::nullopt, path_);
  ASSERT_FALSE(no_file.ok());
  EXPECT_NE(no_file.error().message.find("no config file"), std::string::npos);
}

TEST_F(PolicyConfigTest, UploadRootsComeFromTheFileAndTheFlagsReplaceThem) {
  util::Json config = {{"upload_roots", {"/srv/uploads"}},
                       {"profiles", {{"notion-docs", {{"upload_roots", "/home/ada/Docs"}}}}}};
  ASSERT_TRUE(validate_config(config, path_).ok());
  CommandLine flags;
  EXPECT_EQ(resolve_settings(flags, config, path_)->upload_roots,
            std::vector<std::string>{"/srv/uploads"});
  flags.config_profile = "notion-docs";
  EXPECT_EQ(resolve_settings(flags, config, path_)->upload_roots,
            std::vector<std::string>{"/home/ada/Docs"});
  flags.upload_roots = std::vector<std::string>{"/tmp/a", "/tmp/b"};
  EXPECT_EQ(resolve_settings(flags, config, path_)->upload_roots,
            (std::vector<std::string>{"/tmp/a", "/tmp/b"}));
  EXPECT_TRUE(resolve_settings(CommandLine{}, std::nullopt, path_)->upload_roots.empty());
  EXPECT_FALSE(validate_config(util::Json{{"upload_roots", 7}}, path_).ok());
}

TEST_F(PolicyConfigTest, TheDefaultPathFollowsXdgConfigHome) {
  const char* saved = std::getenv("XDG_CONFIG_HOME");
  std::string restore = saved ? saved : "";
  ::setenv("XDG_CONFIG_HOME", dir_.c_str(), 1);
  EXPECT_EQ(default_config_path(), dir_ + "/notion-mcp/config.json");
  ::setenv("XDG_CONFIG_HOME", "relative/ignored", 1);  // the spec says: absolute paths only
  EXPECT_NE(default_config_path().find("/.config/notion-mcp/config.json"), std::string::npos);
  if (saved) {
    ::setenv("XDG_CONFIG_HOME", restore.c_str(), 1);
  } else {
    ::unsetenv("XDG_CONFIG_HOME");
  }
}

TEST_F(PolicyConfigTest, ASymlinkToAPrivateFileIsFine) {
  std::string real = dir_ + "/real.json";
  std::ofstream(real) << R"({"profile":"read"})";
  ::chmod(real.c_str(), 0600);
  ASSERT_EQ(::symlink(real.c_str(), path_.c_str()), 0);
  auto result = read();
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(result->has_value());
}

}  // namespace
}  // namespace notion_mcp::policy
