#include "demo/markdown_inline.h"

#include <map>
#include <optional>
#include <vector>

#include "demo/str_cat.h"

namespace notion_mcp::demo {
namespace {

using util::Json;

bool is_escapable(char c) {
  switch (c) {
    case '\\':
    case '*':
    case '~':
    case '`':
    case '$':
    case '[':
    case ']':
    case '<':
    case '>':
    case '{':
    case '}':
    case '|':
    case '^':
    case '_':
    case '#':
    case '(':
    case ')':
    case '-':
    case '!':
      return true;
    default:
      return false;
  }
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// An XML-like tag such as <span color="red"> or <mention-page url="..."/>.
struct Tag {
  std::string name;  // "/span" for a closing tag
  std::map<std::string, std::string> attributes;
  bool self_closing = false;
  size_t end = 0;  // index just past '>'
};

std::optional<Tag> parse_tag(std::string_view s, size_t pos) {
  if (pos >= s.size() || s[pos] != '<') return std::nullopt;
  Tag tag;
  size_t i = pos + 1;
  while (i < s.size() && (is_word_char(s[i]) || s[i] == '-' || s[i] == '/' || s[i] == '_')) {
    tag.name.push_back(s[i++]);
  }
  if (tag.name.empty()) return std::nullopt;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size()) return std::nullopt;
    if (s[i] == '>') {
      tag.end = i + 1;
      return tag;
    }
    if (s[i] == '/' && i + 1 < s.size() && s[i + 1] == '>') {
      tag.self_closing = true;
      tag.end = i + 2;
      return tag;
    }
    std::string key;
    while (i < s.size() && (is_word_char(s[i]) || s[i] == '-' || s[i] == '_'))
      key.push_back(s[i++]);
    if (key.empty() || i + 1 >= s.size() || s[i] != '=' || s[i + 1] != '"') return std::nullopt;
    i += 2;
    size_t close = s.find('"', i);
    if (close == std::string_view::npos) return std::nullopt;
    tag.attributes[key] = std::string(s.substr(i, close - i));
    i = close + 1;
  }
  return std::nullopt;
}

class InlineParser {
 public:
  InlineParser(std::string_view text, const MentionResolver& resolver)
      : text_(text), resolver_(resolver) {}

  Json run() {
    parse_range(0, text_.size());
    flush();
    Json out(Json::value_t::array);
    auto& items = *out.get_ptr<Json::array_t*>();
    items.reserve(segments_.size());
    for (Segment& segment : segments_) {
      items.push_back(segment.item.is_null()
                          ? text_item(segment.text, segment.annotations, segment.href)
                          : std::move(segment.item));
    }
    return out;
  }

 private:
  // A run of text with one style, or a finished non-text item (mention, equation, code).
  struct Segment {
    std::string text;
    Annotations annotations;
    std::string href;
    Json item;
  };

  void flush() {
    if (buffer_.empty()) return;
    // Merge with the previous run when only the text differs.
    if (!segments_.empty()) {
      Segment& last = segments_.back();
      if (last.item.is_null() && last.annotations == current_ && last.href == href_) {
        last.text += buffer_;
        buffer_.clear();
        return;
      }
    }
    segments_.push_back(Segment{std::move(buffer_), current_, href_, Json()});
    buffer_.clear();
  }

  void push_item(Json item) { segments_.push_back(Segment{{}, {}, {}, std::move(item)}); }

  // Toggles a paired marker (** ~~ * _) when it can open or close here.
  bool toggle(size_t& i, size_t end, std::string_view marker, bool& flag) {
    const size_t after = i + marker.size();
    if (flag) {
      if (i > 0 && is_space(text_[i - 1])) return false;
      if (marker == "_" && after < end && is_word_char(text_[after])) return false;
      flush();
      flag = false;
      i = after;
      return true;
    }
    if (after >= end || is_space(text_[after])) return false;
    if (marker == "_" && i > 0 && is_word_char(text_[i - 1])) return false;
    const size_t close = text_.substr(0, end).find(marker, after);
    if (close == std::string_view::npos) return false;
    flush();
    flag = true;
    i = after;
    return true;
  }

