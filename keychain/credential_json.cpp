#include "keychain/credential_json.h"

#include <cstdint>
#include <cstdio>
#include <utility>

#include "keychain/credential.h"
#include "util/utf8.h"

namespace notion_mcp::keychain {
namespace {

constexpr int kMaxSkipDepth = 16;

// --- writing ---------------------------------------------------------------------------------

void append_json_string(ScrubbedString& out, std::string_view text) {
  out.push_back('"');
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (c < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out.append(escaped);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

void append_member(ScrubbedString& out, std::string_view key, std::string_view value) {
  if (value.empty()) return;
  out.push_back(',');
  append_json_string(out, key);
  out.push_back(':');
  append_json_string(out, value);
}

void write_credential(ScrubbedString& out, const Credential& c) {
  out.append("{\"version\":1");
  append_member(out, "kind", kind_name(c.kind));
  append_member(out, "token", c.token.reveal());
  append_member(out, "refresh_token", c.refresh_token.reveal());
  append_member(out, "client_id", c.client_id);
  append_member(out, "client_secret", c.client_secret.reveal());
  append_member(out, "workspace_id", c.workspace_id);
  append_member(out, "workspace_name", c.workspace_name);
  append_member(out, "bot_id", c.bot_id);
  out.push_back('}');
}

// --- reading ---------------------------------------------------------------------------------

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  size_t position() const { return pos_; }
  std::string problem;  // set when the structure is valid JSON but not what we expect

  bool consume(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool at_end() {
    skip_space();
    return pos_ == text_.size();
  }

  // Calls on_member(key) for each member, with the reader positioned at the member's value.
  template <class F>
  bool object(F&& on_member) {
    if (!consume('{')) return false;
    if (consume('}')) return true;
    ScrubbedString key;
    while (true) {
      key.clear();
      if (!string(key) || !consume(':')) return false;
      if (!on_member(key.view())) return false;
      if (consume(',')) continue;
      return consume('}');
    }
  }

  bool string(ScrubbedString& out) {
    if (!consume('"')) return false;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return false;
      char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.push_back(e);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u':
          if (!unicode_escape(out)) return false;
          break;
        default:
          return false;
      }
    }
    return false;
  }

  bool integer(int64_t& out) {
    skip_space();
    bool negative = consume('-');
    size_t start = pos_;
    int64_t value = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9' && pos_ - start < 18) {
      value = value * 10 + (text_[pos_++] - '0');
    }
    if (pos_ == start) return false;
    if (pos_ < text_.size() && (text_[pos_] == '.' || text_[pos_] == 'e' || text_[pos_] == 'E' ||
                                (text_[pos_] >= '0' && text_[pos_] <= '9'))) {
      return false;
    }
    out = negative ? -value : value;
    return true;
  }

  bool skip_value(int depth = 0) {
    if (depth > kMaxSkipDepth) return false;
    skip_space();
    if (pos_ >= text_.size()) return false;
    char c = text_[pos_];
    if (c == '"') {
      ScrubbedString ignored;
      return string(ignored);
    }
    if (c == '{') return object([&](std::string_view) { return skip_value(depth + 1); });
    if (c == '[') {
      ++pos_;
      if (consume(']')) return true;
      do {
        if (!skip_value(depth + 1)) return false;
      } while (consume(','));
      return consume(']');
    }
    for (std::string_view literal : {"true", "false", "null"}) {
      if (text_.substr(pos_, literal.size()) == literal) {
        pos_ += literal.size();
        return true;
      }
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      ++pos_;
      while (pos_ < text_.size() &&
             std::string_view("0123456789.eE+-").find(text_[pos_]) != std::string_view::npos) {
        ++pos_;
      }
      return true;
    }
    return false;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool hex4(uint32_t& out) {
    if (pos_ + 4 > text_.size()) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      uint32_t digit;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return false;
      }
      out = out * 16 + digit;
    }
    return true;
  }

