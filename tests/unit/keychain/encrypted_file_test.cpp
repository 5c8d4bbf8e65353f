#include "keychain/encrypted_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "unit/keychain/keychain_test_support.h"

namespace notion_mcp::keychain {
namespace {

using testing::contains;
using testing::kCanaryClientSecret;
using testing::kCanaryRefresh;
using testing::kCanaryToken;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

KeySources key_text(const FileKey& key) {
  KeySources sources;
  sources.key_text = key.to_text();
  return sources;
}

class KeychainEncryptedFile : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  FileKey key_ = FileKey::generate();
  std::string path_ = dir_.file("credentials.enc");

  EncryptedFileStore store() { return EncryptedFileStore(path_, key_text(key_)); }
};

TEST_F(KeychainEncryptedFile, RoundTrip) {
  auto s = store();
  ASSERT_TRUE(s.save("default", testing::token_credential()).ok());
  auto fresh = store();  // a new process: nothing cached
  auto loaded = fresh.load("default");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_TRUE(loaded->has_value());
  EXPECT_TRUE(testing::same_credential(**loaded, testing::token_credential()));
  EXPECT_EQ(s.description(), "encrypted file " + path_);
  EXPECT_TRUE(s.writable());
}

TEST_F(KeychainEncryptedFile, NothingStoredIsNotAnError) {
  auto s = store();
  auto missing_file = s.load("default");
  ASSERT_TRUE(missing_file.ok());
  EXPECT_FALSE(missing_file->has_value());
  EXPECT_TRUE(s.remove("default").ok());
  ASSERT_TRUE(s.save("work", testing::oauth_credential()).ok());
  auto other_profile = s.load("default");
  ASSERT_TRUE(other_profile.ok());
  EXPECT_FALSE(other_profile->has_value());
}

TEST_F(KeychainEncryptedFile, SeveralProfilesInOneFile) {
  auto s = store();
  ASSERT_TRUE(s.save("default", testing::token_credential()).ok());
  ASSERT_TRUE(s.save("work", testing::oauth_credential()).ok());
  auto all = s.load_all();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);

  // Replacing one profile keeps the other.
  ASSERT_TRUE(s.save("default", testing::token_credential("ntn_c4n4ryReplacement0123456789")).ok());
  auto work = s.load("work");
  ASSERT_TRUE(work.ok() && work->has_value());
  EXPECT_TRUE(testing::same_credential(**work, testing::oauth_credential()));
  auto replaced = s.load("default");
  ASSERT_TRUE(replaced.ok() && replaced->has_value());
  EXPECT_TRUE((*replaced)->token == util::Secret("ntn_c4n4ryReplacement0123456789"));

  ASSERT_TRUE(s.remove("default").ok());
  auto gone = s.load("default");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  auto kept = s.load("work");
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(kept->has_value());
}

// Two processes saving two profiles of one file at once (two servers refreshing two
// workspaces): neither may write back the other's old profile, or a rotated refresh token
// would be lost. Each process checks after every save that its profile holds what it saved.
TEST_F(KeychainEncryptedFile, ConcurrentSavesOfTwoProfilesLoseNothing) {
  constexpr int kRounds = 60;
  ASSERT_TRUE(store().save("a", testing::token_credential("tok-a-start")).ok());
  ASSERT_TRUE(store().save("b", testing::token_credential("tok-b-start")).ok());
  auto writer = [&](const std::string& profile) {
    int lost = 0;
    for (int i = 0; i < kRounds; ++i) {
      auto s = store();  // a fresh store each round, as a new refresh would read it
      std::string value = "tok-" + profile + "-" + std::to_string(i);
      if (!s.save(profile, testing::token_credential(value)).ok()) return 2;
      auto back = store().load(profile);
      if (!back.ok() || !back->has_value()) return 2;
      // The other process may only ever have replaced its own profile, never ours.
      if (!((*back)->token == util::Secret(value))) ++lost;
    }
    return lost == 0 ? 0 : 1;
  };
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(writer("b"));
  int parent_result = writer("a");
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "profile b lost an update";
  EXPECT_EQ(parent_result, 0) << "profile a lost an update";
  for (std::string profile : {"a", "b"}) {
    auto last = store().load(profile);
    ASSERT_TRUE(last.ok() && last->has_value());
    EXPECT_TRUE((*last)->token ==
                util::Secret("tok-" + profile + "-" + std::to_string(kRounds - 1)))
        << profile;
  }
  // The lock file sits beside the credentials file and holds nothing.
  EXPECT_EQ(testing::file_mode(path_ + ".lock"), 0600u);
  EXPECT_EQ(std::filesystem::file_size(path_ + ".lock"), 0u);
}

