#include "demo/mentions.h"

#include "demo/ids.h"
#include "demo/rich_text.h"
#include "demo/serialize.h"

namespace notion_mcp::demo {

std::optional<std::string> id_from_url(std::string_view url) {
  if (auto id = normalize_id(url)) return id;
  // Drop a query or fragment, then take the last 32 hex digits (dashes ignored).
  url = url.substr(0, url.find_first_of("?#"));
  std::string hex;
  for (size_t i = url.size(); i-- > 0 && hex.size() < 32;) {
    const char c = url[i];
    if (c == '-') continue;
    const bool is_hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!is_hex) break;
    hex.insert(hex.begin(), c);
  }
  if (hex.size() != 32) return std::nullopt;
  return normalize_id(hex);
}

MentionResolver mention_resolver(const Store& store) {
  return [&store](std::string_view tag, std::string_view url,
                  const Annotations& annotations) -> util::Json {
    if (tag == "mention-user") {
      std::string_view rest = url;
      if (rest.rfind("user://", 0) == 0) rest.remove_prefix(7);
      auto id = normalize_id(rest);
      const User* user = id ? store.user(*id) : nullptr;
      return user ? user_mention_item(user_json(*user, store), annotations) : util::Json();
    }
    auto id = id_from_url(url);
    if (!id) return util::Json();
    if (const Page* page = store.page(*id)) {
      return page_mention_item(page->id, store.page_title(*page), store.page_url(*page),
                               annotations);
    }
    if (const Database* database = store.database(*id)) {
      util::Json item = page_mention_item(database->id, plain_text(database->title),
                                          store.database_url(*database), annotations);
      item["mention"] = {{"type", "database"}, {"database", {{"id", database->id}}}};
      return item;
    }
    return util::Json();
  };
}

}  // namespace notion_mcp::demo
