// The REST handlers, one function per endpoint, grouped by resource in handlers_*.cpp. Each gets
// the parsed request and returns the JSON body or a Notion error (util::Error with status).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "demo/request.h"
#include "demo/store.h"
#include "demo/workspace.h"
#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::demo {

struct Context {
  Store& store;
  const WorkspaceOptions& options;
  std::vector<std::string> params;  // path parameters, in order
  const Query& query;
  const util::Json& body;  // {} when the request has none
  int64_t now;             // Unix seconds
  std::string bot_id;      // the user that writes are attributed to
  // The undecoded body and its Content-Type, for the one endpoint that takes multipart/form-data
  // (POST /v1/file_uploads/{id}/send); `body` is {} then.
  std::string_view raw_body{};
  std::string_view content_type{};
};

using Reply = util::Result<util::Json>;
using Handler = Reply (*)(Context&);

// Parses params[index] as an id (with or without dashes); `name` is for the error message
// ("page_id", "block_id", ...).
util::Result<std::string> path_id(const Context& context, size_t index, std::string_view name);

// Search (handlers_search.cpp)
Reply search(Context& context);

// Pages (handlers_pages.cpp)
Reply get_page(Context& context);
Reply get_page_property(Context& context);
Reply get_page_markdown(Context& context);
Reply create_page(Context& context);
Reply update_page(Context& context);
Reply update_page_markdown(Context& context);
Reply move_page(Context& context);

// Blocks (handlers_blocks.cpp)
Reply get_block(Context& context);
Reply get_block_children(Context& context);
Reply append_block_children(Context& context);
Reply update_block(Context& context);
Reply delete_block(Context& context);

// Databases and data sources (handlers_databases.cpp)
Reply get_database(Context& context);
Reply create_database(Context& context);
Reply update_database(Context& context);
Reply get_data_source(Context& context);
Reply update_data_source(Context& context);
Reply query_data_source(Context& context);

// Comments and users (handlers_comments.cpp, handlers_users.cpp); writes in
// handlers_page_writes.cpp, handlers_markdown_writes.cpp, handlers_block_writes.cpp and
// handlers_database_writes.cpp.
Reply list_comments(Context& context);
Reply get_comment(Context& context);
Reply create_comment(Context& context);
Reply list_users(Context& context);
Reply get_user(Context& context);
Reply get_self(Context& context);

// File uploads (handlers_file_uploads.cpp): single-part uploads, attached to blocks and files
// properties as {type: "file_upload", file_upload: {id}}.
Reply create_file_upload(Context& context);
Reply send_file_upload(Context& context);
Reply complete_file_upload(Context& context);
Reply get_file_upload(Context& context);

}  // namespace notion_mcp::demo
