// The 32-byte key of the encrypted credentials file: where it comes from, how it is written
// as text, and how a fresh one is made (`notion-mcp credentials export`).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"
#include "util/secret.h"

namespace notion_mcp::keychain {

inline constexpr size_t kFileKeySize = 32;
inline constexpr size_t kFileKeyIdSize = 16;
// The name of the key under systemd's LoadCredential=/SetCredentialEncrypted=.
inline constexpr std::string_view kSystemdKeyName = "notion-mcp.key";
inline constexpr std::string_view kKeyVariable = "NOTION_MCP_CREDENTIALS_KEY";

// Where the key may come from, as the caller read them; the first one set wins, in this order.
struct KeySources {
  std::string key_file;               // --credentials-key-file PATH
  util::Secret key_text;              // NOTION_MCP_CREDENTIALS_KEY
  std::string credentials_directory;  // $CREDENTIALS_DIRECTORY (systemd): notion-mcp.key in it
};

class FileKey {
 public:
  // 32 random bytes from libsodium.
  static FileKey generate();
  // Text forms: base64 of the 32 bytes (standard or URL-safe alphabet, padding optional; the
  // form notion-mcp prints) or 64 hex digits. Surrounding whitespace is ignored. `source` names
  // where the text came from in the error ("NOTION_MCP_CREDENTIALS_KEY").
  static util::Result<FileKey> parse(std::string_view text, std::string_view source);
  // Exactly kFileKeySize raw bytes (a binary key file).
  static FileKey from_raw(std::string_view raw);

  // Standard base64 with padding (44 characters).
  util::Secret to_text() const;
  const unsigned char* bytes() const;
  // A keyed BLAKE2b hash of a fixed string: stored in the file header so that a wrong key is
  // told apart from a damaged file. It reveals nothing about the key.
  std::array<uint8_t, kFileKeyIdSize> key_id() const;

 private:
  explicit FileKey(util::Secret bytes) : bytes_(std::move(bytes)) {}
  util::Secret bytes_;
};

// Whether any source is set (the key may still be unreadable).
bool has_key_source(const KeySources& sources);
// "NOTION_MCP_CREDENTIALS_KEY", "the key file PATH", ...: the source load_file_key would use.
std::string key_source_description(const KeySources& sources);

// Loads the key from the first source that is set. A key file holds the text form (or the 32
// raw bytes) and must not be readable by other users. `file` is the credentials file, named in
// the "no key" message.
util::Result<FileKey> load_file_key(const KeySources& sources, std::string_view file);

// Writes the key's text form and a newline to a new file with mode 0600 (never replaces one).
util::Result<void> write_key_file(const std::string& path, const FileKey& key);

}  // namespace notion_mcp::keychain
