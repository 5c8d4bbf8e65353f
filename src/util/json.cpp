#include "util/json.h"

#include <string>
#include <vector>

#include "util/utf8.h"

namespace notion_mcp::util {
namespace {

// No value may sit deeper than this, the outermost being 1 (simdjson's default, which the tests
// hold this parser to).
constexpr size_t kMaxDepth = 128;

// Builds the tree from nlohmann's SAX events, refusing what simdjson refuses and nlohmann alone
// would take: nesting deeper than kMaxDepth, and integers beyond 64 bits (nlohmann would make
// them doubles and lose digits without a word).
class StrictBuilder {
 public:
  enum class Refusal { none, too_deep, out_of_range };

  Json& result() { return root_; }
  Refusal refusal() const { return refusal_; }

  bool null() { return add(nullptr); }
  bool boolean(bool value) { return add(value); }
  bool number_integer(Json::number_integer_t value) { return add(value); }
  bool number_unsigned(Json::number_unsigned_t value) { return add(value); }
  bool number_float(Json::number_float_t value, const Json::string_t& text) {
    if (text.find_first_of(".eE") == Json::string_t::npos) {
      refusal_ = Refusal::out_of_range;
      return false;
    }
    return add(value);
  }
  bool string(Json::string_t& value) { return add(std::move(value)); }
  bool binary(Json::binary_t&) { return false; }  // not produced by JSON text
  bool start_object(size_t) { return open(Json::object()); }
  bool start_array(size_t) { return open(Json::array()); }
  bool key(Json::string_t& key) {
    if (!room()) return false;
    key_ = std::move(key);
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

 private:
  bool room() {
    if (stack_.size() < kMaxDepth) return true;
    refusal_ = Refusal::too_deep;
    return false;
  }
  // Places `value` in the open container (or as the root); returns where it now lives.
  Json* place(Json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    Json& slot = parent[key_];  // a repeated key: the last one wins, as in simdjson's reading
    slot = std::move(value);
    return &slot;
  }
  bool add(Json value) {
    if (!room()) return false;
    place(std::move(value));
    return true;
  }
  bool open(Json container) {
    if (!room()) return false;
    stack_.push_back(place(std::move(container)));
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  Json root_;
  std::vector<Json*> stack_;  // the open containers; a parent is not touched while a child is open
  Json::string_t key_;
  Refusal refusal_ = Refusal::none;
};

}  // namespace

Result<Json> parse_json(std::string_view text) {
  if (text.empty()) return make_error("parse_error", "the message is empty");
  // Checked first for a message that says what is wrong; nlohmann would only say "invalid".
  if (!valid_utf8(text)) return make_error("parse_error", "the text is not valid UTF-8");
  // A byte-order mark is not JSON (RFC 8259 8.1); nlohmann would skip it, simdjson refuses it.
  if (text.starts_with("\xEF\xBB\xBF")) return make_error("parse_error", "invalid JSON");
  StrictBuilder builder;
  if (!Json::sax_parse(text, &builder)) {
    switch (builder.refusal()) {
      case StrictBuilder::Refusal::too_deep:
        return make_error("parse_error", "the JSON is nested too deeply");
      case StrictBuilder::Refusal::out_of_range:
        return make_error("parse_error", "invalid JSON (an integer beyond 64 bits)");
      case StrictBuilder::Refusal::none:
        break;
    }
    return make_error("parse_error", "invalid JSON");
  }
  return std::move(builder.result());
}

Result<Json> parse_small_json(std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return make_error("parse_error",
                      "the JSON is larger than " + std::to_string(max_bytes) + " bytes");
  }
  return parse_json(text);
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
