#include "tools/block_children.h"

#include "notion/error_mapping.h"
#include "tools/paging.h"

namespace notion_mcp::tools {

namespace {

using util::Json;

constexpr int kMaxListPages = 200;  // 20,000 children

}  // namespace

util::Task<util::Result<ChildList>> list_children(ToolContext& ctx, std::string parent_id) {
  ChildList out;
  std::string cursor;
  for (int page = 0; page < kMaxListPages; ++page) {
    std::string path = "/v1/blocks/" + parent_id + "/children?page_size=100";
    if (!cursor.empty()) path += "&start_cursor=" + percent_encode(cursor);
    auto call = ctx.notion.get(path, ctx.cancel);
    auto listed = co_await call;
    if (!listed.ok()) co_return listed.error();
    if (const Json* results = util::member(*listed, "results"); results && results->is_array()) {
      for (const Json& block : *results) {
        out.ids.push_back(util::string_or(block, "id"));
        out.types.push_back(util::string_or(block, "type"));
      }
    }
    cursor = util::string_or(*listed, "next_cursor");
    if (!util::bool_or(*listed, "has_more", false) || cursor.empty()) break;
  }
  co_return out;
}

util::Task<util::Result<Appended>> append_children(ToolContext& ctx, std::string parent_id,
                                                   Json children, std::string after) {
  Json body{{"children", children}};
  if (!after.empty()) {
    body["position"] = {{"type", "after_block"}, {"after_block", {{"id", after}}}};
  }
  auto call =
      ctx.notion.patch("/v1/blocks/" + parent_id + "/children", std::move(body), ctx.cancel);
  auto response = co_await call;
  Appended out;
  if (response.ok()) {
    if (const Json* results = util::member(*response, "results"); results && results->is_array()) {
      for (const Json& block : *results) out.ids.push_back(util::string_or(block, "id"));
    }
    co_return out;
  }
  util::Error original = std::move(response).error();
  if (original.code != "write_may_have_committed") co_return original;

  // Saved despite the error: Notion names the new blocks, or they are read back; never
  // appended twice.
  if (std::vector<std::string> named = notion::committed_child_ids(original); !named.empty()) {
    if (named.size() != children.size()) co_return original;
    out.ids = std::move(named);
    out.recovered = true;
    co_return out;
  }
  auto listing = list_children(ctx, parent_id);
  auto listed = co_await listing;
  if (!listed.ok()) co_return original;
  const std::vector<std::string>& ids = listed->ids;
  size_t count = children.size();
  size_t start = ids.size() >= count ? ids.size() - count : 0;
  if (!after.empty()) {
    start = ids.size();
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] == after) start = i + 1;
    }
  }
  if (count > ids.size() || start + count > ids.size()) co_return original;
  for (size_t i = 0; i < count; ++i) {
    if (listed->types[start + i] != util::string_or(children[i], "type")) co_return original;
  }
  out.ids.assign(ids.begin() + static_cast<std::ptrdiff_t>(start),
                 ids.begin() + static_cast<std::ptrdiff_t>(start + count));
  out.recovered = true;
  co_return out;
}

}  // namespace notion_mcp::tools
