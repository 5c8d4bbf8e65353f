// Store objects -> Notion's JSON response shapes (API version 2026-03-11).
#pragma once

#include "demo/store.h"
#include "util/json.h"

namespace notion_mcp::demo {

util::Json user_json(const User& user, const Store& store);
util::Json partial_user_json(std::string_view id);  // {"object":"user","id"}

util::Json parent_json(const Store& store, const Parent& parent);

// All property values of a page, including computed ones (created_time, last_edited_by, ...).
util::Json page_properties(const Store& store, const Page& page);

util::Json page_json(const Store& store, const Page& page);
util::Json block_json(const Store& store, const Block& block);
util::Json database_json(const Store& store, const Database& database);
util::Json data_source_json(const Store& store, const DataSource& data_source);
util::Json comment_json(const Store& store, const Comment& comment);

// True when the block should no longer show up in its parent's children (trashed itself, or a
// child page or database that is trashed).
bool block_hidden(const Store& store, const Block& block);

}  // namespace notion_mcp::demo
