#include "demo/ids.h"

#include <array>
#include <cstdint>

namespace notion_mcp::demo {
namespace {

constexpr char kHex[] = "0123456789abcdef";

uint64_t fnv1a(std::string_view text, uint64_t basis) {
  uint64_t hash = basis;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  // Final avalanche (splitmix64) so that similar labels give unrelated-looking ids.
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ULL;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebULL;
  hash ^= hash >> 31;
  return hash;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string dashed(std::string_view hex32) {
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < hex32.size(); ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out.push_back('-');
    out.push_back(hex32[i]);
  }
  return out;
}

}  // namespace

std::optional<std::string> normalize_id(std::string_view text) {
  std::string hex;
  hex.reserve(32);
  if (text.size() == 36) {
    for (size_t i = 0; i < text.size(); ++i) {
      const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash_position) {
        if (text[i] != '-') return std::nullopt;
        continue;
      }
      int v = hex_value(text[i]);
      if (v < 0) return std::nullopt;
      hex.push_back(kHex[v]);
    }
  } else if (text.size() == 32) {
    for (char c : text) {
      int v = hex_value(c);
      if (v < 0) return std::nullopt;
      hex.push_back(kHex[v]);
    }
  } else {
    return std::nullopt;
  }
  return dashed(hex);
}

std::string compact_id(std::string_view dashed_id) {
  std::string out;
  out.reserve(32);
  for (char c : dashed_id) {
    if (c != '-') out.push_back(c);
  }
  return out;
}

std::string derived_id(std::string_view label) {
  const uint64_t hi = fnv1a(label, 0xcbf29ce484222325ULL);
  const uint64_t lo = fnv1a(label, 0x84222325cbf29ce4ULL);
  std::array<char, 32> hex{};
  for (int i = 0; i < 16; ++i) hex[i] = kHex[(hi >> (60 - 4 * i)) & 0xf];
  for (int i = 0; i < 16; ++i) hex[16 + i] = kHex[(lo >> (60 - 4 * i)) & 0xf];
  hex[12] = '4';                                 // version 4 layout
  hex[16] = kHex[8 + (hex_value(hex[16]) & 3)];  // RFC 4122 variant
  return dashed(std::string_view(hex.data(), hex.size()));
}

std::string short_id(std::string_view label) {
  // Notion's property ids are four URL-safe-ish characters, sometimes percent-encoded.
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  uint64_t hash = fnv1a(label, 0x9e3779b97f4a7c15ULL);
  std::string out;
  for (int i = 0; i < 4; ++i) {
    out.push_back(kAlphabet[hash % 62]);
    hash /= 62;
  }
  return out;
}

}  // namespace notion_mcp::demo
