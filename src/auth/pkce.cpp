#include "auth/pkce.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace notion_mcp::auth {

std::string base64url(std::span<const uint8_t> bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

util::Secret verifier_from_bytes(std::span<const uint8_t> random_bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  size_t capacity = sodium_base64_encoded_len(random_bytes.size(), variant);
  std::vector<char> text(capacity, '\0');
  sodium_bin2base64(text.data(), text.size(), random_bytes.data(), random_bytes.size(), variant);
  util::Secret verifier(std::string_view(text.data()));
  sodium_memzero(text.data(), text.size());
  return verifier;
}

Pkce make_pkce(size_t length) {
  length = std::clamp(length, kMinVerifierLength, kMaxVerifierLength);
  // Each 3 bytes give 4 characters; take enough bytes, then cut to the exact length.
  size_t byte_count = (length * 3 + 3) / 4;
  std::vector<uint8_t> bytes(byte_count);
  randombytes_buf(bytes.data(), bytes.size());
  util::Secret full = verifier_from_bytes(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  Pkce pkce;
  pkce.verifier = util::Secret(full.reveal().substr(0, length));
  pkce.challenge = s256_challenge(pkce.verifier.reveal());
  return pkce;
}

std::string s256_challenge(std::string_view verifier) {
  uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(verifier.data()),
                     verifier.size());
  std::string challenge = base64url(digest);
  sodium_memzero(digest, sizeof digest);
  return challenge;
}

bool valid_verifier(std::string_view verifier) {
  if (verifier.size() < kMinVerifierLength || verifier.size() > kMaxVerifierLength) return false;
  return std::all_of(verifier.begin(), verifier.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
  });
}

std::string make_state() {
  uint8_t bytes[kStateBytes];
  randombytes_buf(bytes, sizeof bytes);
  return base64url(bytes);
}

bool state_matches(std::string_view expected, std::string_view received) {
  if (expected.empty() || expected.size() != received.size()) return false;
  return sodium_memcmp(expected.data(), received.data(), expected.size()) == 0;
}

}  // namespace notion_mcp::auth
