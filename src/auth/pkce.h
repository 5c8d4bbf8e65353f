// PKCE (RFC 7636) and the OAuth `state`: the random values that tie the browser's callback to
// this login. Notion does not document checking PKCE; it still protects the loopback leg.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "util/secret.h"

namespace notion_mcp::auth {

inline constexpr size_t kMinVerifierLength = 43;
inline constexpr size_t kMaxVerifierLength = 128;
inline constexpr size_t kDefaultVerifierLength = 64;  // 48 random bytes
inline constexpr size_t kStateBytes = 32;             // 43 characters

// Base64url without padding (RFC 4648 §5), the encoding PKCE and `state` use.
std::string base64url(std::span<const uint8_t> bytes);

struct Pkce {
  util::Secret verifier;  // sent only with the token exchange
  std::string challenge;  // BASE64URL(SHA256(verifier)), goes into the authorize URL
};

// A fresh verifier of `length` characters (clamped to 43..128; a multiple of 4 uses every
// random bit) from libsodium's randomness, and its S256 challenge.
Pkce make_pkce(size_t length = kDefaultVerifierLength);

// The verifier for given random bytes (RFC 7636 appendix B uses 32 bytes).
util::Secret verifier_from_bytes(std::span<const uint8_t> random_bytes);

// The S256 code challenge of `verifier`.
std::string s256_challenge(std::string_view verifier);

// True when `verifier` has 43-128 characters from the unreserved set [A-Za-z0-9-._~].
bool valid_verifier(std::string_view verifier);

// A fresh random `state` (32 bytes, base64url).
std::string make_state();

// Compares a received `state` with the expected one in constant time (for equal lengths).
bool state_matches(std::string_view expected, std::string_view received);

}  // namespace notion_mcp::auth
