#include "tools/write_common.h"

#include <algorithm>
#include <array>

#include "notion/error_mapping.h"
#include "tools/data_source_lookup.h"
#include "tools/property_input.h"
#include "tools/render.h"

namespace notion_mcp::tools {

namespace {

constexpr size_t kMaxTextItem = 2000;  // characters per rich text item (bytes here: stricter)

}  // namespace

util::Task<util::Result<WriteResponse>> send_write(ToolContext& ctx, std::string method,
                                                   std::string path, std::optional<util::Json> body,
                                                   RereadPath reread) {
  auto call = ctx.notion.request(std::move(method), std::move(path), std::move(body), ctx.cancel);
  auto result = co_await call;
  if (result.ok()) co_return WriteResponse{std::move(result).value(), false};
  util::Error error = std::move(result).error();
  if (error.code != "write_may_have_committed" || !reread) co_return error;
  std::string reread_path = reread(notion::committed_resource_id(error));
  if (reread_path.empty()) co_return error;
  // Repeating the write could apply it twice; reading it back is always safe.
  auto read_call = ctx.notion.get(std::move(reread_path), ctx.cancel);
  auto read = co_await read_call;
  if (!read.ok()) co_return error;
  co_return WriteResponse{std::move(read).value(), true};
}

std::string describe_page(const util::Json& page, util::Json& structured) {
  std::string text;
  structured["id"] = util::string_or(page, "id");
  structured["title"] = title_of(page);
  append_line(text, "id", structured["id"].get<std::string>());
  std::string url = util::string_or(page, "url");
  if (!url.empty()) structured["url"] = url;
  append_line(text, "url", url);
  if (const util::Json* parent = util::member(page, "parent")) {
    std::string parent_line = parent_text(*parent);
    if (!parent_line.empty()) structured["parent"] = parent_line;
    append_line(text, "parent", parent_line);
  }
  if (util::bool_or(page, "in_trash", false) || util::bool_or(page, "archived", false)) {
    structured["in_trash"] = true;
    text += "in_trash: true\n";
  }
  return text;
}

util::Task<util::Result<WriteResponse>> send_with_parent(
    ToolContext& ctx, std::string method, std::string path, std::string parent_id,
    std::function<util::Json(const util::Json& parent)> make_body, RereadPath reread,
    bool page_first) {
  const std::array<std::string, 2> kinds =
      page_first ? std::array<std::string, 2>{"page_id", "data_source_id"}
                 : std::array<std::string, 2>{"data_source_id", "page_id"};
  std::optional<util::Error> first_error;
  for (const std::string& kind : kinds) {
    util::Json parent{{"type", kind}, {kind, parent_id}};
    auto call = send_write(ctx, method, path, make_body(parent), reread);
    auto sent = co_await call;
    if (sent.ok()) co_return sent;
    util::Error error = std::move(sent).error();
    bool wrong_kind = error.code == "object_not_found";
    if (!first_error) first_error = error;
    if (!wrong_kind) co_return error;
  }
  // A database's URL: its data source receives the page.
  auto lookup = data_source_of_database(ctx, parent_id, *first_error);
  auto source = co_await lookup;
  if (!source.ok()) co_return source.error();
  util::Json parent{{"type", "data_source_id"}, {"data_source_id", *source}};
  auto call = send_write(ctx, method, path, make_body(parent), reread);
  co_return co_await call;
}

bool is_http_url(std::string_view text) {
  return text.substr(0, 8) == "https://" || text.substr(0, 7) == "http://";
}

util::Result<util::Json> icon_argument(const std::string& text) {
  if (text.empty()) return util::Json(nullptr);
  if (is_http_url(text)) {
    return util::Json{{"type", "external"}, {"external", {{"url", text}}}};
  }
  // An emoji is a few code points (flags and families take several); anything longer is a
  // mistake worth explaining rather than sending.
  if (text.size() > 32 || text.find(' ') != std::string::npos) {
    return util::make_error("validation_error",
                            "icon must be a single emoji or an https:// image URL.",
                            "Pass an emoji such as \"📘\", an image URL, or \"\" to remove it.");
  }
  return util::Json{{"type", "emoji"}, {"emoji", text}};
}

util::Result<util::Json> cover_argument(const std::string& text) {
  if (text.empty()) return util::Json(nullptr);
  if (!is_http_url(text)) {
    return util::make_error("validation_error", "cover must be an https:// image URL.",
                            "Pass the URL of an image, or \"\" to remove the cover.");
  }
  return util::Json{{"type", "external"}, {"external", {{"url", text}}}};
}

std::vector<std::string_view> utf8_pieces(std::string_view text, size_t limit) {
  std::vector<std::string_view> pieces;
  while (!text.empty()) {
    size_t cut = std::min(limit, text.size());
    if (cut < text.size()) {
      // Step back to the start of a UTF-8 sequence (continuation bytes are 10xxxxxx).
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      if (cut == 0) cut = std::min(limit, text.size());
    }
    pieces.push_back(text.substr(0, cut));
    text.remove_prefix(cut);
  }
  return pieces;
}

util::Json plain_rich_text(std::string_view text) {
  util::Json items = util::Json::array();
  for (std::string_view piece : utf8_pieces(text, kMaxTextItem)) {
    items.push_back({{"type", "text"}, {"text", {{"content", std::string(piece)}}}});
  }
  return items;
}

util::Task<std::optional<util::Error>> check_relation_targets(ToolContext& ctx,
                                                              const util::Json& properties) {
  if (!ctx.check_in_scope) co_return std::nullopt;
  for (const std::string& id : relation_targets(properties)) {
    auto check = ctx.check_in_scope(id);
    std::optional<util::Error> outside = co_await check;
    if (outside) {
      outside->message = "A relation names " + id + ": " + outside->message;
      co_return outside;
    }
  }
  co_return std::nullopt;
}

}  // namespace notion_mcp::tools
