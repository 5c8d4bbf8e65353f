// The encrypted credentials file, for headless machines and CI: every profile in one file,
// sealed with XChaCha20-Poly1305 (IETF AEAD, libsodium) under a 32-byte key (see file_key.h).
//
// Layout (all of it authenticated; the header is the AEAD's associated data):
//   0  8 bytes  magic "NMCPCRED"
//   8  1 byte   format version (1)
//   9  3 bytes  reserved, zero
//  12 16 bytes  key id (FileKey::key_id): tells a wrong key from a damaged file
//  28 24 bytes  nonce, random for every write
//  52 ...       ciphertext of {"version":1,"profiles":{...}} followed by the 16-byte tag
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keychain/credential_json.h"
#include "keychain/file_key.h"
#include "keychain/store.h"

namespace notion_mcp::keychain {

inline constexpr std::string_view kFileMagic = "NMCPCRED";
inline constexpr uint8_t kFileFormatVersion = 1;
inline constexpr size_t kFileHeaderSize = 52;
inline constexpr size_t kMaxCredentialsFileSize = 1 << 20;

// Seals `plaintext` under `key` with a fresh nonce: the bytes of a whole file.
std::vector<uint8_t> seal_credentials(const FileKey& key, std::string_view plaintext);
// Opens the bytes of a whole file. Errors: not a credentials file, newer format, truncated,
// wrong key, damaged. `path` names the file in messages.
util::Result<ScrubbedString> open_credentials(const FileKey& key, std::string_view file,
                                              std::string_view path);

class EncryptedFileStore final : public CredentialStore {
 public:
  // The key is loaded from `keys` on first use, so that `status` can name the store even when
  // no key is given.
  EncryptedFileStore(std::string path, KeySources keys);

  std::string description() const override;
  bool writable() const override { return true; }
  util::Result<std::optional<Credential>> load(std::string_view profile) override;
  util::Result<void> save(std::string_view profile, const Credential& credential) override;
  util::Result<void> remove(std::string_view profile) override;
  // The key is there, the file (when it exists) opens with it, and its lock can be taken.
  util::Result<void> check_writable(std::string_view profile) override;

  // Every profile in the file (an empty map when the file does not exist).
  util::Result<ProfileMap> load_all();
  const std::string& path() const { return path_; }

 private:
  util::Result<const FileKey*> key();
  util::Result<void> write_all(const ProfileMap& profiles);

  std::string path_;
  KeySources keys_;
  std::optional<FileKey> key_;
};

}  // namespace notion_mcp::keychain
