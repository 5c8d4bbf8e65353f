#include "keychain/encrypted_file.h"

#include <sodium.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

#include "keychain/credential.h"
#include "keychain/file_lock.h"
#include "keychain/private_file.h"

namespace notion_mcp::keychain {
namespace {

constexpr size_t kKeyIdOffset = 12;
constexpr size_t kNonceOffset = kKeyIdOffset + kFileKeyIdSize;
constexpr size_t kNonceSize = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagSize = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(kNonceOffset + kNonceSize == kFileHeaderSize);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kFileKeySize);

constexpr std::string_view kWhat = "the credentials file";
// How long a save or remove waits for another process's save of the same file.
constexpr std::chrono::milliseconds kFileLockTimeout{30000};

util::Error damaged(std::string_view path, std::string why) {
  return util::make_error("corrupt_credentials_file",
                          "The credentials file " + std::string(path) + " " + why + ".",
                          "Restore it from where it came from, or write it again with `notion-mcp "
                          "credentials export`.");
}

}  // namespace

std::vector<uint8_t> seal_credentials(const FileKey& key, std::string_view plaintext) {
  if (sodium_init() < 0) std::abort();  // no usable randomness: never go on
  std::vector<uint8_t> file(kFileHeaderSize + plaintext.size() + kTagSize, 0);
  std::memcpy(file.data(), kFileMagic.data(), kFileMagic.size());
  file[8] = kFileFormatVersion;
  auto id = key.key_id();
  std::memcpy(file.data() + kKeyIdOffset, id.data(), id.size());
  randombytes_buf(file.data() + kNonceOffset, kNonceSize);
  unsigned long long sealed = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(file.data() + kFileHeaderSize, &sealed,
                                             reinterpret_cast<const uint8_t*>(plaintext.data()),
                                             plaintext.size(), file.data(), kFileHeaderSize,
                                             nullptr, file.data() + kNonceOffset, key.bytes());
  file.resize(kFileHeaderSize + sealed);
  return file;
}

util::Result<ScrubbedString> open_credentials(const FileKey& key, std::string_view file,
                                              std::string_view path) {
  if (sodium_init() < 0) std::abort();  // no usable randomness: never go on
  auto bytes = reinterpret_cast<const uint8_t*>(file.data());
  if (file.size() < kFileMagic.size() ||
      std::memcmp(bytes, kFileMagic.data(), kFileMagic.size()) != 0) {
    return util::make_error(
        "corrupt_credentials_file",
        "The file " + std::string(path) + " is not a notion-mcp credentials file.",
        "Check --credentials-file / NOTION_MCP_CREDENTIALS; `notion-mcp credentials export` "
        "writes such a file.");
  }
  if (file.size() < kFileHeaderSize + kTagSize) {
    return damaged(path, "is truncated (" + std::to_string(file.size()) + " bytes, at least " +
                             std::to_string(kFileHeaderSize + kTagSize) + " expected)");
  }
  if (bytes[8] != kFileFormatVersion) {
    if (bytes[8] > kFileFormatVersion) {
      return util::make_error("corrupt_credentials_file",
                              "The credentials file " + std::string(path) +
                                  " was written by a newer notion-mcp (format version " +
                                  std::to_string(bytes[8]) + ").",
                              "Upgrade notion-mcp.");
    }
    return damaged(path, "has an unknown format version");
  }
  auto id = key.key_id();
  if (sodium_memcmp(bytes + kKeyIdOffset, id.data(), id.size()) != 0) {
    return util::make_error(
        "wrong_key",
        "The credentials file " + std::string(path) +
            " cannot be decrypted: the key is not the "
            "one it was written with.",
        "Use the key written when this file was made: `notion-mcp credentials export` and "
        "`notion-mcp login --credentials-file FILE` both write it to FILE.key (or to --key-out) "
        "and print how to supply it.");
  }
  size_t sealed = file.size() - kFileHeaderSize;
  ScrubbedString plain(sealed);
  plain.resize(sealed - kTagSize);
  unsigned long long opened = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<uint8_t*>(plain.data()), &opened, nullptr, bytes + kFileHeaderSize,
          sealed, bytes, kFileHeaderSize, bytes + kNonceOffset, key.bytes()) != 0) {
    return damaged(path,
                   "is damaged or truncated: the key is right but authentication failed, so the "
                   "content was changed after it was written");
  }
  plain.resize(opened);
  return plain;
}

