#include "tools/common.h"

#include <exception>

#include "tools/errors.h"
#include "tools/ids.h"

namespace notion_mcp::tools {
namespace {

util::Task<ToolResult> run_guarded(ToolBody body, ToolContext& ctx, util::Json arguments) {
  ToolResult result;
  try {
    // The task is a named local: GCC 12 mishandles temporaries inside co_await expressions.
    auto task = body(ctx, std::move(arguments));
    result = co_await task;
  } catch (const std::exception& e) {
    result = error_result(
        util::make_error("internal_error",
                         std::string("Notion's answer had an unexpected shape (") + e.what() + ").",
                         "Retry once; if it fails again, report it with the call that caused it."));
  }
  co_return result;
}

}  // namespace

std::function<util::Task<ToolResult>(ToolContext&, const util::Json&)> guarded(ToolBody body) {
  return [body](ToolContext& ctx, const util::Json& arguments) {
    return run_guarded(body, ctx, arguments);
  };
}

util::Result<std::string> id_argument(const util::Json& arguments, std::string_view name,
                                      IdKind kind) {
  const util::Json* value = util::member(arguments, name);
  if (!value || !value->is_string()) {
    return util::make_error("invalid_id", std::string(name) + " is required.",
                            "Pass the page's URL or its 32-character id.");
  }
  const std::string& text = value->get_ref<const std::string&>();
  switch (kind) {
    case IdKind::kPage:
      return parse_page_id(text);
    case IdKind::kBlock:
      return parse_block_id(text);
    case IdKind::kContainer:
      break;
  }
  return parse_notion_id(text);
}

}  // namespace notion_mcp::tools
