#include "tools/markdown_blocks.h"

#include <array>
#include <cctype>
#include <string>

#include "tools/write_common.h"

namespace notion_mcp::tools {

namespace {

using util::Json;

constexpr size_t kMaxTextItem = 2000;

// ---------------------------------------------------------------------------------------------
// Inline Markdown.

struct Style {
  bool bold = false;
  bool italic = false;
  bool strikethrough = false;
};

class InlineParser {
 public:
  explicit InlineParser(std::string_view text) : text_(text) {}

  Json parse() {
    while (i_ < text_.size()) step();
    flush();
    return std::move(items_);
  }

 private:
  void step() {
    char c = text_[i_];
    if (c == '\\' && i_ + 1 < text_.size() &&
        std::ispunct(static_cast<unsigned char>(text_[i_ + 1]))) {
      pending_.push_back(text_[i_ + 1]);
      i_ += 2;
      return;
    }
    if (c == '`') {
      size_t ticks = run_of('`');
      std::string fence(ticks, '`');
      size_t close = text_.find(fence, i_ + ticks);
      if (close != std::string_view::npos) {
        flush();
        std::string_view code = text_.substr(i_ + ticks, close - i_ - ticks);
        if (code.size() >= 2 && code.front() == ' ' && code.back() == ' ') {
          code = code.substr(1, code.size() - 2);
        }
        emit(code, true);
        i_ = close + ticks;
        return;
      }
    }
    if (c == '$' && i_ + 1 < text_.size() && text_[i_ + 1] != ' ' && text_[i_ + 1] != '$') {
      size_t close = text_.find('$', i_ + 1);
      if (close != std::string_view::npos && text_[close - 1] != ' ') {
        flush();
        items_.push_back(
            {{"type", "equation"},
             {"equation", {{"expression", std::string(text_.substr(i_ + 1, close - i_ - 1))}}}});
        i_ = close + 1;
        return;
      }
    }
    if (c == '[') {
      if (link()) return;
    }
    if (c == '*' && text_.substr(i_, 2) == "**") {
      if (toggle("**", style_.bold)) return;
    } else if (c == '~' && text_.substr(i_, 2) == "~~") {
      if (toggle("~~", style_.strikethrough)) return;
    } else if (c == '*') {
      if (toggle("*", style_.italic)) return;
    } else if (c == '_' && word_boundary()) {
      if (toggle("_", style_.italic)) return;
    }
    pending_.push_back(c);
    ++i_;
  }

  size_t run_of(char c) const {
    size_t n = 0;
    while (i_ + n < text_.size() && text_[i_ + n] == c) ++n;
    return n;
  }

  // `_` marks emphasis only at a word's edge, so snake_case stays as it is.
  bool word_boundary() const {
    bool before = i_ == 0 || !std::isalnum(static_cast<unsigned char>(text_[i_ - 1]));
    bool after = i_ + 1 >= text_.size() || !std::isalnum(static_cast<unsigned char>(text_[i_ + 1]));
    return before || after;
  }

  // Opens a style when a closing marker follows, closes it when open; otherwise the marker is
  // literal text.
  bool toggle(std::string_view marker, bool& flag) {
    if (!flag) {
      size_t close = text_.find(marker, i_ + marker.size());
      if (close == std::string_view::npos || close == i_ + marker.size()) return false;
      if (text_[i_ + marker.size()] == ' ') return false;
    }
    flush();
    flag = !flag;
    i_ += marker.size();
    return true;
  }

  bool link() {
    size_t close = text_.find("](", i_);
    if (close == std::string_view::npos) return false;
    size_t end = text_.find(')', close + 2);
    if (end == std::string_view::npos) return false;
    std::string_view label = text_.substr(i_ + 1, close - i_ - 1);
    std::string_view url = text_.substr(close + 2, end - close - 2);
    if (label.find('[') != std::string_view::npos || url.find(' ') != std::string_view::npos ||
        url.empty()) {
      return false;
    }
    flush();
    // The label keeps its own emphasis.
    Json inner = InlineParser(label).parse();
    for (Json& item : inner) {
      if (item["type"] == "text") item["text"]["link"] = {{"url", std::string(url)}};
      apply_outer(item);
      items_.push_back(std::move(item));
    }
    i_ = end + 1;
    return true;
  }

  void apply_outer(Json& item) const {
    if (!item.contains("annotations")) item["annotations"] = Json::object();
    if (style_.bold) item["annotations"]["bold"] = true;
    if (style_.italic) item["annotations"]["italic"] = true;
    if (style_.strikethrough) item["annotations"]["strikethrough"] = true;
    if (item["annotations"].empty()) item.erase("annotations");
  }

