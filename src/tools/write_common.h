// What the write tools share: a write that is read back instead of repeated when Notion saved
// it despite an error, icons and covers from plain strings, and plain rich text.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/tool.h"
#include "util/json.h"
#include "util/result.h"
#include "util/task.h"

namespace notion_mcp::tools {

// The path to GET a saved resource from, given the id Notion named as committed (may be
// empty); "" when there is nothing to read back.
using RereadPath = std::function<std::string(const std::string& committed_id)>;

struct WriteResponse {
  util::Json body;         // Notion's answer, or the resource read back
  bool recovered = false;  // Notion reported an error after saving; `body` was read back
};

// Sends one write. When Notion answers that the write may have been saved anyway (a 5xx with
// retry guidance: write_may_have_committed), it is never repeated: the resource is read back
// through `reread` and reported as done. If it cannot be read back, the error is returned.
util::Task<util::Result<WriteResponse>> send_write(ToolContext& ctx, std::string method,
                                                   std::string path, std::optional<util::Json> body,
                                                   RereadPath reread);

// --scope for a call's relation values: the first relation target outside the scope as a
// refusal, or nullopt (also when there is no scope).
util::Task<std::optional<util::Error>> check_relation_targets(ToolContext& ctx,
                                                              const util::Json& properties);

// A write under a parent that may be a page, a data source, or a database (then its only data
// source): tries `parent_id` as each in turn while Notion answers "not found", so a model can
// pass any of their ids or URLs. `make_body` builds the body for a parent object such as
// {"type": "page_id", "page_id": "..."}. The first error is returned when none fits.
util::Task<util::Result<WriteResponse>> send_with_parent(
    ToolContext& ctx, std::string method, std::string path, std::string parent_id,
    std::function<util::Json(const util::Json& parent)> make_body, RereadPath reread,
    bool page_first);

// The line a result carries when its write was read back after an error.
inline constexpr std::string_view kRecoveredNote =
    "note: Notion reported an error after saving this change; it was read back, not repeated.\n";

// A page's id, title, url and parent (and in_trash when set) as structured fields and
// "key: value" lines; returns the lines.
std::string describe_page(const util::Json& page, util::Json& structured);

// The outputSchema of the tools that answer with a page.
inline constexpr const char* kPageOutputSchema =
    R"({"type":"object","properties":{"id":{"type":"string"},"title":{"type":"string"},)"
    R"("url":{"type":"string"},"parent":{"type":"string"},"in_trash":{"type":"boolean"}}})";

// "https://..." or "http://..."
bool is_http_url(std::string_view text);

// An icon from a plain string: an emoji, or an image URL; "" removes the icon (null).
util::Result<util::Json> icon_argument(const std::string& text);
// A cover from an image URL; "" removes the cover (null).
util::Result<util::Json> cover_argument(const std::string& text);

// A rich text array holding `text` unformatted, in items of at most 2000 characters (Notion's
// limit per item), cut on UTF-8 boundaries.
util::Json plain_rich_text(std::string_view text);

// Splits `text` into pieces of at most `limit` bytes without cutting a UTF-8 sequence.
std::vector<std::string_view> utf8_pieces(std::string_view text, size_t limit);

}  // namespace notion_mcp::tools
