#include "tools/users.h"

#include "tools/render.h"

namespace notion_mcp::tools {

util::Json compact_user(const util::Json& user, std::string& line) {
  util::Json item = {{"id", util::string_or(user, "id")},
                     {"name", util::string_or(user, "name")},
                     {"type", util::string_or(user, "type")}};
  line = (item["name"].get<std::string>().empty() ? std::string("(no name)")
                                                  : item["name"].get<std::string>()) +
         " · " + item["type"].get<std::string>();
  if (const util::Json* person = util::member(user, "person")) {
    std::string email = util::string_or(*person, "email");
    if (!email.empty()) {
      item["email"] = email;
      line += " · " + email;
    }
  }
  line += " · " + item["id"].get<std::string>();
  return item;
}

}  // namespace notion_mcp::tools
