#include "demo/rich_text_input.h"

#include "demo/api_errors.h"
#include "demo/ids.h"
#include "demo/rich_text.h"
#include "demo/serialize.h"
#include "demo/str_cat.h"
#include "demo/timestamps.h"

namespace notion_mcp::demo {

namespace {

using util::Json;

constexpr size_t kMaxItems = 100;
constexpr size_t kMaxContent = 2000;

util::Error invalid(std::string_view where, std::string_view should, const Json& got) {
  return validation_error(cat({"body failed validation: ", where, " should be ", should,
                               ", instead was `", util::dump_json(got), "`."}));
}

util::Result<Json> mention_item(const Json& mention, const Annotations& annotations,
                                const Store& store, const std::string& where) {
  const std::string kind = util::string_or(mention, "type", [&] {
    for (const char* k : {"page", "database", "user", "date"}) {
      if (mention.contains(k)) return std::string(k);
    }
    return std::string();
  }());
  const Json target = mention.value(kind, Json());
  if (kind == "date") {
    const std::string start = util::string_or(target, "start");
    if (!parse_timestamp(start)) {
      return invalid(where + ".mention.date.start", "an ISO 8601 date",
                     target.value("start", Json()));
    }
    Json item = date_mention_item(start, annotations);
    if (target.contains("end")) item["mention"]["date"]["end"] = target["end"];
    return item;
  }
  const auto id = normalize_id(util::string_or(target, "id"));
  if (kind == "user") {
    const User* user = id ? store.user(*id) : nullptr;
    if (!user)
      return invalid(where + ".mention.user.id", "the id of a user in this workspace", target);
    return user_mention_item(user_json(*user, store), annotations);
  }
  if (kind == "page") {
    const Page* page = id ? store.page(*id) : nullptr;
    if (!page) return not_found("page", id ? *id : util::string_or(target, "id"));
    return page_mention_item(page->id, store.page_title(*page), store.page_url(*page), annotations);
  }
  if (kind == "database") {
    const Database* db = id ? store.database(*id) : nullptr;
    if (!db) return not_found("database", id ? *id : util::string_or(target, "id"));
    Json item =
        page_mention_item(db->id, plain_text(db->title), store.database_url(*db), annotations);
    item["mention"] = Json{{"type", "database"}, {"database", {{"id", db->id}}}};
    return item;
  }
  return invalid(where + ".mention", "a page, database, user or date mention", mention);
}

}  // namespace

util::Result<Json> normalize_rich_text(const Json& input, const Store& store,
                                       std::string_view where) {
  if (!input.is_array()) return invalid(where, "an array", input);
  if (input.size() > kMaxItems) {
    return validation_error(
        cat({"body failed validation: ", where, ".length should be ≤ `100`, instead was `",
             std::to_string(input.size()), "`."}));
  }
  Json out = Json::array();
  for (size_t i = 0; i < input.size(); ++i) {
    const Json& item = input[i];
    const std::string at = cat({where, "[", std::to_string(i), "]"});
    if (!item.is_object()) return invalid(at, "an object", item);
    const Annotations annotations =
        annotations_from_json(item.value("annotations", Json::object()));
    std::string type = util::string_or(item, "type");
    if (type.empty()) {
      type = item.contains("mention") ? "mention" : item.contains("equation") ? "equation" : "text";
    }
    if (type == "text") {
      const Json* text = util::member(item, "text");
      const Json* content = text ? util::member(*text, "content") : nullptr;
      if (!content || !content->is_string()) {
        return invalid(at + ".text.content", "a string", content ? *content : Json("undefined"));
      }
      const std::string value = content->get<std::string>();
      if (value.size() > kMaxContent) {
        return validation_error(cat({"body failed validation: ", at,
                                     ".text.content.length should be ≤ `2000`, instead was `",
                                     std::to_string(value.size()), "`."}));
      }
      std::string href;
      if (const Json* link = util::member(*text, "link"); link && link->is_object()) {
        href = util::string_or(*link, "url");
        if (href.empty()) return invalid(at + ".text.link.url", "a non-empty string", *link);
      }
      out.push_back(text_item(value, annotations, href));
    } else if (type == "equation") {
      const std::string expression =
          util::string_or(item.value("equation", Json::object()), "expression");
      if (expression.empty()) {
        return invalid(at + ".equation.expression", "a non-empty string",
                       item.value("equation", Json()));
      }
      out.push_back(equation_item(expression, annotations));
    } else if (type == "mention") {
      auto mention = mention_item(item.value("mention", Json::object()), annotations, store, at);
      if (!mention) return mention.error();
      out.push_back(std::move(*mention));
    } else {
      return invalid(at + ".type", "`\"text\"`, `\"mention\"` or `\"equation\"`", item["type"]);
    }
  }
  return out;
}

}  // namespace notion_mcp::demo
