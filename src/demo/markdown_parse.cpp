#include "demo/markdown_parse.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>

#include "demo/markdown_inline.h"
#include "demo/mentions.h"
#include "demo/rich_text.h"
#include "demo/str_cat.h"

namespace notion_mcp::demo {

namespace {

using util::Json;

struct Line {
  int indent = 0;         // leading tabs
  std::string_view text;  // without the leading tabs and trailing spaces / CR
  std::string_view raw;
};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// "red_bg" -> "red_background", the API's spelling.
std::string api_color(std::string_view color) {
  constexpr std::string_view kSuffix = "_bg";
  if (color.size() > kSuffix.size() && color.substr(color.size() - kSuffix.size()) == kSuffix) {
    return cat({color.substr(0, color.size() - kSuffix.size()), "_background"});
  }
  return std::string(color);
}

// key="value" pairs in `text`.
std::map<std::string, std::string> attributes(std::string_view text) {
  std::map<std::string, std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t eq = text.find("=\"", i);
    if (eq == std::string_view::npos) break;
    size_t key_start = eq;
    while (key_start > 0 && (std::isalnum(static_cast<unsigned char>(text[key_start - 1])) ||
                             text[key_start - 1] == '-' || text[key_start - 1] == '_')) {
      --key_start;
    }
    const size_t close = text.find('"', eq + 2);
    if (close == std::string_view::npos) break;
    out[std::string(text.substr(key_start, eq - key_start))] =
        std::string(text.substr(eq + 2, close - eq - 2));
    i = close + 1;
  }
  return out;
}

// Splits a trailing {color="..." toggle="true"} attribute list off a line.
std::map<std::string, std::string> take_trailing_attributes(std::string_view& text) {
  if (text.empty() || text.back() != '}') return {};
  const size_t open = text.rfind(" {");
  if (open == std::string_view::npos) return {};
  const std::string_view inside = text.substr(open + 2, text.size() - open - 3);
  if (inside.find("=\"") == std::string_view::npos) return {};
  auto out = attributes(inside);
  text = text.substr(0, open);
  return out;
}

// The text between `open` and `close` in `text` ("<summary>x</summary>" -> "x").
std::string_view between(std::string_view text, std::string_view open, std::string_view close) {
  const size_t start = text.find(open);
  if (start == std::string_view::npos) return {};
  const size_t end = text.find(close, start + open.size());
  if (end == std::string_view::npos) return text.substr(start + open.size());
  return text.substr(start + open.size(), end - start - open.size());
}

class Parser {
 public:
  Parser(std::string_view markdown, const Store& store)
      : store_(store), resolver_(mention_resolver(store)) {
    size_t start = 0;
    while (start <= markdown.size()) {
      size_t end = markdown.find('\n', start);
      if (end == std::string_view::npos) end = markdown.size();
      std::string_view raw = markdown.substr(start, end - start);
      if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
      Line line;
      line.raw = raw;
      size_t tabs = 0;
      while (tabs < raw.size() && raw[tabs] == '\t') ++tabs;
      line.indent = static_cast<int>(tabs);
      std::string_view text = raw.substr(tabs);
      while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
      line.text = text;
      lines_.push_back(line);
      if (end == markdown.size()) break;
      start = end + 1;
    }
  }

  std::vector<NewBlock> run() { return parse_level(0); }

 private:
  static bool is_closing(std::string_view text) {
    return text == "</details>" || text == "</callout>" || text == "</column>" ||
           text == "</columns>" || text == "</table>" || text == ":::";
  }

  std::vector<NewBlock> parse_level(int indent) {
    std::vector<NewBlock> out;
    while (i_ < lines_.size()) {
      const Line& line = lines_[i_];
      if (line.text.empty()) {
        ++i_;
        continue;
      }
      if (line.indent < indent || is_closing(line.text)) break;
      if (line.indent > indent && !out.empty() &&
          supports_children(out.back().type, out.back().content)) {
        auto children = parse_level(line.indent);
        for (auto& child : children) out.back().children.push_back(std::move(child));
        continue;
      }
      auto block = parse_block();
      if (block) out.push_back(std::move(*block));
    }
    return out;
  }