  void parse_range(size_t begin, size_t end) {
    size_t i = begin;
    while (i < end) {
      const char c = text_[i];
      if (c == '\\' && i + 1 < end && is_escapable(text_[i + 1])) {
        buffer_.push_back(text_[i + 1]);
        i += 2;
        continue;
      }
      if (c == '`') {
        size_t close = text_.substr(0, end).find('`', i + 1);
        if (close != std::string_view::npos && close > i + 1) {
          flush();
          Annotations code = current_;
          code.code = true;
          push_item(text_item(text_.substr(i + 1, close - i - 1), code, href_));
          i = close + 1;
          continue;
        }
      }
      if (c == '$' && i + 1 < end && text_[i + 1] != '$' && !is_space(text_[i + 1])) {
        size_t close = text_.substr(0, end).find('$', i + 1);
        if (close != std::string_view::npos && !is_space(text_[close - 1])) {
          flush();
          push_item(equation_item(text_.substr(i + 1, close - i - 1), current_));
          i = close + 1;
          continue;
        }
      }
      if (text_.substr(i, 2) == "**" && toggle(i, end, "**", current_.bold)) continue;
      if (text_.substr(i, 2) == "~~" && toggle(i, end, "~~", current_.strikethrough)) continue;
      if (c == '*' && toggle(i, end, "*", current_.italic)) continue;
      if (c == '_' && toggle(i, end, "_", current_.italic)) continue;
      if (c == '[' && parse_link(i, end)) continue;
      if (c == '<' && parse_html(i, end)) continue;
      buffer_.push_back(c);
      ++i;
    }
  }

  bool parse_link(size_t& i, size_t end) {
    // Find the "](" that closes this bracket, skipping escaped characters.
    size_t depth = 0, j = i + 1;
    for (; j < end; ++j) {
      if (text_[j] == '\\') {
        ++j;
        continue;
      }
      if (text_[j] == '[') ++depth;
      if (text_[j] == ']') {
        if (depth == 0) break;
        --depth;
      }
    }
    if (j + 1 >= end || text_[j + 1] != '(') return false;
    const size_t close = text_.substr(0, end).find(')', j + 2);
    if (close == std::string_view::npos) return false;
    flush();
    const std::string saved = href_;
    href_ = std::string(text_.substr(j + 2, close - j - 2));
    parse_range(i + 1, j);
    flush();
    href_ = saved;
    i = close + 1;
    return true;
  }

  bool parse_html(size_t& i, size_t end) {
    auto tag = parse_tag(text_.substr(0, end), i);
    if (!tag) return false;
    if (tag->name == "br") {
      buffer_.push_back('\n');
      i = tag->end;
      return true;
    }
    if (tag->name == "span") {
      flush();
      span_stack_.push_back(current_);
      if (tag->attributes.count("underline")) current_.underline = true;
      if (auto it = tag->attributes.find("color"); it != tag->attributes.end()) {
        current_.color = it->second;
      }
      i = tag->end;
      return true;
    }
    if (tag->name == "/span" && !span_stack_.empty()) {
      flush();
      current_ = span_stack_.back();
      span_stack_.pop_back();
      i = tag->end;
      return true;
    }
    if (tag->name == "mention-date") {
      flush();
      push_item(date_mention_item(tag->attributes["start"], current_));
      i = skip_closing(*tag, end);
      return true;
    }
    if (tag->name == "mention-page" || tag->name == "mention-user" ||
        tag->name == "mention-database") {
      Json item = resolver_ ? resolver_(tag->name, tag->attributes["url"], current_) : Json();
      if (item.is_null()) return false;
      flush();
      push_item(std::move(item));
      i = skip_closing(*tag, end);
      return true;
    }
    return false;
  }