TEST_F(KeychainEncryptedFile, ReplacesAtomicallyByRename) {
  auto s = store();
  ASSERT_TRUE(s.save("default", testing::token_credential()).ok());
  struct stat before {};
  ASSERT_EQ(::stat(path_.c_str(), &before), 0);
  std::string old_bytes = read_bytes(path_);
  ASSERT_TRUE(s.save("default", testing::token_credential()).ok());
  struct stat after {};
  ASSERT_EQ(::stat(path_.c_str(), &after), 0);
  // A new inode: the file was replaced by rename, never rewritten in place.
  EXPECT_NE(before.st_ino, after.st_ino);
  // Same content, new nonce: the sealed bytes differ.
  EXPECT_NE(read_bytes(path_), old_bytes);
  // No temporary file is left behind: only the file and its (empty) lock file.
  std::vector<std::string> entries;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    entries.push_back(entry.path().string());
  }
  std::sort(entries.begin(), entries.end());
  EXPECT_EQ(entries, (std::vector<std::string>{path_, path_ + ".lock"}));
}

TEST_F(KeychainEncryptedFile, WrittenWithMode0600WhateverTheUmask) {
  mode_t old_umask = ::umask(0);
  auto s = store();
  auto saved = s.save("default", testing::token_credential());
  ::umask(old_umask);
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_EQ(testing::file_mode(path_), 0600u);
}

TEST_F(KeychainEncryptedFile, CreatesAMissingParentDirectoryPrivately) {
  std::string nested = dir_.file("config") + "/credentials.enc";
  EncryptedFileStore s(nested, key_text(key_));
  ASSERT_TRUE(s.save("default", testing::token_credential()).ok());
  EXPECT_EQ(testing::file_mode(dir_.file("config")), 0700u);
  EXPECT_EQ(testing::file_mode(nested), 0600u);
}

TEST_F(KeychainEncryptedFile, NoSecretInPlainTextOnDisk) {
  auto s = store();
  ASSERT_TRUE(s.save("default", testing::token_credential()).ok());
  ASSERT_TRUE(s.save("work", testing::oauth_credential()).ok());
  std::string bytes = read_bytes(path_);
  EXPECT_EQ(bytes.substr(0, 8), "NMCPCRED");
  EXPECT_FALSE(contains(bytes, "c4n4ry"));
  EXPECT_FALSE(contains(bytes, "client-123"));
  EXPECT_FALSE(contains(bytes, "profiles"));
}

TEST_F(KeychainEncryptedFile, RefusesAFileOthersCanRead) {
  auto s = store();
  ASSERT_TRUE(s.save("default", testing::token_credential()).ok());
  for (mode_t mode : {0644, 0640, 0604, 0620}) {
    ASSERT_EQ(::chmod(path_.c_str(), mode), 0);
    auto loaded = store().load("default");
    ASSERT_FALSE(loaded.ok()) << std::oct << mode;
    EXPECT_EQ(loaded.error().code, "insecure_permissions");
    EXPECT_TRUE(contains(loaded.error().message, "other users")) << loaded.error().message;
    EXPECT_EQ(loaded.error().hint, "Run `chmod 600 " + path_ + "` and try again.");
    // Saving refuses too: it reads the other profiles first.
    EXPECT_FALSE(store().save("default", testing::token_credential()).ok());
  }
  ASSERT_EQ(::chmod(path_.c_str(), 0600), 0);
  EXPECT_TRUE(store().load("default").ok());
}

TEST_F(KeychainEncryptedFile, WrongKeyIsToldApartAndNothingIsOverwritten) {
  ASSERT_TRUE(store().save("default", testing::token_credential()).ok());
  std::string before = read_bytes(path_);
  EncryptedFileStore other(path_, key_text(FileKey::generate()));
  auto loaded = other.load("default");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "wrong_key");
  EXPECT_TRUE(contains(loaded.error().message, "the key is not the one")) << loaded.error().message;
  auto saved = other.save("default", testing::oauth_credential());
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error().code, "wrong_key");
  EXPECT_EQ(read_bytes(path_), before);
}

