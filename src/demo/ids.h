// Notion ids: dashed lowercase UUIDs on output, accepted with or without dashes on input.
// Seeded and created objects get ids derived from a label, so the workspace is deterministic.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace notion_mcp::demo {

// "59833787-2cf9-4fdf-8782-e53db20768a5" from either that form or its 32 hex digits (any
// case); nullopt when `text` is not a UUID.
std::optional<std::string> normalize_id(std::string_view text);

// The 32 hex digits without dashes, as Notion puts them at the end of page URLs.
std::string compact_id(std::string_view dashed_id);

// A stable UUID (version 4 layout) derived from `label`: the same label always gives the same id.
std::string derived_id(std::string_view label);

// A short stable property or option id ("a%3Bq"-like, URL-safe) derived from `label`.
std::string short_id(std::string_view label);

}  // namespace notion_mcp::demo
