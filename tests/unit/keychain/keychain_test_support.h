// Shared by the keychain unit tests: canary secrets that must never be printed, a temporary
// directory, and a small in-memory store standing in for the Secret Service where the order of
// resolution (not the keyring) is under test.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "keychain/store.h"

namespace notion_mcp::keychain::testing {

// Canaries: tests compare them through util::Secret, never print them. The ctest log is
// checked for "c4n4ry" by tests/keychain/check_no_canary.sh.
inline constexpr std::string_view kCanaryToken = "ntn_c4n4ryTokenValue0123456789abcdefABCDEF";
inline constexpr std::string_view kCanaryRefresh = "nrt_c4n4ryRefreshValue0123456789abcdef";
inline constexpr std::string_view kCanaryClientSecret = "secret_c4n4ryClientSecret0123456789";

inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

inline Credential token_credential(std::string_view token = kCanaryToken) {
  Credential c;
  c.kind = CredentialKind::integration_token;
  c.token = util::Secret(token);
  c.workspace_id = "ws-1";
  c.workspace_name = "Acme \"Docs\" \\ Ünïcode ✓";
  c.bot_id = "bot-1";
  return c;
}

inline Credential oauth_credential() {
  Credential c;
  c.kind = CredentialKind::oauth;
  c.refresh_token = util::Secret(kCanaryRefresh);
  c.client_id = "client-123";
  c.client_secret = util::Secret(kCanaryClientSecret);
  c.workspace_id = "ws-2";
  c.workspace_name = "Second\nWorkspace\t\x01";
  c.bot_id = "bot-2";
  return c;
}

// Field-by-field, without printing a secret on failure.
inline bool same_credential(const Credential& a, const Credential& b) {
  return a.kind == b.kind && a.token == b.token && a.refresh_token == b.refresh_token &&
         a.client_id == b.client_id && a.client_secret == b.client_secret &&
         a.workspace_id == b.workspace_id && a.workspace_name == b.workspace_name &&
         a.bot_id == b.bot_id;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "keychain-test-XXXXXX").string();
    char* made = ::mkdtemp(pattern.data());
    path_ = made != nullptr ? made : "";
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

inline mode_t file_mode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

// A store in memory, for resolution-order tests.
class MemoryStore final : public CredentialStore {
 public:
  explicit MemoryStore(std::string name) : name_(std::move(name)) {}
  std::map<std::string, Credential, std::less<>> items;

  std::string description() const override { return name_; }
  bool writable() const override { return true; }
  util::Result<std::optional<Credential>> load(std::string_view profile) override {
    auto found = items.find(profile);
    if (found == items.end()) return std::optional<Credential>();
    return std::optional<Credential>(found->second);
  }
  util::Result<void> save(std::string_view profile, const Credential& credential) override {
    items.insert_or_assign(std::string(profile), credential);
    return {};
  }
  util::Result<void> remove(std::string_view profile) override {
    auto found = items.find(profile);
    if (found != items.end()) items.erase(found);
    return {};
  }

 private:
  std::string name_;
};

}  // namespace notion_mcp::keychain::testing
