#include "util/redact.h"

#include <array>
#include <cctype>

namespace notion_mcp::util {
namespace {

constexpr std::string_view kMask = "[REDACTED]";
// Shorter runs after a prefix are ordinary words ("secret_sauce"); real tokens are 40+ chars.
constexpr size_t kMinTokenBody = 16;

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}
bool is_credential_char(char c) {
  return is_token_char(c) || c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// A token starts a word, or follows a percent-escape ("?t=%3Dntn_…", "%20ntn_…" in a URL).
bool word_boundary_before(std::string_view text, size_t pos) {
  if (pos == 0 || !is_token_char(text[pos - 1])) return true;
  return pos >= 3 && text[pos - 3] == '%' && is_hex(text[pos - 2]) && is_hex(text[pos - 1]);
}

// Length of a secret starting at `pos`, or 0 when none starts there.
size_t secret_length_at(std::string_view text, size_t pos) {
  static constexpr std::array<std::string_view, 3> kPrefixes = {"ntn_", "secret_", "nrt_"};
  // Every prefix and scheme below starts with n, s or b/B: most positions end here (every byte
  // the server writes passes through this).
  char first = text[pos];
  if (first != 'n' && first != 's' && first != 'b' && first != 'B') return 0;
  if (!word_boundary_before(text, pos)) return 0;
  for (auto prefix : kPrefixes) {
    if (text.substr(pos, prefix.size()) != prefix) continue;
    size_t end = pos + prefix.size();
    while (end < text.size() && is_token_char(text[end])) ++end;
    if (end - pos - prefix.size() >= kMinTokenBody) return end - pos;
  }
  // "Bearer xyz" / "Basic xyz": mask the credential, keep the scheme for readability.
  static constexpr std::array<std::string_view, 2> kSchemes = {"Bearer ", "Basic "};
  for (auto scheme : kSchemes) {
    if (text.size() - pos < scheme.size()) continue;
    bool match = true;
    for (size_t i = 0; i < scheme.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(text[pos + i])) !=
          std::tolower(static_cast<unsigned char>(scheme[i]))) {
        match = false;
        break;
      }
    }
    if (!match) continue;
    size_t start = pos + scheme.size();
    size_t end = start;
    bool has_digit = false;
    while (end < text.size() && is_credential_char(text[end])) {
      has_digit |= std::isdigit(static_cast<unsigned char>(text[end])) != 0;
      ++end;
    }
    // Credentials are long and contain digits; prose ("Basic information") does not.
    if (end - start >= kMinTokenBody && has_digit) return end - pos;
  }
  return 0;
}

size_t scheme_length_at(std::string_view text, size_t pos) {
  for (std::string_view scheme : {"Bearer ", "Basic "}) {
    if (text.size() - pos >= scheme.size() &&
        std::tolower(static_cast<unsigned char>(text[pos])) ==
            std::tolower(static_cast<unsigned char>(scheme[0])) &&
        std::tolower(static_cast<unsigned char>(text[pos + 1])) ==
            std::tolower(static_cast<unsigned char>(scheme[1])) &&
        text[pos + scheme.size() - 1] == ' ') {
      return scheme.size();
    }
  }
  return 0;
}

}  // namespace

std::string redact(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t length = secret_length_at(text, pos);
    if (length == 0) {
      out.push_back(text[pos++]);
      continue;
    }
    size_t keep = scheme_length_at(text, pos);
    // A prefix match (ntn_ etc.) never keeps anything; a scheme match keeps "Bearer ".
    if (text.substr(pos, 4) == "ntn_" || text.substr(pos, 7) == "secret_" ||
        text.substr(pos, 4) == "nrt_") {
      keep = 0;
    }
    out.append(text.substr(pos, keep));
    out.append(kMask);
    pos += length;
  }
  return out;
}

bool looks_like_secret(std::string_view text) {
  for (size_t pos = 0; pos < text.size(); ++pos) {
    if (secret_length_at(text, pos) != 0) return true;
  }
  return false;
}

}  // namespace notion_mcp::util

namespace notion_mcp::util {

void redact_json(nlohmann::json& value) {
  if (value.is_string()) {
    auto& text = value.get_ref<std::string&>();
    if (looks_like_secret(text)) text = redact(text);
  } else if (value.is_array()) {
    for (auto& element : value) redact_json(element);
  } else if (value.is_object()) {
    bool secret_key = false;
    for (const auto& item : value.items()) secret_key = secret_key || looks_like_secret(item.key());
    if (secret_key) {
      nlohmann::json clean = nlohmann::json::object();
      for (auto& item : value.items()) clean[redact(item.key())] = std::move(item.value());
      value = std::move(clean);
    }
    for (auto& item : value.items()) redact_json(item.value());
  }
}

}  // namespace notion_mcp::util
