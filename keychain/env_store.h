// The read-only environment store: NOTION_TOKEN holds an internal integration or personal
// token. It applies to every profile, and notion-mcp can neither change nor delete it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "keychain/store.h"

namespace notion_mcp::keychain {

inline constexpr std::string_view kTokenVariable = "NOTION_TOKEN";

class EnvStore final : public CredentialStore {
 public:
  // `value` is the variable's value as the caller read it; surrounding whitespace (a newline
  // from `$(cat token-file)`) is dropped, and an empty value means "not set".
  explicit EnvStore(std::string_view value);

  bool has_token() const { return !token_.empty(); }

  std::string description() const override;
  bool writable() const override { return false; }
  util::Result<std::optional<Credential>> load(std::string_view profile) override;
  util::Result<void> save(std::string_view profile, const Credential& credential) override;
  util::Result<void> remove(std::string_view profile) override;

 private:
  util::Secret token_;
};

}  // namespace notion_mcp::keychain
