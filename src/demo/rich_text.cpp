#include "demo/rich_text.h"

#include "demo/str_cat.h"

namespace notion_mcp::demo {

using util::Json;

Json annotations_json(const Annotations& a) {
  // Built member by member: nlohmann's initializer lists cost several times more, and the
  // seed builds thousands of these.
  Json out(Json::value_t::object);
  auto& object = *out.get_ptr<Json::object_t*>();
  object.emplace("bold", a.bold);
  object.emplace("italic", a.italic);
  object.emplace("strikethrough", a.strikethrough);
  object.emplace("underline", a.underline);
  object.emplace("code", a.code);
  object.emplace("color", a.color);
  return out;
}

Annotations annotations_from_json(const Json& json) {
  Annotations a;
  a.bold = util::bool_or(json, "bold", false);
  a.italic = util::bool_or(json, "italic", false);
  a.strikethrough = util::bool_or(json, "strikethrough", false);
  a.underline = util::bool_or(json, "underline", false);
  a.code = util::bool_or(json, "code", false);
  a.color = util::string_or(json, "color", "default");
  return a;
}

Json text_item(std::string_view content, const Annotations& annotations, std::string_view href) {
  Json text(Json::value_t::object);
  auto& text_object = *text.get_ptr<Json::object_t*>();
  text_object.emplace("content", std::string(content));
  if (href.empty()) {
    text_object.emplace("link", nullptr);
  } else {
    Json link(Json::value_t::object);
    link.get_ptr<Json::object_t*>()->emplace("url", std::string(href));
    text_object.emplace("link", std::move(link));
  }
  Json out(Json::value_t::object);
  auto& object = *out.get_ptr<Json::object_t*>();
  object.emplace("type", "text");
  object.emplace("text", std::move(text));
  object.emplace("annotations", annotations_json(annotations));
  object.emplace("plain_text", std::string(content));
  object.emplace("href", href.empty() ? Json(nullptr) : Json(std::string(href)));
  return out;
}

Json equation_item(std::string_view expression, const Annotations& annotations) {
  return Json{{"type", "equation"},
              {"equation", {{"expression", std::string(expression)}}},
              {"annotations", annotations_json(annotations)},
              {"plain_text", std::string(expression)},
              {"href", nullptr}};
}

Json page_mention_item(std::string_view page_id, std::string_view title, std::string_view url,
                       const Annotations& annotations) {
  return Json{{"type", "mention"},
              {"mention", {{"type", "page"}, {"page", {{"id", std::string(page_id)}}}}},
              {"annotations", annotations_json(annotations)},
              {"plain_text", std::string(title)},
              {"href", std::string(url)}};
}

Json user_mention_item(const Json& user, const Annotations& annotations) {
  return Json{{"type", "mention"},
              {"mention", {{"type", "user"}, {"user", user}}},
              {"annotations", annotations_json(annotations)},
              {"plain_text", cat({"@", util::string_or(user, "name")})},
              {"href", nullptr}};
}

Json date_mention_item(std::string_view start, const Annotations& annotations) {
  return Json{
      {"type", "mention"},
      {"mention",
       {{"type", "date"},
        {"date", {{"start", std::string(start)}, {"end", nullptr}, {"time_zone", nullptr}}}}},
      {"annotations", annotations_json(annotations)},
      {"plain_text", std::string(start)},
      {"href", nullptr}};
}

Json plain_rich_text(std::string_view content) {
  Json out = Json::array();
  if (!content.empty()) out.push_back(text_item(content));
  return out;
}

std::string plain_text(const Json& rich_text) {
  std::string out;
  if (!rich_text.is_array()) return out;
  for (const Json& item : rich_text) out += util::string_or(item, "plain_text");
  return out;
}

}  // namespace notion_mcp::demo