  void flush() {
    if (pending_.empty()) return;
    emit(pending_, false);
    pending_.clear();
  }

  void emit(std::string_view text, bool code) {
    for (std::string_view piece : utf8_pieces(text, kMaxTextItem)) {
      Json item{{"type", "text"}, {"text", {{"content", std::string(piece)}}}};
      Json annotations = Json::object();
      if (style_.bold) annotations["bold"] = true;
      if (style_.italic) annotations["italic"] = true;
      if (style_.strikethrough) annotations["strikethrough"] = true;
      if (code) annotations["code"] = true;
      if (!annotations.empty()) item["annotations"] = std::move(annotations);
      items_.push_back(std::move(item));
    }
  }

  std::string_view text_;
  size_t i_ = 0;
  Style style_;
  std::string pending_;
  Json items_ = Json::array();
};

// ---------------------------------------------------------------------------------------------
// Blocks.

struct Line {
  int indent = 0;         // columns, a tab counting 4
  std::string_view text;  // without the indentation
};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string_view trim_end(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

Line split_line(std::string_view raw) {
  Line line;
  size_t i = 0;
  for (; i < raw.size() && (raw[i] == ' ' || raw[i] == '\t'); ++i) {
    line.indent += raw[i] == '\t' ? 4 : 1;
  }
  line.text = trim_end(raw.substr(i));
  return line;
}

BlockNode text_block(const std::string& type, std::string_view text) {
  BlockNode node;
  node.block = {{"type", type}, {type, {{"rich_text", markdown_rich_text(text)}}}};
  return node;
}

bool supports_children(const BlockNode& node) {
  std::string type = util::string_or(node.block, "type");
  return type == "paragraph" || type == "bulleted_list_item" || type == "numbered_list_item" ||
         type == "to_do" || type == "toggle" || type == "quote" || type == "callout";
}

std::string code_language(std::string_view info) {
  std::string lang;
  for (char c : info.substr(0, info.find(' '))) {
    lang.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  struct Alias {
    std::string_view from, to;
  };
  static constexpr std::array kAliases = {Alias{"", "plain text"},
                                          Alias{"text", "plain text"},
                                          Alias{"txt", "plain text"},
                                          Alias{"plaintext", "plain text"},
                                          Alias{"js", "javascript"},
                                          Alias{"jsx", "javascript"},
                                          Alias{"ts", "typescript"},
                                          Alias{"tsx", "typescript"},
                                          Alias{"py", "python"},
                                          Alias{"sh", "shell"},
                                          Alias{"zsh", "shell"},
                                          Alias{"console", "shell"},
                                          Alias{"yml", "yaml"},
                                          Alias{"cpp", "c++"},
                                          Alias{"cc", "c++"},
                                          Alias{"cxx", "c++"},
                                          Alias{"h", "c"},
                                          Alias{"hpp", "c++"},
                                          Alias{"cs", "c#"},
                                          Alias{"csharp", "c#"},
                                          Alias{"rb", "ruby"},
                                          Alias{"rs", "rust"},
                                          Alias{"md", "markdown"},
                                          Alias{"dockerfile", "docker"},
                                          Alias{"kt", "kotlin"},
                                          Alias{"objc", "objective-c"},
                                          Alias{"golang", "go"},
                                          Alias{"tex", "latex"},
                                          Alias{"ps1", "powershell"},
                                          Alias{"fsharp", "f#"},
                                          Alias{"vb", "visual basic"},
                                          Alias{"proto", "protobuf"},
                                          Alias{"make", "makefile"}};
  for (const Alias& alias : kAliases) {
    if (lang == alias.from) return std::string(alias.to);
  }
  // Notion refuses languages it does not know; these are the ones it does.
  static constexpr std::array<std::string_view, 52> kKnown = {
      "abap",     "arduino",  "bash",       "basic",   "c",    "clojure",     "coffeescript",
      "c++",      "c#",       "css",        "dart",    "diff", "docker",      "elixir",
      "elm",      "erlang",   "flow",       "fortran", "f#",   "gherkin",     "glsl",
      "go",       "graphql",  "groovy",     "haskell", "html", "java",        "javascript",
      "json",     "julia",    "kotlin",     "latex",   "less", "lisp",        "lua",
      "makefile", "markdown", "matlab",     "mermaid", "nix",  "objective-c", "ocaml",
      "perl",     "php",      "powershell", "python",  "r",    "ruby",        "rust",
      "scala",    "shell",    "sql"};
  static constexpr std::array<std::string_view, 9> kMoreKnown = {
      "swift", "typescript", "xml", "yaml", "scss", "sass", "scheme", "protobuf", "visual basic"};
  for (std::string_view known : kKnown) {
    if (lang == known) return lang;
  }
  for (std::string_view known : kMoreKnown) {
    if (lang == known) return lang;
  }
  return "plain text";
}

// Cells of a "| a | b |" row.
std::vector<std::string_view> table_cells(std::string_view row) {
  if (starts_with(row, "|")) row.remove_prefix(1);
  if (!row.empty() && row.back() == '|' && (row.size() < 2 || row[row.size() - 2] != '\\')) {
    row.remove_suffix(1);
  }
  std::vector<std::string_view> cells;
  size_t start = 0;
  for (size_t i = 0; i <= row.size(); ++i) {
    if (i == row.size() || (row[i] == '|' && (i == 0 || row[i - 1] != '\\'))) {
      std::string_view cell = row.substr(start, i - start);
      while (!cell.empty() && cell.front() == ' ') cell.remove_prefix(1);
      while (!cell.empty() && cell.back() == ' ') cell.remove_suffix(1);
      cells.push_back(cell);
      start = i + 1;
    }
  }
  return cells;
}

bool separator_row(std::string_view row) {
  if (row.find('-') == std::string_view::npos) return false;
  for (char c : row) {
    if (c != '|' && c != '-' && c != ':' && c != ' ') return false;
  }
  return true;
}

class BlockParser {
 public:
  explicit BlockParser(std::string_view markdown) {
    size_t start = 0;
    while (start <= markdown.size()) {
      size_t end = markdown.find('\n', start);
      if (end == std::string_view::npos) end = markdown.size();
      lines_.push_back(markdown.substr(start, end - start));
      start = end + 1;
    }
  }

  std::vector<BlockNode> parse() {
    struct Open {
      int indent;
      std::vector<BlockNode>* list;
    };
    std::vector<BlockNode> root;
    std::vector<Open> stack{{-1, &root}};
    while (i_ < lines_.size()) {
      Line line = split_line(lines_[i_]);
      if (line.text.empty()) {
        ++i_;
        continue;
      }
      // A line belongs to the nearest open block indented less than it.
      while (stack.size() > 1 && line.indent <= stack.back().indent) stack.pop_back();
      BlockNode node = next_block(line);
      std::vector<BlockNode>& list = *stack.back().list;
      list.push_back(std::move(node));
      if (supports_children(list.back())) stack.push_back({line.indent, &list.back().children});
    }
    return root;
  }

 private:
  // The block starting at line i_ (consumes its lines).
  BlockNode next_block(const Line& line) {
    std::string_view text = line.text;
    if (starts_with(text, "```")) return code_block(line);
    ++i_;
    if (text == "$$") return equation_block();
    if (starts_with(text, "|")) return table_block(line);
    size_t hashes = text.find_first_not_of('#');
    if (hashes != std::string_view::npos && hashes >= 1 && text[hashes] == ' ') {
      std::string type = "heading_" + std::to_string(std::min<size_t>(hashes, 3));
      return text_block(type, text.substr(hashes + 1));
    }
    if (text.size() >= 3 && (text.find_first_not_of('-') == std::string_view::npos ||
                             text.find_first_not_of('*') == std::string_view::npos ||
                             text.find_first_not_of('_') == std::string_view::npos)) {
      return BlockNode{{{"type", "divider"}, {"divider", Json::object()}}, {}};
    }
    for (std::string_view box : {"- [ ] ", "* [ ] ", "- [x] ", "* [x] ", "- [X] ", "* [X] "}) {
      if (starts_with(text, box)) {
        BlockNode node = text_block("to_do", text.substr(box.size()));
        node.block["to_do"]["checked"] = box[3] != ' ';
        return node;
      }
    }
    if (starts_with(text, "- ") || starts_with(text, "* ") || starts_with(text, "+ ")) {
      return text_block("bulleted_list_item", text.substr(2));
    }
    size_t digits = text.find_first_not_of("0123456789");
    if (digits != std::string_view::npos && digits > 0 && digits < 10 &&
        (text.substr(digits, 2) == ". " || text.substr(digits, 2) == ") ")) {
      return text_block("numbered_list_item", text.substr(digits + 2));
    }
    if (starts_with(text, ">")) return quote_block(line);
    if (starts_with(text, "![") && text.back() == ')') {
      size_t middle = text.find("](");
      if (middle != std::string_view::npos) {
        std::string url(text.substr(middle + 2, text.size() - middle - 3));
        Json image{{"type", "external"}, {"external", {{"url", url}}}};
        std::string_view alt = text.substr(2, middle - 2);
        if (!alt.empty()) image["caption"] = markdown_rich_text(alt);
        return BlockNode{{{"type", "image"}, {"image", std::move(image)}}, {}};
      }
    }
    return text_block("paragraph", text);
  }

  BlockNode code_block(const Line& open) {
    std::string_view info = open.text.substr(3);
    ++i_;
    std::string code;
    bool first = true;
    while (i_ < lines_.size()) {
      std::string_view raw = lines_[i_];
      Line line = split_line(raw);
      ++i_;
      if (starts_with(line.text, "```") &&
          line.text.find_first_not_of('`') == std::string_view::npos) {
        break;
      }
      // Drop the fence's own indentation from each line, keep the rest.
      size_t drop = 0;
      int columns = 0;
      while (drop < raw.size() && columns < open.indent &&
             (raw[drop] == ' ' || raw[drop] == '\t')) {
        columns += raw[drop] == '\t' ? 4 : 1;
        ++drop;
      }
      if (!first) code.push_back('\n');
      first = false;
      std::string_view content = raw.substr(drop);
      if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
      code.append(content);
    }
    Json body{{"rich_text", plain_rich_text(code)}, {"language", code_language(info)}};
    return BlockNode{{{"type", "code"}, {"code", std::move(body)}}, {}};
  }

  BlockNode equation_block() {
    std::string expression;
    while (i_ < lines_.size()) {
      Line line = split_line(lines_[i_]);
      ++i_;
      if (line.text == "$$") break;
      if (!expression.empty()) expression.push_back('\n');
      expression.append(line.text);
    }
    return BlockNode{{{"type", "equation"}, {"equation", {{"expression", expression}}}}, {}};
  }

  // Consecutive "> " lines at the same indentation make one quote, lines joined by newlines.
  BlockNode quote_block(const Line& first) {
    auto strip = [](std::string_view text) {
      text.remove_prefix(1);
      if (!text.empty() && text.front() == ' ') text.remove_prefix(1);
      return text;
    };
    std::string text(strip(first.text));
    while (i_ < lines_.size()) {
      Line line = split_line(lines_[i_]);
      if (line.indent != first.indent || !starts_with(line.text, ">")) break;
      text += "\n";
      text += strip(line.text);
      ++i_;
    }
    BlockNode node;
    node.block = {{"type", "quote"}, {"quote", {{"rich_text", markdown_rich_text_lines(text)}}}};
    return node;
  }

  BlockNode table_block(const Line& first) {
    std::vector<std::vector<std::string_view>> rows{table_cells(first.text)};
    bool header = false;
    while (i_ < lines_.size()) {
      Line line = split_line(lines_[i_]);
      if (line.indent != first.indent || !starts_with(line.text, "|")) break;
      ++i_;
      if (rows.size() == 1 && !header && separator_row(line.text)) {
        header = true;
        continue;
      }
      rows.push_back(table_cells(line.text));
    }
    size_t width = 1;
    for (const auto& row : rows) width = std::max(width, row.size());
    BlockNode table;
    table.block = {
        {"type", "table"},
        {"table",
         {{"table_width", width}, {"has_column_header", header}, {"has_row_header", false}}}};
    for (const auto& row : rows) {
      Json cells = Json::array();
      for (size_t c = 0; c < width; ++c) {
        cells.push_back(c < row.size() ? markdown_rich_text(row[c]) : Json::array());
      }
      table.children.push_back(
          BlockNode{{{"type", "table_row"}, {"table_row", {{"cells", std::move(cells)}}}}, {}});
    }
    return table;
  }

  std::vector<std::string_view> lines_;
  size_t i_ = 0;
};

}  // namespace

Json markdown_rich_text(std::string_view text) { return InlineParser(text).parse(); }

std::vector<BlockNode> markdown_blocks(std::string_view markdown) {
  return BlockParser(markdown).parse();
}

Json markdown_rich_text_lines(std::string_view text) {
  Json rich = Json::array();
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (start > 0) rich.push_back({{"type", "text"}, {"text", {{"content", "\n"}}}});
    for (Json& item : markdown_rich_text(text.substr(start, end - start))) {
      rich.push_back(std::move(item));
    }
    start = end + 1;
  }
  return rich;
}

}  // namespace notion_mcp::tools
