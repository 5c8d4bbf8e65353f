#include "util/json.h"

#include <string>

#include "util/utf8.h"

namespace notion_mcp::util {
namespace {

constexpr int kMaxSmallDepth = 128;

}  // namespace

Result<Json> parse_small_json(std::string_view text, size_t max_bytes) {
  if (text.empty()) return make_error("parse_error", "the message is empty");
  if (text.size() > max_bytes) {
    return make_error("parse_error",
                      "the JSON is larger than " + std::to_string(max_bytes) + " bytes");
  }
  // Checked first for the same message as parse_json's; nlohmann would only say "invalid".
  if (!valid_utf8(text)) return make_error("parse_error", "the text is not valid UTF-8");
  bool too_deep = false;
  Json parsed = Json::parse(
      text,
      // `depth` counts the containers around a value (or a container that starts); like
      // simdjson's limit, no value may sit deeper than kMaxSmallDepth, the outermost being 1.
      [&too_deep](int depth, Json::parse_event_t event, Json&) {
        bool ends =
            event == Json::parse_event_t::object_end || event == Json::parse_event_t::array_end;
        if (!ends && depth >= kMaxSmallDepth) too_deep = true;
        return !too_deep;
      },
      /*allow_exceptions=*/false);
  if (too_deep) return make_error("parse_error", "the JSON is nested too deeply");
  if (parsed.is_discarded()) return make_error("parse_error", "invalid JSON");
  return parsed;
}

std::string dump_json(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

const Json* member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string string_or(const Json& object, std::string_view key, std::string_view fallback) {
  const Json* m = member(object, key);
  return (m && m->is_string()) ? m->get<std::string>() : std::string(fallback);
}

bool bool_or(const Json& object, std::string_view key, bool fallback) {
  const Json* m = member(object, key);
  return (m && m->is_boolean()) ? m->get<bool>() : fallback;
}

}  // namespace notion_mcp::util
