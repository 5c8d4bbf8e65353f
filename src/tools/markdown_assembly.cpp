#include "tools/markdown_assembly.h"

#include <algorithm>

namespace notion_mcp::tools {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string undashed(std::string_view id) {
  std::string out;
  for (char c : id) {
    if (c != '-') out.push_back(c);
  }
  return out;
}

struct Line {
  size_t start;
  size_t end;
};

// The line around `pos` if it is a lone tag ("<unknown url=.../>"), which is how a left-out
// block shows in the text; a mention inside a sentence is not a placeholder.
std::optional<Line> tag_line_at(std::string_view text, size_t pos) {
  size_t start = text.rfind('\n', pos);
  start = start == std::string_view::npos ? 0 : start + 1;
  size_t end = text.find('\n', pos);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = text.substr(start, end - start);
  while (!line.empty() && is_space(line.front())) line.remove_prefix(1);
  while (!line.empty() && (is_space(line.back()) || line.back() == '\r')) line.remove_suffix(1);
  if (line.size() < 2 || line.front() != '<' || line.back() != '>') return std::nullopt;
  return Line{start, end};
}

std::optional<Line> find_placeholder(std::string_view text, std::string_view id, size_t from,
                                     size_t to) {
  for (const std::string& needle : {std::string(id), undashed(id)}) {
    if (needle.empty()) continue;
    size_t pos = text.find(needle, from);
    while (pos != std::string_view::npos && pos + needle.size() <= to) {
      if (auto line = tag_line_at(text, pos)) return line;
      pos = text.find(needle, pos + 1);
    }
  }
  return std::nullopt;
}

std::string indent_lines(std::string_view chunk, std::string_view indent) {
  std::string out;
  size_t pos = 0;
  while (pos < chunk.size()) {
    size_t end = chunk.find('\n', pos);
    if (end == std::string_view::npos) end = chunk.size();
    if (end > pos) out.append(indent);
    out.append(chunk.substr(pos, end - pos));
    if (end < chunk.size()) out.push_back('\n');
    pos = end + 1;
  }
  return out;
}

std::string_view trim_newlines(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  while (!s.empty() && s.front() == '\n') s.remove_prefix(1);
  return s;
}

}  // namespace

MarkdownAssembly::MarkdownAssembly(std::string markdown, const util::Json& unknown_block_ids)
    : markdown_(std::move(markdown)) {
  add_pending(unknown_block_ids, 0, markdown_.size());
}

void MarkdownAssembly::add_pending(const util::Json& ids, size_t from, size_t to) {
  if (!ids.is_array()) return;
  for (const util::Json& id : ids) {
    if (!id.is_string()) continue;
    Pending p;
    p.id = id.get<std::string>();
    bool known = std::any_of(pending_.begin(), pending_.end(),
                             [&](const Pending& other) { return other.id == p.id; });
    if (known) continue;
    if (auto line = find_placeholder(markdown_, p.id, from, to)) {
      p.in_place = true;
      p.line_start = line->start;
      p.line_end = line->end;
    }
    pending_.push_back(std::move(p));
  }
}

std::optional<MarkdownAssembly::Next> MarkdownAssembly::next() const {
  const Pending* best = nullptr;
  for (const Pending& p : pending_) {
    // Placeholders in text order first; appended blocks after them, first come first.
    if (!best || (p.in_place && (!best->in_place || p.line_start < best->line_start))) best = &p;
  }
  if (!best) return std::nullopt;
  return Next{best->id, best->in_place ? best->line_start : markdown_.size()};
}

void MarkdownAssembly::fill(const std::string& block_id, std::string_view markdown,
                            const util::Json& unknown_block_ids) {
  auto it = std::find_if(pending_.begin(), pending_.end(),
                         [&](const Pending& p) { return p.id == block_id; });
  if (it == pending_.end()) return;
  Pending filled = *it;
  pending_.erase(it);
  std::string_view chunk = trim_newlines(markdown);

  size_t start;
  size_t length;
  if (filled.in_place) {
    std::string_view line(markdown_.data() + filled.line_start,
                          filled.line_end - filled.line_start);
    size_t indent_size = 0;
    while (indent_size < line.size() && is_space(line[indent_size])) ++indent_size;
    std::string replacement = indent_lines(chunk, line.substr(0, indent_size));
    markdown_.replace(filled.line_start, filled.line_end - filled.line_start, replacement);
    start = filled.line_start;
    length = replacement.size();
    // Everything after the placeholder moved by the difference in length.
    size_t old_end = filled.line_end;
    for (Pending& p : pending_) {
      if (p.in_place && p.line_start >= old_end) {
        p.line_start = p.line_start + length - (old_end - filled.line_start);
        p.line_end = p.line_end + length - (old_end - filled.line_start);
      }
    }
  } else {
    if (!markdown_.empty() && markdown_.back() != '\n') markdown_.push_back('\n');
    start = markdown_.size();
    markdown_.append(chunk);
    length = chunk.size();
  }
  add_pending(unknown_block_ids, start, start + length);
}

void MarkdownAssembly::drop(const std::string& block_id) {
  std::erase_if(pending_, [&](const Pending& p) { return p.id == block_id; });
}

ContentWindow content_window(std::string_view text, size_t offset, size_t max_chars) {
  auto continuation = [&](size_t i) {
    return i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
  };
  ContentWindow w;
  w.begin = std::min(offset, text.size());
  while (continuation(w.begin)) ++w.begin;
  if (text.size() - w.begin <= max_chars) {
    w.end = text.size();
    return w;
  }
  w.more = true;
  w.end = w.begin + max_chars;
  // End after a newline in the second half of the window, so lines stay whole.
  size_t newline = text.rfind('\n', w.end - 1);
  if (newline != std::string_view::npos && newline + 1 > w.begin + max_chars / 2) {
    w.end = newline + 1;
  }
  while (w.end > w.begin && continuation(w.end)) --w.end;
  if (w.end == w.begin) w.end = w.begin + 1;  // never stall on a tiny window
  while (continuation(w.end)) ++w.end;
  return w;
}

}  // namespace notion_mcp::tools
