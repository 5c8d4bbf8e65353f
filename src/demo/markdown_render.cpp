#include "demo/markdown_render.h"

#include <limits>

#include "demo/ids.h"
#include "demo/markdown_inline.h"
#include "demo/rich_text.h"
#include "demo/serialize.h"

namespace notion_mcp::demo {

namespace {

using util::Json;

std::string attribute_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '"') {
      out += "&quot;";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

class Renderer {
 public:
  Renderer(const Store& store, size_t limit) : store_(store), limit_(limit) {}

  void render_children(const std::vector<std::string>& ids, int depth) {
    int number = 0;
    for (const std::string& id : ids) {
      const Block* block = store_.block(id);
      if (!block || block_hidden(store_, *block)) continue;
      if (stopped_) {
        result_.unknown_block_ids.push_back(id);
        continue;
      }
      number = block->type == "numbered_list_item" ? number + 1 : 0;
      const size_t size = store_.subtree_size(id);
      if (used_ + size > limit_ && used_ > 0) {
        // Whole blocks only, so that a caller can fetch the rest by id and append it.
        stopped_ = true;
        result_.unknown_block_ids.push_back(id);
        continue;
      }
      render_block(*block, depth, number);
    }
  }

  void render_block(const Block& block, int depth, int number = 1) {
    ++used_;
    const Json& c = block.content;
    const std::string& type = block.type;
    const std::string text = render_inline(c.value("rich_text", Json::array()));
    const std::string color = util::string_or(c, "color", "default");
    const std::string color_attr =
        color == "default" ? "" : " {color=\"" + markdown_color(color) + "\"}";
    if (type == "paragraph") {
      line(depth, text.empty() ? "<empty-block/>" : text + color_attr);
      children(block, depth + 1);
    } else if (type == "heading_1" || type == "heading_2" || type == "heading_3" ||
               type == "heading_4") {
      const bool toggle = util::bool_or(c, "is_toggleable", false);
      std::string attrs;
      if (toggle) attrs += "toggle=\"true\"";
      if (color != "default")
        attrs += std::string(attrs.empty() ? "" : " ") + "color=\"" + markdown_color(color) + "\"";
      line(depth, std::string(type.back() - '0', '#') + " " + text +
                      (attrs.empty() ? "" : " {" + attrs + "}"));
      children(block, depth + 1);
    } else if (type == "bulleted_list_item") {
      line(depth, "- " + text + color_attr);
      children(block, depth + 1);
    } else if (type == "numbered_list_item") {
      line(depth, std::to_string(number) + ". " + text + color_attr);
      children(block, depth + 1);
    } else if (type == "to_do") {
      line(depth, std::string(util::bool_or(c, "checked", false) ? "- [x] " : "- [ ] ") + text +
                      color_attr);
      children(block, depth + 1);
    } else if (type == "quote") {
      line(depth, "> " + text + color_attr);
      children(block, depth + 1);
    } else if (type == "toggle") {
      line(depth,
           color == "default" ? "<details>" : "<details color=\"" + markdown_color(color) + "\">");
      line(depth, "<summary>" + text + "</summary>");
      children(block, depth + 1);
      line(depth, "</details>");
    } else if (type == "callout") {
      std::string open = "<callout";
      const Json& icon = c.value("icon", Json());
      if (icon.is_object() && icon.contains("emoji")) {
        open += " icon=\"" + attribute_escape(util::string_or(icon, "emoji")) + "\"";
      }
      if (color != "default") open += " color=\"" + markdown_color(color) + "\"";
      line(depth, open + ">");
      if (!text.empty()) line(depth + 1, text);
      children(block, depth + 1);
      line(depth, "</callout>");
    } else if (type == "code") {
      const std::string language = util::string_or(c, "language");
      line(depth, "```" + (language == "plain text" ? std::string() : language));
      const std::string code = plain_text(c.value("rich_text", Json::array()));
      size_t start = 0;
      while (start <= code.size()) {
        size_t end = code.find('\n', start);
        if (end == std::string::npos) end = code.size();
        line(depth, code.substr(start, end - start));
        start = end + 1;
      }
      line(depth, "```");
    } else if (type == "divider") {
      line(depth, "---");
    } else if (type == "equation") {
      line(depth, "$$");
      line(depth, util::string_or(c, "expression"));
      line(depth, "$$");
    } else if (type == "image") {
      const std::string source = util::string_or(c, "type", "external");
      const std::string url = util::string_or(c.value(source, Json::object()), "url");
      line(depth, "![" + render_inline(c.value("caption", Json::array())) + "](" + url + ")");
    } else if (type == "file" || type == "pdf" || type == "audio" || type == "video") {
      const std::string source = util::string_or(c, "type", "external");
      const std::string url = util::string_or(c.value(source, Json::object()), "url");
      std::string caption = render_inline(c.value("caption", Json::array()));
      if (caption.empty()) caption = escape_markdown(util::string_or(c, "name"));
      line(depth,
           "<" + type + " src=\"" + attribute_escape(url) + "\">" + caption + "</" + type + ">");
    } else if (type == "bookmark" || type == "embed" || type == "link_preview") {
      const std::string url = util::string_or(c, "url");
      const std::string caption = render_inline(c.value("caption", Json::array()));
      line(depth, "[" + (caption.empty() ? escape_markdown(url) : caption) + "](" + url + ")");
    } else if (type == "table_of_contents") {
      line(depth, "<table_of_contents/>");
    } else if (type == "table") {
      std::string open = "<table";
      if (util::bool_or(c, "has_column_header", false)) open += " header-row=\"true\"";
      if (util::bool_or(c, "has_row_header", false)) open += " header-column=\"true\"";
      line(depth, open + ">");
      for (const std::string& row_id : block.children) {
        const Block* row = store_.block(row_id);
        if (!row || row->in_trash) continue;
        ++used_;
        line(depth + 1, "<tr>");
        for (const Json& cell : row->content.value("cells", Json::array())) {
          line(depth + 2, "<td>" + render_inline(cell) + "</td>");
        }
        line(depth + 1, "</tr>");
      }
      line(depth, "</table>");
    } else if (type == "column_list") {
      line(depth, "<columns>");
      for (const std::string& column_id : block.children) {
        const Block* column = store_.block(column_id);
        if (!column || column->in_trash) continue;
        ++used_;
        line(depth + 1, "<column>");
        render_children(column->children, depth + 2);
        line(depth + 1, "</column>");
      }
      line(depth, "</columns>");
    } else if (type == "column") {
      line(depth, "<column>");
      children(block, depth + 1);
      line(depth, "</column>");
    } else if (type == "child_page") {
      const Page* page = store_.page(block.id);
      if (page) {
        line(depth, "<page url=\"" + store_.page_url(*page) + "\">" +
                        escape_markdown(store_.page_title(*page)) + "</page>");
      }
    } else if (type == "child_database") {
      const Database* database = store_.database(block.id);
      if (database) {
        line(depth, "<database url=\"" + store_.database_url(*database) + "\">" +
                        escape_markdown(plain_text(database->title)) + "</database>");
      }
    } else {
      line(depth, "<unknown url=\"https://www.notion.so/" + compact_id(block.id) + "\" alt=\"" +
                      type + "\"/>");
    }
  }

  MarkdownResult finish() {
    std::string out;
    for (size_t i = 0; i < lines_.size(); ++i) {
      if (i) out.push_back('\n');
      out += lines_[i];
    }
    result_.markdown = std::move(out);
    result_.truncated = !result_.unknown_block_ids.empty();
    return std::move(result_);
  }

 private:
  void children(const Block& block, int depth) { render_children(block.children, depth); }

  void line(int depth, std::string text) {
    lines_.push_back(std::string(static_cast<size_t>(depth), '\t') + std::move(text));
  }

  const Store& store_;
  size_t limit_;
  size_t used_ = 0;
  bool stopped_ = false;
  std::vector<std::string> lines_;
  MarkdownResult result_;
};

}  // namespace

std::string markdown_color(std::string_view color) {
  constexpr std::string_view kSuffix = "_background";
  if (color.size() > kSuffix.size() && color.substr(color.size() - kSuffix.size()) == kSuffix) {
    return std::string(color.substr(0, color.size() - kSuffix.size())) + "_bg";
  }
  return std::string(color);
}

MarkdownResult render_page_markdown(const Store& store, std::string_view page_id,
                                    size_t block_limit) {
  Renderer renderer(store, block_limit);
  if (const Block* container = store.block(page_id)) {
    renderer.render_children(container->children, 0);
  }
  return renderer.finish();
}

MarkdownResult render_block_markdown(const Store& store, std::string_view block_id,
                                     size_t block_limit) {
  Renderer renderer(store, block_limit);
  if (const Block* block = store.block(block_id)) renderer.render_block(*block, 0);
  return renderer.finish();
}

std::string render_full_markdown(const Store& store, std::string_view page_id) {
  return render_page_markdown(store, page_id, std::numeric_limits<size_t>::max()).markdown;
}

}  // namespace notion_mcp::demo
