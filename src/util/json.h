// JSON in: every byte that enters as JSON goes through parse_json, a strict parser (nlohmann's,
// behind a UTF-8 check and a depth limit) whose accepting and refusing the tests hold against
// simdjson's. nlohmann::json is the tree we build and manipulate.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "util/result.h"

namespace notion_mcp::util {

using Json = nlohmann::json;

// Parses one JSON document: valid UTF-8, nothing after the value, at most 128 levels deep.
// Errors have code "parse_error" and say what was wrong (invalid JSON, invalid UTF-8, nesting
// too deep, empty).
Result<Json> parse_json(std::string_view text);

// The same, refusing documents larger than `max_bytes` first (the broker's OAuth answers).
inline constexpr size_t kSmallJsonMaxBytes = 64 * 1024;
Result<Json> parse_small_json(std::string_view text, size_t max_bytes = kSmallJsonMaxBytes);

// Serialises compactly; invalid UTF-8 in strings is replaced rather than throwing.
std::string dump_json(const Json& value);

// Small typed accessors that never throw: missing or mistyped members give the fallback.
std::string string_or(const Json& object, std::string_view key, std::string_view fallback = {});
bool bool_or(const Json& object, std::string_view key, bool fallback);
const Json* member(const Json& object, std::string_view key);

}  // namespace notion_mcp::util
