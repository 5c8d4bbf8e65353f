// Notion ids as people and models hand them over: dashed or undashed UUIDs, or the URL of a page,
// database or block copied from the browser. Everything becomes a dashed lowercase UUID.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace notion_mcp::tools {

// "https://www.notion.so/ws/Title-<32 hex>?v=..." → "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
// A URL's #fragment (a block inside the page) is ignored: the page's id is returned.
// Errors have code "invalid_id" and say what to pass instead.
util::Result<std::string> parse_notion_id(std::string_view input);

// Like parse_notion_id, but a page opened in a database's side peek ("...?v=<view>&p=<page id>")
// gives that page: what a person means when they paste the URL as a page.
util::Result<std::string> parse_page_id(std::string_view input);

// Like parse_page_id, but a URL's "#<block id>" fragment wins: the block a link points at.
util::Result<std::string> parse_block_id(std::string_view input);

// Formats 32 hex digits (any case) as a dashed lowercase UUID; empty if `hex` is not 32 hex digits.
std::string dashed_uuid(std::string_view hex);

}  // namespace notion_mcp::tools
