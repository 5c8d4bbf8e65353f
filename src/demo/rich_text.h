// Rich text items in Notion's full response shape (type, text/mention/equation, annotations,
// plain_text, href), and the small helpers everything else uses to read them.
#pragma once

#include <string>
#include <string_view>

#include "util/json.h"

namespace notion_mcp::demo {

struct Annotations {
  bool bold = false;
  bool italic = false;
  bool strikethrough = false;
  bool underline = false;
  bool code = false;
  std::string color = "default";

  bool operator==(const Annotations&) const = default;
};

util::Json annotations_json(const Annotations& annotations);
Annotations annotations_from_json(const util::Json& annotations);

// {"type":"text","text":{"content","link"},"annotations",...,"plain_text","href"}.
util::Json text_item(std::string_view content, const Annotations& annotations = {},
                     std::string_view href = {});

// {"type":"equation","equation":{"expression"}} with plain_text = expression.
util::Json equation_item(std::string_view expression, const Annotations& annotations = {});

// Mentions. Page and user mentions carry `plain_text` (title or name) and `href` as Notion does.
util::Json page_mention_item(std::string_view page_id, std::string_view title, std::string_view url,
                             const Annotations& annotations = {});
util::Json user_mention_item(const util::Json& user, const Annotations& annotations = {});
util::Json date_mention_item(std::string_view start, const Annotations& annotations = {});

// A rich text array holding one plain text item (or none for empty text).
util::Json plain_rich_text(std::string_view content);

// Concatenated plain_text of a rich text array (empty for anything else).
std::string plain_text(const util::Json& rich_text);

}  // namespace notion_mcp::demo
