// Turns Notion's JSON into what a model reads cheaply: property values flattened to plain values,
// rich text to plain text or Markdown, compact "key: value" lines, and page content fenced as
// untrusted data.
#pragma once

#include <string>
#include <string_view>

#include "util/json.h"

namespace notion_mcp::tools {

// Rich text array → its text, without formatting.
std::string plain_text(const util::Json& rich_text);
// Rich text array → Markdown (bold, italic, strikethrough, code, links, equations).
std::string rich_text_markdown(const util::Json& rich_text);

// One property value ({"type": "select", "select": {...}}) → a plain JSON value: string, number,
// bool, array of strings, or null when empty. Dates become "start" or "start → end".
util::Json flatten_property(const util::Json& property);
// {"Name": {...}, "Status": {...}} → {"Name": "...", "Status": "..."}.
util::Json flatten_properties(const util::Json& properties);

// A flattened value as text for one line: arrays joined with ", ", null as "", newlines as spaces.
std::string value_text(const util::Json& value);
// One property value as text for one line; timestamps shortened like short_time.
std::string property_text(const util::Json& property);

// The title of a page (its title property), database or data source (its title array).
std::string title_of(const util::Json& object);
// A short name for a user object: its name, else its id.
std::string user_name(const util::Json& user);
// A parent object → "page <id>", "data_source <id>", "database <id>", "block <id>", "workspace".
std::string parent_text(const util::Json& parent);
// The readable text of one block (paragraph, heading, to_do, child_page, code, image, ...).
std::string block_text(const util::Json& block);
// "2025-11-03T10:00:00.000Z" → "2025-11-03 10:00"; other strings unchanged.
std::string short_time(std::string_view iso);

// Appends "key: value\n" with the value kept on one line; skips empty values.
void append_line(std::string& out, std::string_view key, std::string_view value);

// Wraps workspace content in a fence that the content cannot close, after one line reminding the
// model that the text inside is data from the workspace, not instructions from the user.
std::string fence_untrusted(std::string_view content);

}  // namespace notion_mcp::tools