  bool unicode_escape(ScrubbedString& out) {
    uint32_t cp;
    if (!hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      uint32_t low;
      if (pos_ + 2 > text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u') return false;
      pos_ += 2;
      if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    char bytes[4];
    size_t n;
    if (cp < 0x80) {
      bytes[0] = static_cast<char>(cp);
      n = 1;
    } else if (cp < 0x800) {
      bytes[0] = static_cast<char>(0xC0 | (cp >> 6));
      bytes[1] = static_cast<char>(0x80 | (cp & 0x3F));
      n = 2;
    } else if (cp < 0x10000) {
      bytes[0] = static_cast<char>(0xE0 | (cp >> 12));
      bytes[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      bytes[2] = static_cast<char>(0x80 | (cp & 0x3F));
      n = 3;
    } else {
      bytes[0] = static_cast<char>(0xF0 | (cp >> 18));
      bytes[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      bytes[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      bytes[3] = static_cast<char>(0x80 | (cp & 0x3F));
      n = 4;
    }
    out.append(std::string_view(bytes, n));
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

bool read_secret(Reader& reader, util::Secret& out) {
  ScrubbedString value;
  if (!reader.string(value)) return false;
  out = util::Secret(value.view());
  return true;
}

bool read_text(Reader& reader, std::string& out) {
  ScrubbedString value;
  if (!reader.string(value)) return false;
  out.assign(value.view());
  return true;
}

// Reads the version member: 1, or a sentence about a newer format.
bool read_version(Reader& reader, int64_t& version) {
  if (!reader.integer(version)) return false;
  if (version > kCredentialFormatVersion) {
    reader.problem = "it was written by a newer notion-mcp (format version " +
                     std::to_string(version) + "); upgrade notion-mcp";
    return false;
  }
  if (version < 1) {
    reader.problem = "its format version is not valid";
    return false;
  }
  return true;
}

bool read_credential(Reader& reader, Credential& out) {
  unsigned seen = 0;
  int64_t version = 0;
  auto first_time = [&](unsigned bit) {
    if (seen & bit) {
      reader.problem = "a member appears twice";
      return false;
    }
    seen |= bit;
    return true;
  };
  bool ok = reader.object([&](std::string_view key) {
    if (key == "version") return first_time(1u << 0) && read_version(reader, version);
    if (key == "kind") {
      ScrubbedString name;
      if (!first_time(1u << 1) || !reader.string(name)) return false;
      auto kind = parse_kind(name.view());
      if (!kind) {
        reader.problem = "the credential kind is unknown";
        return false;
      }
      out.kind = *kind;
      return true;
    }
    if (key == "token") return first_time(1u << 2) && read_secret(reader, out.token);
    if (key == "refresh_token")
      return first_time(1u << 3) && read_secret(reader, out.refresh_token);
    if (key == "client_id") return first_time(1u << 4) && read_text(reader, out.client_id);
    if (key == "client_secret")
      return first_time(1u << 5) && read_secret(reader, out.client_secret);
    if (key == "workspace_id") return first_time(1u << 6) && read_text(reader, out.workspace_id);
    if (key == "workspace_name") {
      return first_time(1u << 7) && read_text(reader, out.workspace_name);
    }
    if (key == "bot_id") return first_time(1u << 8) && read_text(reader, out.bot_id);
    return reader.skip_value();  // a member from a later version
  });
  if (!ok) return false;
  if (!(seen & (1u << 0)) || !(seen & (1u << 1))) {
    reader.problem = "the version or kind is missing";
    return false;
  }
  return true;
}

util::Error damaged(std::string_view where, const Reader& reader) {
  std::string why = reader.problem.empty()
                        ? "it is not valid JSON (at byte " + std::to_string(reader.position()) + ")"
                        : reader.problem;
  return util::make_error("corrupt_credential",
                          std::string(where) + " cannot be read: " + why + ".",
                          "Store the credential again with `notion-mcp login`.");
}

util::Result<void> check_utf8(std::string_view text, std::string_view where) {
  if (util::valid_utf8(text)) return {};
  return util::make_error("corrupt_credential",
                          std::string(where) + " cannot be read: it is not valid UTF-8.",
                          "Store the credential again with `notion-mcp login`.");
}

}  // namespace

ScrubbedString credential_to_json(const Credential& credential) {
  ScrubbedString out(256);
  write_credential(out, credential);
  return out;
}

util::Result<Credential> credential_from_json(std::string_view text, std::string_view where) {
  if (auto utf8 = check_utf8(text, where); !utf8) return utf8.error();
  Reader reader(text);
  Credential credential;
  if (!read_credential(reader, credential) || !reader.at_end()) return damaged(where, reader);
  if (auto valid = validate_credential(credential); !valid) {
    return util::make_error("corrupt_credential",
                            std::string(where) + " cannot be used: " + valid.error().message,
                            valid.error().hint);
  }
  return credential;
}

ScrubbedString profiles_to_json(const ProfileMap& profiles) {
  ScrubbedString out(256 * (profiles.size() + 1));
  out.append("{\"version\":1,\"profiles\":{");
  bool first = true;
  for (const auto& [name, credential] : profiles) {
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, name);
    out.push_back(':');
    write_credential(out, credential);
  }
  out.append("}}");
  return out;
}

util::Result<ProfileMap> profiles_from_json(std::string_view text, std::string_view where) {
  if (auto utf8 = check_utf8(text, where); !utf8) return utf8.error();
  Reader reader(text);
  ProfileMap profiles;
  int64_t version = 0;
  bool seen_version = false;
  bool seen_profiles = false;
  bool ok = reader.object([&](std::string_view key) {
    if (key == "version") {
      if (seen_version) return false;
      seen_version = true;
      return read_version(reader, version);
    }
    if (key == "profiles") {
      if (seen_profiles) return false;
      seen_profiles = true;
      return reader.object([&](std::string_view name) {
        if (!validate_profile_name(name)) {
          reader.problem = "it contains a profile name that is not valid";
          return false;
        }
        if (profiles.find(name) != profiles.end()) {
          reader.problem = "a profile appears twice";
          return false;
        }
        Credential credential;
        if (!read_credential(reader, credential)) return false;
        if (auto valid = validate_credential(credential); !valid) {
          std::string why = valid.error().message;
          if (!why.empty() && why.back() == '.') why.pop_back();
          reader.problem = "profile " + std::string(name) + ": " + why;
          return false;
        }
        profiles.emplace(std::string(name), std::move(credential));
        return true;
      });
    }
    return reader.skip_value();
  });
  if (!ok || !reader.at_end()) return damaged(where, reader);
  if (!seen_version || !seen_profiles) {
    reader.problem = "the version or the profiles are missing";
    return damaged(where, reader);
  }
  return profiles;
}

}  // namespace notion_mcp::keychain