  // For <mention-x ...>text</mention-x>, skips the text and the closing tag.
  size_t skip_closing(const Tag& tag, size_t end) {
    if (tag.self_closing) return tag.end;
    const std::string closing = "</" + tag.name + ">";
    const size_t close = text_.substr(0, end).find(closing, tag.end);
    return close == std::string_view::npos ? tag.end : close + closing.size();
  }

  std::string_view text_;
  const MentionResolver& resolver_;
  std::vector<Segment> segments_;
  std::string buffer_;
  Annotations current_;
  std::string href_;
  std::vector<Annotations> span_stack_;
};

// Appending into a fresh string sidesteps a GCC 12 -Wrestrict false positive on "x" + s + "x".
void wrap(std::string& text, std::string_view open, std::string_view close) {
  std::string out;
  out.reserve(open.size() + text.size() + close.size());
  out.append(open);
  out.append(text);
  out.append(close);
  text = std::move(out);
}

std::string render_core(const Json& item) {
  const std::string type = util::string_or(item, "type");
  if (type == "equation") {
    return cat({"$", util::string_or(item.value("equation", Json::object()), "expression"), "$"});
  }
  if (type == "mention") {
    const Json& mention = item.value("mention", Json::object());
    const std::string kind = util::string_or(mention, "type");
    if (kind == "page" || kind == "database") {
      return cat({"<mention-", kind, " url=\"", util::string_or(item, "href"), "\"/>"});
    }
    if (kind == "user") {
      return cat({"<mention-user url=\"user://",
                  util::string_or(mention.value("user", Json::object()), "id"), "\"/>"});
    }
    if (kind == "date") {
      return cat({"<mention-date start=\"",
                  util::string_or(mention.value("date", Json::object()), "start"), "\"/>"});
    }
    return escape_markdown(util::string_or(item, "plain_text"));
  }
  std::string content = util::string_or(item, "plain_text");
  std::string out;
  for (char c : escape_markdown(content)) {
    if (c == '\n') {
      out += "<br>";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string escape_markdown(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\\':
      case '*':
      case '~':
      case '`':
      case '$':
      case '[':
      case ']':
      case '<':
      case '>':
      case '{':
      case '}':
      case '|':
      case '^':
        out.push_back('\\');
        break;
      default:
        break;
    }
    out.push_back(c);
  }
  return out;
}

Json parse_inline(std::string_view markdown, const MentionResolver& resolver) {
  return InlineParser(markdown, resolver).run();
}

std::string render_inline(const Json& rich_text) {
  std::string out;
  if (!rich_text.is_array()) return out;
  for (const Json& item : rich_text) {
    const Annotations a = annotations_from_json(item.value("annotations", Json::object()));
    const bool is_text = util::string_or(item, "type") == "text";
    std::string core;
    if (is_text && a.code) {
      core = cat({"`", util::string_or(item, "plain_text"), "`"});
    } else {
      core = render_core(item);
    }
    // Markers must hug the text: move surrounding spaces outside them.
    size_t lead = 0, trail = 0;
    if (!(is_text && a.code)) {
      while (lead < core.size() && core[lead] == ' ') ++lead;
      while (trail < core.size() - lead && core[core.size() - 1 - trail] == ' ') ++trail;
    }
    std::string inner = core.substr(lead, core.size() - lead - trail);
    if (!inner.empty()) {
      if (a.strikethrough) wrap(inner, "~~", "~~");
      if (a.italic) wrap(inner, "*", "*");
      if (a.bold) wrap(inner, "**", "**");
      if (a.underline) wrap(inner, "<span underline=\"true\">", "</span>");
      if (a.color != "default") wrap(inner, "<span color=\"" + a.color + "\">", "</span>");
      const std::string href = util::string_or(item, "href");
      if (is_text && !href.empty()) wrap(inner, "[", "](" + href + ")");
    }
    out.append(lead, ' ');
    out += inner;
    out.append(trail, ' ');
  }
  return out;
}

}  // namespace notion_mcp::demo