TEST_F(KeychainEncryptedFile, DamagedCiphertextFailsAuthentication) {
  ASSERT_TRUE(store().save("default", testing::token_credential()).ok());
  std::string bytes = read_bytes(path_);
  bytes[kFileHeaderSize + 5] ^= 0x01;
  write_bytes(path_, bytes);
  auto loaded = store().load("default");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "corrupt_credentials_file");
  EXPECT_TRUE(contains(loaded.error().message, "authentication failed")) << loaded.error().message;
}

TEST_F(KeychainEncryptedFile, DamagedHeaderIsDetected) {
  ASSERT_TRUE(store().save("default", testing::token_credential()).ok());
  std::string original = read_bytes(path_);

  std::string reserved = original;
  reserved[10] = 1;  // authenticated as associated data
  write_bytes(path_, reserved);
  auto loaded = store().load("default");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "corrupt_credentials_file");

  std::string nonce = original;
  nonce[40] ^= 0x80;
  write_bytes(path_, nonce);
  loaded = store().load("default");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "corrupt_credentials_file");

  std::string magic = original;
  magic[0] = 'X';
  write_bytes(path_, magic);
  loaded = store().load("default");
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(contains(loaded.error().message, "is not a notion-mcp credentials file"));

  std::string newer = original;
  newer[8] = 2;
  write_bytes(path_, newer);
  loaded = store().load("default");
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(contains(loaded.error().message, "newer notion-mcp")) << loaded.error().message;
}

TEST_F(KeychainEncryptedFile, TruncatedFile) {
  ASSERT_TRUE(store().save("default", testing::token_credential()).ok());
  std::string bytes = read_bytes(path_);

  write_bytes(path_, bytes.substr(0, 30));
  auto short_header = store().load("default");
  ASSERT_FALSE(short_header.ok());
  EXPECT_EQ(short_header.error().code, "corrupt_credentials_file");
  EXPECT_TRUE(contains(short_header.error().message, "truncated (30 bytes"))
      << short_header.error().message;

  write_bytes(path_, bytes.substr(0, bytes.size() - 1));
  auto short_body = store().load("default");
  ASSERT_FALSE(short_body.ok());
  EXPECT_EQ(short_body.error().code, "corrupt_credentials_file");
  EXPECT_TRUE(contains(short_body.error().message, "truncated"));

  write_bytes(path_, "");
  auto empty = store().load("default");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "corrupt_credentials_file");
}

TEST_F(KeychainEncryptedFile, MissingKey) {
  ASSERT_TRUE(store().save("default", testing::token_credential()).ok());
  EncryptedFileStore keyless(path_, KeySources{});
  auto loaded = keyless.load("default");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, "missing_key");
  EXPECT_TRUE(contains(loaded.error().message, "no key was given"));
  EXPECT_TRUE(contains(loaded.error().hint, "NOTION_MCP_CREDENTIALS_KEY"));
  EXPECT_TRUE(contains(loaded.error().hint, "--credentials-key-file"));

  EncryptedFileStore keyless_new(dir_.file("new.enc"), KeySources{});
  auto saved = keyless_new.save("default", testing::token_credential());
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error().code, "missing_key");
  EXPECT_FALSE(std::filesystem::exists(dir_.file("new.enc")));
}

TEST_F(KeychainEncryptedFile, RefusesInvalidProfilesAndIncompleteCredentials) {
  auto s = store();
  EXPECT_EQ(s.save("../etc", testing::token_credential()).error().code, "invalid_profile");
  Credential empty;
  EXPECT_EQ(s.save("default", empty).error().code, "invalid_credential");
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(KeychainEncryptedFile, ErrorsNeverContainSecrets) {
  auto s = store();
  ASSERT_TRUE(s.save("default", testing::oauth_credential()).ok());
  std::string bytes = read_bytes(path_);
  bytes[bytes.size() - 3] ^= 0x10;
  write_bytes(path_, bytes);
  auto loaded = store().load("default");
  ASSERT_FALSE(loaded.ok());
  for (std::string_view canary : {kCanaryToken, kCanaryRefresh, kCanaryClientSecret}) {
    EXPECT_FALSE(contains(loaded.error().message, canary));
    EXPECT_FALSE(contains(loaded.error().hint, canary));
  }
}

// --- the key -------------------------------------------------------------------------------

TEST(KeychainFileKey, TextFormsRoundTrip) {
  FileKey key = FileKey::generate();
  util::Secret text = key.to_text();
  EXPECT_EQ(text.size(), 44u);
  auto parsed = FileKey::parse(std::string(text.reveal()) + "\n", "test");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->key_id(), key.key_id());

  // 64 hex digits of the same bytes.
  std::string hex;
  char digits[3];
  for (size_t i = 0; i < kFileKeySize; ++i) {
    std::snprintf(digits, sizeof digits, "%02x", key.bytes()[i]);
    hex += digits;
  }
  auto from_hex = FileKey::parse(hex, "test");
  ASSERT_TRUE(from_hex.ok());
  EXPECT_EQ(from_hex->key_id(), key.key_id());

  // Base64 without padding, URL-safe alphabet.
  std::string unpadded(text.reveal().substr(0, 43));
  for (char& c : unpadded) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  auto from_url = FileKey::parse(unpadded, "test");
  ASSERT_TRUE(from_url.ok());
  EXPECT_EQ(from_url->key_id(), key.key_id());
}