  // Children of a container opened at `indent`: indented lines, or (leniently) lines at the
  // same level up to the closing tag.
  std::vector<NewBlock> container_children(int indent) {
    while (i_ < lines_.size() && lines_[i_].text.empty()) ++i_;
    if (i_ >= lines_.size()) return {};
    const Line& next = lines_[i_];
    if (next.indent > indent) return parse_level(next.indent);
    if (next.indent == indent && !is_closing(next.text)) return parse_level(indent);
    return {};
  }

  void expect_closing(int indent, std::string_view closing) {
    while (i_ < lines_.size() && lines_[i_].text.empty()) ++i_;
    if (i_ < lines_.size() && lines_[i_].text == closing && lines_[i_].indent <= indent + 1) ++i_;
  }

  Json rich(std::string_view text) const { return parse_inline(text, resolver_); }

  NewBlock text_block(std::string type, std::string_view text,
                      const std::map<std::string, std::string>& attrs) const {
    NewBlock block;
    block.type = std::move(type);
    block.content = Json{{"rich_text", rich(text)}, {"color", "default"}};
    if (auto it = attrs.find("color"); it != attrs.end()) {
      block.content["color"] = api_color(it->second);
    }
    return block;
  }

  std::optional<NewBlock> parse_block() {
    const Line line = lines_[i_++];
    std::string_view text = line.text;
    const int indent = line.indent;

    if (starts_with(text, "```")) return code_block(text.substr(3), indent);
    if (text == "$$") {
      std::string expression;
      while (i_ < lines_.size() && lines_[i_].text != "$$") {
        if (!expression.empty()) expression += '\n';
        expression += lines_[i_++].text;
      }
      if (i_ < lines_.size()) ++i_;
      NewBlock block;
      block.type = "equation";
      block.content = Json{{"expression", expression}};
      return block;
    }
    if (starts_with(text, "<details")) return toggle_block(text, indent);
    if (starts_with(text, "<callout")) return callout_block(attributes(text), indent, "</callout>");
    if (starts_with(text, "::: callout") || starts_with(text, ":::callout")) {
      return callout_block(attributes(text), indent, ":::");
    }
    if (text == "<table>" || starts_with(text, "<table ")) return table_block(text, indent);
    if (text == "<columns>") return columns_block(indent);
    if (starts_with(text, "<page ") || starts_with(text, "<database ")) return reference(text);
    if (text == "<empty-block/>") {
      NewBlock block = text_block("paragraph", "", {});
      return block;
    }
    if (starts_with(text, "<table_of_contents")) {
      NewBlock block;
      block.type = "table_of_contents";
      block.content = Json{{"color", "default"}};
      return block;
    }
    for (const std::string_view media : {"file", "pdf", "audio", "video"}) {
      const std::string open = cat({"<", media, " "});
      const std::string close = cat({"</", media, ">"});
      const size_t end_of_open = text.find('>');
      if (!starts_with(text, open) || end_of_open == std::string_view::npos) continue;
      const auto attrs = attributes(text.substr(0, end_of_open));
      const auto src = attrs.find("src");
      if (src == attrs.end() || src->second.empty()) continue;
      std::string_view caption = text.substr(end_of_open + 1);
      if (caption.size() >= close.size() &&
          caption.substr(caption.size() - close.size()) == close) {
        caption.remove_suffix(close.size());
      }
      NewBlock block;
      block.type = std::string(media);
      block.content = Json{
          {"type", "external"}, {"external", {{"url", src->second}}}, {"caption", rich(caption)}};
      return block;
    }
    if (starts_with(text, "<unknown ")) return std::nullopt;  // not representable
    if (text.size() >= 3 && text.find_first_not_of('-') == std::string_view::npos) {
      NewBlock block;
      block.type = "divider";
      return block;
    }
    if (text == "***" || text == "___") {
      NewBlock block;
      block.type = "divider";
      return block;
    }
    auto attrs = take_trailing_attributes(text);
    if (text[0] == '#') {
      const size_t hashes = text.find_first_not_of('#');
      if (hashes != std::string_view::npos && hashes <= 6 && text[hashes] == ' ') {
        const int level = std::min<int>(static_cast<int>(hashes), 4);
        NewBlock block =
            text_block("heading_" + std::to_string(level), text.substr(hashes + 1), attrs);
        block.content["is_toggleable"] = attrs.count("toggle") && attrs["toggle"] == "true";
        return block;
      }
    }
    for (std::string_view box : {"- [ ] ", "- [x] ", "- [X] ", "* [ ] ", "* [x] "}) {
      if (starts_with(text, box) || text == box.substr(0, 5)) {
        NewBlock block = text_block("to_do", text.size() > 6 ? text.substr(6) : "", attrs);
        block.content["checked"] = box[3] != ' ';
        return block;
      }
    }
    if (starts_with(text, "- ") || starts_with(text, "* ") || starts_with(text, "+ ")) {
      return text_block("bulleted_list_item", text.substr(2), attrs);
    }
    if (text == "-") return text_block("bulleted_list_item", "", attrs);
    const size_t digits = text.find_first_not_of("0123456789");
    if (digits != std::string_view::npos && digits > 0 && starts_with(text.substr(digits), ". ")) {
      return text_block("numbered_list_item", text.substr(digits + 2), attrs);
    }
    if (starts_with(text, "> ") || text == ">") {
      return text_block("quote", text.size() > 2 ? text.substr(2) : "", attrs);
    }
    if (starts_with(text, "![") && text.back() == ')') {
      const size_t middle = text.find("](");
      if (middle != std::string_view::npos) {
        NewBlock block;
        block.type = "image";
        block.content = Json{
            {"type", "external"},
            {"external", {{"url", std::string(text.substr(middle + 2, text.size() - middle - 3))}}},
            {"caption", rich(text.substr(2, middle - 2))}};
        return block;
      }
    }
    return text_block("paragraph", text, attrs);
  }