EncryptedFileStore::EncryptedFileStore(std::string path, KeySources keys)
    : path_(std::move(path)), keys_(std::move(keys)) {}

std::string EncryptedFileStore::description() const { return "encrypted file " + path_; }

util::Result<const FileKey*> EncryptedFileStore::key() {
  if (!key_) {
    auto loaded = load_file_key(keys_, path_);
    if (!loaded) return loaded.error();
    key_.emplace(std::move(loaded).value());
  }
  return &*key_;
}

util::Result<ProfileMap> EncryptedFileStore::load_all() {
  auto content = read_private_file(path_, kMaxCredentialsFileSize, kWhat);
  if (!content) return content.error();
  if (!content->has_value()) return ProfileMap{};
  auto key = this->key();
  if (!key) return key.error();
  auto plain = open_credentials(**key, (*content)->view(), path_);
  if (!plain) return plain.error();
  return profiles_from_json(plain->view(), "The credentials file " + path_);
}

util::Result<std::optional<Credential>> EncryptedFileStore::load(std::string_view profile) {
  if (auto valid = validate_profile_name(profile); !valid) return valid.error();
  auto profiles = load_all();
  if (!profiles) return profiles.error();
  auto found = profiles->find(profile);
  if (found == profiles->end()) return std::optional<Credential>();
  return std::optional<Credential>(std::move(found->second));
}

util::Result<void> EncryptedFileStore::write_all(const ProfileMap& profiles) {
  auto key = this->key();
  if (!key) return key.error();
  ScrubbedString plain = profiles_to_json(profiles);
  std::vector<uint8_t> sealed = seal_credentials(**key, plain.view());
  return write_private_file(
      path_, std::string_view(reinterpret_cast<const char*>(sealed.data()), sealed.size()), kWhat);
}

util::Result<void> EncryptedFileStore::save(std::string_view profile,
                                            const Credential& credential) {
  if (auto valid = validate_profile_name(profile); !valid) return valid;
  if (auto valid = validate_credential(credential); !valid) return valid;
  // Read-modify-write under the file's lock: the other profiles stay, even when another
  // process saves one of them now. A file we cannot open is never overwritten.
  auto lock = FileLock::acquire(path_, kFileLockTimeout);
  if (!lock) return lock.error();
  auto profiles = load_all();
  if (!profiles) return profiles.error();
  profiles->insert_or_assign(std::string(profile), credential);
  return write_all(*profiles);
}

util::Result<void> EncryptedFileStore::check_writable(std::string_view profile) {
  if (auto valid = validate_profile_name(profile); !valid) return valid;
  auto key = this->key();
  if (!key) return key.error();
  auto lock = FileLock::acquire(path_, std::chrono::seconds(5));
  if (!lock) return lock.error();
  auto profiles = load_all();  // a file that does not open is never overwritten by a save
  if (!profiles) return profiles.error();
  return {};
}

util::Result<void> EncryptedFileStore::remove(std::string_view profile) {
  if (auto valid = validate_profile_name(profile); !valid) return valid;
  auto lock = FileLock::acquire(path_, kFileLockTimeout);
  if (!lock) return lock.error();
  auto profiles = load_all();
  if (!profiles) return profiles.error();
  auto found = profiles->find(profile);
  if (found == profiles->end()) return {};
  profiles->erase(found);
  return write_all(*profiles);
}

}  // namespace notion_mcp::keychain
