// Checks tool arguments against the small JSON Schema subset our tools use (type, properties,
// required, enum, minimum/maximum, minLength/maxLength, items, additionalProperties: false),
// and says exactly what to fix when they do not match.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/json.h"

namespace notion_mcp::mcp {

// Returns nullopt when `value` matches `schema`, else a sentence naming the first problem,
// e.g. "page_size must be an integer between 1 and 100 (got \"ten\")".
std::optional<std::string> validate_against_schema(const util::Json& schema,
                                                   const util::Json& value);
// The same for a schema kept as JSON text (a tool's input_schema), parsed for this check.
std::optional<std::string> validate_against_schema(std::string_view schema_text,
                                                   const util::Json& value);

}  // namespace notion_mcp::mcp