  NewBlock code_block(std::string_view language, int indent) {
    std::string code;
    bool first = true;
    while (i_ < lines_.size()) {
      const Line& line = lines_[i_];
      if (line.text == "```" && line.indent <= indent) break;
      std::string_view raw = line.raw;
      for (int t = 0; t < indent && !raw.empty() && raw[0] == '\t'; ++t) raw.remove_prefix(1);
      if (!first) code += '\n';
      code += raw;
      first = false;
      ++i_;
    }
    if (i_ < lines_.size()) ++i_;  // the closing fence
    NewBlock block;
    block.type = "code";
    block.content = Json{{"rich_text", plain_rich_text(code)},
                         {"caption", Json::array()},
                         {"language", language.empty() ? "plain text" : std::string(language)}};
    return block;
  }

  NewBlock toggle_block(std::string_view text, int indent) {
    auto attrs = attributes(text);
    std::string_view summary = between(text, "<summary>", "</summary>");
    if (text.find("<summary>") == std::string_view::npos && i_ < lines_.size() &&
        starts_with(lines_[i_].text, "<summary>")) {
      summary = between(lines_[i_++].text, "<summary>", "</summary>");
    }
    NewBlock block = text_block("toggle", summary, attrs);
    block.children = container_children(indent);
    expect_closing(indent, "</details>");
    return block;
  }

  NewBlock callout_block(std::map<std::string, std::string> attrs, int indent,
                         std::string_view closing) {
    NewBlock block;
    block.type = "callout";
    block.content =
        Json{{"rich_text", Json::array()},
             {"color", api_color(attrs.count("color") ? attrs["color"] : "gray_bg")},
             {"icon", attrs.count("icon") ? Json{{"type", "emoji"}, {"emoji", attrs["icon"]}}
                                          : Json(nullptr)}};
    std::vector<NewBlock> inner = container_children(indent);
    // The first paragraph inside is the callout's own text.
    if (!inner.empty() && inner.front().type == "paragraph") {
      block.content["rich_text"] = std::move(inner.front().content["rich_text"]);
      for (auto& child : inner.front().children) block.children.push_back(std::move(child));
      inner.erase(inner.begin());
    }
    for (auto& child : inner) block.children.push_back(std::move(child));
    expect_closing(indent, closing);
    return block;
  }

