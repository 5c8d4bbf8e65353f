// JSON in: simdjson validates (including UTF-8) and parses; nlohmann::json is the tree we build
// and manipulate. Every byte that enters the worker as JSON goes through parse_json; the broker
// executable, which parses only the OAuth token endpoint's small answers, uses parse_small_json
// and so does not load simdjson (nor, through it, the shared libstdc++).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "util/result.h"

namespace notion_mcp::util {

using Json = nlohmann::json;

// Parses one JSON document. Errors have code "parse_error" and say what was wrong
// (invalid JSON, invalid UTF-8, nesting too deep).
Result<Json> parse_json(std::string_view text);

// Parses one small JSON document (at most `max_bytes`) with nlohmann's strict parser: valid
// UTF-8, nothing after the value, at most 128 levels deep. Errors as for parse_json.
inline constexpr size_t kSmallJsonMaxBytes = 64 * 1024;
Result<Json> parse_small_json(std::string_view text, size_t max_bytes = kSmallJsonMaxBytes);

// Serialises compactly; invalid UTF-8 in strings is replaced rather than throwing.
std::string dump_json(const Json& value);

// Small typed accessors that never throw: missing or mistyped members give the fallback.
std::string string_or(const Json& object, std::string_view key, std::string_view fallback = {});
bool bool_or(const Json& object, std::string_view key, bool fallback);
const Json* member(const Json& object, std::string_view key);

}  // namespace notion_mcp::util
