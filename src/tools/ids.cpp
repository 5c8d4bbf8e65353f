#include "tools/ids.h"

#include <cctype>

namespace notion_mcp::tools {
namespace {

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

bool all_hex(std::string_view s) {
  for (char c : s) {
    if (!is_hex(c)) return false;
  }
  return true;
}

// "8-4-4-4-12" hex groups; returns the 32 hex digits without dashes, or empty.
std::string undash(std::string_view s) {
  if (s.size() != 36) return {};
  std::string hex;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_here != (s[i] == '-')) return {};
    if (!dash_here) {
      if (!is_hex(s[i])) return {};
      hex.push_back(s[i]);
    }
  }
  return hex;
}

// `host` is `domain` or one of its subdomains (case-insensitive).
bool host_in(std::string_view host, std::string_view domain) {
  if (host.size() < domain.size()) return false;
  std::string_view tail = host.substr(host.size() - domain.size());
  for (size_t i = 0; i < tail.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(tail[i])) != domain[i]) return false;
  }
  return host.size() == domain.size() || host[host.size() - domain.size() - 1] == '.';
}

// The id at the end of one path segment or bare string: "<uuid>", "<32 hex>" or "Title-<32 hex>".
std::string id_in_segment(std::string_view segment) {
  if (segment.size() >= 36) {
    std::string hex = undash(segment.substr(segment.size() - 36));
    if (!hex.empty() && (segment.size() == 36 || segment[segment.size() - 37] == '-')) {
      return dashed_uuid(hex);
    }
  }
  if (segment.size() >= 32) {
    std::string_view tail = segment.substr(segment.size() - 32);
    if (all_hex(tail) && (segment.size() == 32 || segment[segment.size() - 33] == '-')) {
      return dashed_uuid(tail);
    }
  }
  return {};
}

util::Error not_an_id(std::string_view input) {
  std::string shown(input.substr(0, 120));
  if (input.size() > 120) shown += "...";
  return util::make_error(
      "invalid_id",
      "'" + shown + "' is not a Notion id or URL; pass the page's URL or its " + "32-character id.",
      "Copy the link from Notion (Share → Copy link) or take an id from the "
      "results of search.");
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  // Ids are often pasted with quotes or angle brackets around them.
  while (s.size() >= 2 && (s.front() == '"' || s.front() == '\'' || s.front() == '<') &&
         (s.back() == '"' || s.back() == '\'' || s.back() == '>')) {
    s = s.substr(1, s.size() - 2);
  }
  return s;
}

// The value of `name` in a query string ("v=...&p=..."), or empty.
std::string_view query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

enum class Prefer { kPath, kPeekPage, kBlock };

util::Result<std::string> pick(std::string_view raw, const util::Result<IdsInInput>& ids,
                               Prefer prefer) {
  if (!ids.ok()) return ids.error();
  if (prefer == Prefer::kBlock && !ids->block.empty()) return ids->block;
  if (prefer != Prefer::kPath && !ids->peek_page.empty()) return ids->peek_page;
  if (ids->path.empty()) return not_an_id(raw);
  return ids->path;
}

}  // namespace

util::Result<IdsInInput> ids_in(std::string_view raw) {
  std::string_view input = trim(raw);
  if (input.empty()) return not_an_id(raw);
  IdsInInput ids;
  if (input.find('/') == std::string_view::npos) {
    ids.path = id_in_segment(input);
    if (ids.path.empty()) return not_an_id(raw);
    return ids;
  }

  // A URL, with or without its scheme.
  std::string_view rest = input;
  if (size_t scheme = rest.find("://"); scheme != std::string_view::npos) {
    rest.remove_prefix(scheme + 3);
  }
  size_t slash = rest.find('/');
  std::string_view host = rest.substr(0, slash);
  if (size_t at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  if (size_t colon = host.find(':'); colon != std::string_view::npos) host = host.substr(0, colon);
  bool notion_host =
      host_in(host, "notion.so") || host_in(host, "notion.site") || host_in(host, "notion.com");
  if (!notion_host) {
    std::string shown(input.substr(0, 120));
    return util::make_error("invalid_id",
                            "'" + shown + "' is not a Notion URL (notion.so or notion.site); " +
                                "pass the page's URL or its 32-character id.",
                            "Copy the link from Notion (Share → Copy link) or take an id from the "
                            "results of search.");
  }
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);

  std::string_view fragment;
  if (size_t hash = path.find('#'); hash != std::string_view::npos) {
    fragment = path.substr(hash + 1);
    path = path.substr(0, hash);
  }
  std::string_view query;
  if (size_t mark = path.find('?'); mark != std::string_view::npos) {
    query = path.substr(mark + 1);
    path = path.substr(0, mark);
  }

  ids.block = id_in_segment(fragment);
  ids.peek_page = id_in_segment(query_value(query, "p"));
  // The path's id sits at the end of the last non-empty segment.
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  ids.path = id_in_segment(path.substr(path.rfind('/') + 1));
  if (ids.path.empty() && ids.peek_page.empty() && ids.block.empty()) return not_an_id(raw);
  return ids;
}

std::string dashed_uuid(std::string_view hex) {
  if (hex.size() != 32 || !all_hex(hex)) return {};
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out.push_back('-');
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(hex[i]))));
  }
  return out;
}

util::Result<std::string> parse_notion_id(std::string_view input) {
  return pick(input, ids_in(input), Prefer::kPath);
}

util::Result<std::string> parse_page_id(std::string_view input) {
  return pick(input, ids_in(input), Prefer::kPeekPage);
}

util::Result<std::string> parse_block_id(std::string_view input) {
  return pick(input, ids_in(input), Prefer::kBlock);
}

}  // namespace notion_mcp::tools