  NewBlock table_block(std::string_view first, int indent) {
    const auto attrs = attributes(first);
    std::string body;
    while (i_ < lines_.size()) {
      const Line& line = lines_[i_++];
      if (line.text == "</table>" && line.indent <= indent + 1) break;
      body += line.text;
    }
    std::vector<Json> rows;
    size_t width = 1;
    size_t pos = 0;
    while ((pos = body.find("<tr", pos)) != std::string::npos) {
      const size_t end = body.find("</tr>", pos);
      const std::string_view row(body.data() + pos,
                                 (end == std::string::npos ? body.size() : end) - pos);
      Json cells = Json::array();
      size_t cell = 0;
      while ((cell = row.find("<td", cell)) != std::string_view::npos) {
        const size_t open_end = row.find('>', cell);
        const size_t close = row.find("</td>", open_end);
        if (open_end == std::string_view::npos || close == std::string_view::npos) break;
        cells.push_back(rich(row.substr(open_end + 1, close - open_end - 1)));
        cell = close + 5;
      }
      width = std::max(width, cells.size());
      rows.push_back(std::move(cells));
      if (end == std::string::npos) break;
      pos = end + 5;
    }
    NewBlock table;
    table.type = "table";
    table.content = Json{
        {"table_width", width},
        {"has_column_header", attrs.count("header-row") && attrs.at("header-row") == "true"},
        {"has_row_header", attrs.count("header-column") && attrs.at("header-column") == "true"}};
    for (Json& cells : rows) {
      while (cells.size() < width) cells.push_back(Json::array());
      NewBlock row;
      row.type = "table_row";
      row.content = Json{{"cells", std::move(cells)}};
      table.children.push_back(std::move(row));
    }
    return table;
  }

  NewBlock columns_block(int indent) {
    NewBlock list;
    list.type = "column_list";
    while (i_ < lines_.size()) {
      const Line& line = lines_[i_];
      if (line.text.empty()) {
        ++i_;
        continue;
      }
      if (line.text == "</columns>") {
        ++i_;
        break;
      }
      if (line.text != "<column>" || line.indent < indent) break;
      ++i_;
      NewBlock column;
      column.type = "column";
      column.children = container_children(line.indent);
      expect_closing(line.indent, "</column>");
      list.children.push_back(std::move(column));
    }
    const double ratio =
        list.children.empty() ? 1.0 : 1.0 / static_cast<double>(list.children.size());
    for (NewBlock& column : list.children) column.content = Json{{"width_ratio", ratio}};
    return list;
  }

  std::optional<NewBlock> reference(std::string_view text) {
    const bool is_page = starts_with(text, "<page ");
    const auto attrs = attributes(text.substr(0, text.find('>')));
    const auto url = attrs.find("url");
    const auto id = url == attrs.end() ? std::nullopt : id_from_url(url->second);
    if (id && ((is_page && store_.page(*id)) || (!is_page && store_.database(*id)))) {
      NewBlock block;
      block.type = is_page ? "child_page" : "child_database";
      block.existing_id = *id;
      return block;
    }
    // Not a page we know: keep its title as text.
    const std::string_view title =
        between(text, ">", is_page ? std::string_view("</page>") : std::string_view("</database>"));
    return text_block("paragraph", title, {});
  }

  const Store& store_;
  MentionResolver resolver_;
  std::vector<Line> lines_;
  size_t i_ = 0;
};

}  // namespace

std::vector<NewBlock> parse_markdown(std::string_view markdown, const Store& store) {
  return Parser(markdown, store).run();
}

}  // namespace notion_mcp::demo
