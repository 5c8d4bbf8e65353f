// parse_json lives apart from the other JSON helpers so that code which only builds or reads
// trees (the broker executable among it) does not link simdjson.
#include <simdjson.h>

#include "util/json.h"

namespace notion_mcp::util {
namespace {

// simdjson's DOM API validates the whole document (structure, UTF-8, trailing content) in its
// SIMD stage; Debian 12's simdjson 3.0 on-demand API cannot reject trailing content, and every
// byte we parse is untrusted, so full validation wins. We then copy into an nlohmann tree.
constexpr size_t kMaxDepth = 128;

Json convert(simdjson::dom::element element) {
  switch (element.type()) {
    case simdjson::dom::element_type::OBJECT: {
      Json out = Json::object();
      for (auto field : simdjson::dom::object(element)) {
        out[std::string(field.key)] = convert(field.value);
      }
      return out;
    }
    case simdjson::dom::element_type::ARRAY: {
      Json out = Json::array();
      for (auto child : simdjson::dom::array(element)) out.push_back(convert(child));
      return out;
    }
    case simdjson::dom::element_type::STRING:
      return std::string(std::string_view(element));
    case simdjson::dom::element_type::INT64:
      return int64_t(element);
    case simdjson::dom::element_type::UINT64:
      return uint64_t(element);
    case simdjson::dom::element_type::DOUBLE:
      return double(element);
    case simdjson::dom::element_type::BOOL:
      return bool(element);
    case simdjson::dom::element_type::NULL_VALUE:
      return nullptr;
  }
  return nullptr;
}

std::string describe(simdjson::error_code err) {
  switch (err) {
    case simdjson::UTF8_ERROR:
      return "the text is not valid UTF-8";
    case simdjson::DEPTH_ERROR:
      return "the JSON is nested too deeply";
    case simdjson::EMPTY:
      return "the message is empty";
    default:
      return std::string("invalid JSON (") + simdjson::error_message(err) + ")";
  }
}

}  // namespace

Result<Json> parse_json(std::string_view text) {
  simdjson::dom::parser parser(/*max_capacity=*/simdjson::SIMDJSON_MAXSIZE_BYTES);
  if (auto err = parser.allocate(text.size() + 1, kMaxDepth)) {
    return make_error("parse_error", describe(err));
  }
  simdjson::dom::element root;
  if (auto err = parser.parse(text.data(), text.size(), /*realloc_if_needed=*/true).get(root)) {
    return make_error("parse_error", describe(err));
  }
  return convert(root);
}

}  // namespace notion_mcp::util
