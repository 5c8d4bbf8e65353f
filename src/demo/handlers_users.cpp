// GET /v1/users, /v1/users/{id} and /v1/users/me.
#include "demo/api_errors.h"
#include "demo/handlers.h"
#include "demo/pagination.h"
#include "demo/serialize.h"

namespace notion_mcp::demo {

Reply list_users(Context& c) {
  auto paging = page_request_from_query(c.query);
  if (!paging) return paging.error();
  const auto& users = c.store.users();
  auto window = slice(
      *paging, users.size(), [&](size_t i) { return users[i].id; }, "query");
  if (!window) return window.error();
  util::Json results = util::Json::array();
  for (size_t i = window->begin; i < window->end; ++i) {
    results.push_back(user_json(users[i], c.store));
  }
  return list_json(std::move(results), *window, "user");
}

Reply get_user(Context& c) {
  auto id = path_id(c, 0, "user_id");
  if (!id) return id.error();
  const User* user = c.store.user(*id);
  if (!user) return not_found("user", *id);
  return user_json(*user, c.store);
}

Reply get_self(Context& c) {
  const User* bot = c.store.user(c.store.bot_id());
  if (!bot) return not_found("user", "me");
  return user_json(*bot, c.store);
}

}  // namespace notion_mcp::demo
