#include "keychain/file_key.h"

#include <sodium.h>

#include <cstdlib>

#include "keychain/private_file.h"
#include "keychain/scrubbed_string.h"

namespace notion_mcp::keychain {
namespace {

constexpr size_t kMaxKeyFileSize = 4096;
constexpr std::string_view kKeyIdContext = "notion-mcp credentials file key id v1";

std::string_view trim(std::string_view text) {
  while (!text.empty() &&
         std::string_view(" \t\r\n").find(text.front()) != std::string_view::npos) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::string_view(" \t\r\n").find(text.back()) != std::string_view::npos) {
    text.remove_suffix(1);
  }
  return text;
}

bool all_hex(std::string_view text) {
  for (char c : text) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

std::string systemd_key_path(const KeySources& sources) {
  std::string dir = sources.credentials_directory;
  if (!dir.empty() && dir.back() != '/') dir += '/';
  dir.append(kSystemdKeyName);
  return dir;
}

util::Result<FileKey> load_from_file(const std::string& path, std::string_view what) {
  auto content = read_private_file(path, kMaxKeyFileSize, what);
  if (!content) return content.error();
  if (!content->has_value()) {
    return util::make_error(
        "missing_key", "The key file " + path + " does not exist.",
        "Check the path, or create a key with `notion-mcp credentials export`.");
  }
  const ScrubbedString& bytes = **content;
  std::string source = std::string(what) + " " + path;
  // Exactly 32 bytes can only be the raw key: its text forms are 43, 44 or 64 characters.
  if (bytes.size() == kFileKeySize) return FileKey::from_raw(bytes.view());
  return FileKey::parse(bytes.view(), source);
}

}  // namespace

FileKey FileKey::generate() {
  if (sodium_init() < 0) std::abort();  // no usable randomness: never go on
  unsigned char raw[kFileKeySize];
  randombytes_buf(raw, sizeof raw);
  FileKey key(util::Secret(std::string_view(reinterpret_cast<const char*>(raw), sizeof raw)));
  sodium_memzero(raw, sizeof raw);
  return key;
}

util::Result<FileKey> FileKey::parse(std::string_view text, std::string_view source) {
  if (sodium_init() < 0) std::abort();  // no usable randomness: never go on
  unsigned char raw[kFileKeySize];
  size_t length = 0;
  bool ok = false;
  std::string_view trimmed = trim(text);
  if (trimmed.size() == 2 * kFileKeySize && all_hex(trimmed)) {
    ok = sodium_hex2bin(raw, sizeof raw, trimmed.data(), trimmed.size(), nullptr, &length,
                        nullptr) == 0 &&
         length == kFileKeySize;
  }
  if (!ok) {
    for (int variant : {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
                        sodium_base64_VARIANT_URLSAFE, sodium_base64_VARIANT_URLSAFE_NO_PADDING}) {
      const char* end = nullptr;
      if (sodium_base642bin(raw, sizeof raw, trimmed.data(), trimmed.size(), nullptr, &length, &end,
                            variant) == 0 &&
          length == kFileKeySize && end == trimmed.data() + trimmed.size()) {
        ok = true;
        break;
      }
    }
  }
  if (!ok) {
    sodium_memzero(raw, sizeof raw);
    return util::make_error(
        "invalid_key",
        "The credentials key from " + std::string(source) +
            " is not a valid key: it must be 32 bytes written as base64 (44 characters, as "
            "`notion-mcp credentials export` prints it) or as 64 hex digits.",
        "Use the key printed when the credentials file was exported.");
  }
  FileKey key(util::Secret(std::string_view(reinterpret_cast<const char*>(raw), sizeof raw)));
  sodium_memzero(raw, sizeof raw);
  return key;
}

FileKey FileKey::from_raw(std::string_view raw) { return FileKey(util::Secret(raw)); }

util::Secret FileKey::to_text() const {
  char text[sodium_base64_ENCODED_LEN(kFileKeySize, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(text, sizeof text, bytes(), kFileKeySize, sodium_base64_VARIANT_ORIGINAL);
  util::Secret secret{std::string_view(text)};
  sodium_memzero(text, sizeof text);
  return secret;
}

const unsigned char* FileKey::bytes() const {
  return reinterpret_cast<const unsigned char*>(bytes_.reveal().data());
}

std::array<uint8_t, kFileKeyIdSize> FileKey::key_id() const {
  std::array<uint8_t, kFileKeyIdSize> id{};
  crypto_generichash(id.data(), id.size(),
                     reinterpret_cast<const unsigned char*>(kKeyIdContext.data()),
                     kKeyIdContext.size(), bytes(), kFileKeySize);
  return id;
}

bool has_key_source(const KeySources& sources) {
  return !sources.key_file.empty() || !sources.key_text.empty() ||
         !sources.credentials_directory.empty();
}

std::string key_source_description(const KeySources& sources) {
  if (!sources.key_file.empty()) return "the key file " + sources.key_file;
  if (!sources.key_text.empty()) return std::string(kKeyVariable);
  if (!sources.credentials_directory.empty()) {
    return "the systemd credential " + systemd_key_path(sources);
  }
  return "no key";
}

util::Result<FileKey> load_file_key(const KeySources& sources, std::string_view file) {
  if (!sources.key_file.empty()) return load_from_file(sources.key_file, "the key file");
  if (!sources.key_text.empty()) return FileKey::parse(sources.key_text.reveal(), kKeyVariable);
  if (!sources.credentials_directory.empty()) {
    std::string path = systemd_key_path(sources);
    auto key = load_from_file(path, "the systemd credential");
    if (!key && key.error().code == "missing_key") {
      return util::make_error(
          "missing_key",
          "CREDENTIALS_DIRECTORY is set but holds no " + std::string(kSystemdKeyName) + ".",
          "Add `LoadCredential=" + std::string(kSystemdKeyName) +
              ":/path/to/key` (or SetCredentialEncrypted=) to the service, or set " +
              std::string(kKeyVariable) + ".");
    }
    return key;
  }
  return util::make_error(
      "missing_key",
      "The credentials file " + std::string(file) + " is encrypted, but no key was given.",
      "Set " + std::string(kKeyVariable) +
          " to the key printed by `notion-mcp credentials export` (base64, or 64 hex digits), "
          "pass --credentials-key-file PATH, or under systemd provide the credential " +
          std::string(kSystemdKeyName) + " (LoadCredential=).");
}

util::Result<void> write_key_file(const std::string& path, const FileKey& key) {
  util::Secret text = key.to_text();
  ScrubbedString content(text.size() + 1);
  content.append(text.reveal());
  content.push_back('\n');
  return create_private_file(path, content.view(), "the key file");
}

}  // namespace notion_mcp::keychain