TEST(KeychainFileKey, RejectsWrongLengthsAndSaysWhichFormsWork) {
  for (std::string_view text :
       {"", "short", "0123456789abcdef0123456789abcdef",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}) {
    auto parsed = FileKey::parse(text, "NOTION_MCP_CREDENTIALS_KEY");
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, "invalid_key");
    EXPECT_TRUE(contains(parsed.error().message, "NOTION_MCP_CREDENTIALS_KEY"));
    EXPECT_TRUE(contains(parsed.error().message, "base64"));
    EXPECT_TRUE(contains(parsed.error().message, "64 hex digits"));
  }
}

TEST(KeychainFileKey, DifferentKeysHaveDifferentIds) {
  EXPECT_NE(FileKey::generate().key_id(), FileKey::generate().key_id());
}

TEST(KeychainFileKey, KeyFileIsPrivateAndNeverReplaced) {
  testing::TempDir dir;
  FileKey key = FileKey::generate();
  std::string path = dir.file("notion-mcp.key");
  ASSERT_TRUE(write_key_file(path, key).ok());
  EXPECT_EQ(testing::file_mode(path), 0600u);
  auto again = write_key_file(path, FileKey::generate());
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(contains(again.error().message, "already exists"));

  KeySources sources;
  sources.key_file = path;
  auto loaded = load_file_key(sources, "f");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->key_id(), key.key_id());

  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto exposed = load_file_key(sources, "f");
  ASSERT_FALSE(exposed.ok());
  EXPECT_EQ(exposed.error().code, "insecure_permissions");
}

TEST(KeychainFileKey, SourcesInOrderFileThenVariableThenSystemd) {
  testing::TempDir dir;
  FileKey in_file = FileKey::generate();
  FileKey in_variable = FileKey::generate();
  FileKey in_systemd = FileKey::generate();
  ASSERT_TRUE(write_key_file(dir.file("flag.key"), in_file).ok());
  ASSERT_EQ(::mkdir(dir.file("creds").c_str(), 0700), 0);
  // systemd may hand over the raw 32 bytes.
  write_bytes(dir.file("creds") + "/notion-mcp.key",
              std::string_view(reinterpret_cast<const char*>(in_systemd.bytes()), kFileKeySize));
  ASSERT_EQ(::chmod((dir.file("creds") + "/notion-mcp.key").c_str(), 0400), 0);

  KeySources sources;
  sources.key_file = dir.file("flag.key");
  sources.key_text = in_variable.to_text();
  sources.credentials_directory = dir.file("creds");
  EXPECT_EQ(load_file_key(sources, "f")->key_id(), in_file.key_id());
  EXPECT_EQ(key_source_description(sources), "the key file " + dir.file("flag.key"));
  sources.key_file.clear();
  EXPECT_EQ(load_file_key(sources, "f")->key_id(), in_variable.key_id());
  EXPECT_EQ(key_source_description(sources), "NOTION_MCP_CREDENTIALS_KEY");
  sources.key_text = util::Secret();
  auto systemd = load_file_key(sources, "f");
  ASSERT_TRUE(systemd.ok()) << systemd.error().message;
  EXPECT_EQ(systemd->key_id(), in_systemd.key_id());

  sources.credentials_directory = dir.path();  // no notion-mcp.key there
  auto missing = load_file_key(sources, "f");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "missing_key");
  EXPECT_TRUE(contains(missing.error().hint, "LoadCredential=notion-mcp.key"));
}

}  // namespace
}  // namespace notion_mcp::keychain
