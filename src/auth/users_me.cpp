// BlockingNotion::users_me lives apart from the OAuth calls because it needs the Notion API
// client, which the broker executable, which only refreshes tokens, does not link.
#include "auth/oauth_client.h"
#include "notion/client.h"

namespace notion_mcp::auth {

util::Result<TokenOwner> BlockingNotion::users_me(const util::Secret& token) {
  notion::ClientOptions options;
  options.max_attempts = 3;
  options.backoff_base = std::chrono::milliseconds(200);
  options.backoff_ceiling = std::chrono::milliseconds(2000);
  options.retry_after_cap = std::chrono::milliseconds(5000);
  notion::Client client(
      *loop_, *transport_, [token] { return util::Result<util::Secret>(token); }, options);
  auto answer = run(client.get("/v1/users/me", {}));
  if (!answer) return answer.error();
  TokenOwner owner;
  owner.bot_id = util::string_or(*answer, "id");
  owner.name = util::string_or(*answer, "name");
  if (const util::Json* bot = util::member(*answer, "bot"); bot && bot->is_object()) {
    owner.workspace_name = util::string_or(*bot, "workspace_name");
  }
  return owner;
}

}  // namespace notion_mcp::auth
