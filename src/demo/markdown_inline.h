// Rich text <-> inline Notion-flavored Markdown: **bold**, *italic*, ~~strike~~, `code`,
// [links](url), $math$, <span underline/color>, <br>, mentions, backslash escapes.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "demo/rich_text.h"
#include "util/json.h"

namespace notion_mcp::demo {

// Turns a mention tag into a rich text item: `tag` is "mention-page", "mention-database" or
// "mention-user", `url` its url attribute. Returns null when the target is unknown; the tag's
// text then stays as plain text.
using MentionResolver =
    std::function<util::Json(std::string_view tag, std::string_view url, const Annotations&)>;

// Inline Markdown -> rich text array. Never fails: unmatched markers stay literal text.
util::Json parse_inline(std::string_view markdown, const MentionResolver& resolver = {});

// Rich text array -> inline Markdown, escaping Notion's special characters outside code.
std::string render_inline(const util::Json& rich_text);

// Backslash-escapes \ * ~ ` $ [ ] < > { } | ^ as Notion-flavored Markdown requires.
std::string escape_markdown(std::string_view text);

}  // namespace notion_mcp::demo
