// Notion ids as people and models hand them over: dashed or undashed UUIDs, or the URL of a page,
// database or block copied from the browser. Everything becomes a dashed lowercase UUID.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace notion_mcp::tools {

// Every id an id or URL carries, each empty when absent: the path's (a page or database), the
// page opened in a database's side peek (?p=) and the block a link points at (#fragment). The
// parse_* functions below pick one of these; a check that must cover whichever a tool picks
// (--scope) takes all of them. An error when the input carries no id at all.
struct IdsInInput {
  std::string path;
  std::string peek_page;
  std::string block;
};
util::Result<IdsInInput> ids_in(std::string_view input);

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
