// --scope: confines every read and write to the subtrees of some pages, databases or data
// sources. An object is inside when it, or an ancestor reached through its parents, is a scope
// root. Parents come from the object index; missing links are fetched (GET pages/, blocks/,
// databases/, data_sources/) and remembered. Anything that cannot be proved inside is outside.
#pragma once

#include <string>
#include <vector>

#include "notion/client.h"
#include "policy/object_index.h"
#include "util/cancel.h"
#include "util/result.h"
#include "util/task.h"

namespace notion_mcp::policy {

class Scope {
 public:
  Scope() = default;  // inactive: the whole workspace is inside

  // From --scope values (ids or Notion URLs). Errors name the value that is neither.
  static util::Result<Scope> parse(const std::vector<std::string>& inputs);

  bool active() const { return !roots_.empty(); }
  const std::vector<std::string>& roots() const { return roots_; }
  bool is_root(std::string_view id) const;

  struct Verdict {
    bool inside = false;
    bool failed = false;  // the check itself failed (Notion error, cancelled): `why` says so
    std::string why;      // for a refusal: a sentence naming the object and the scope
  };

  // Whether `target` is inside. Fetches at most a bounded number of missing links.
  util::Task<Verdict> check(ObjectRef target, ObjectIndex& index, notion::Client& client,
                            util::CancelToken cancel) const;

  // The roots for messages: `"Acme Handbook" (1f3a…)` when the title is known.
  std::string describe(const ObjectIndex& index) const;

 private:
  std::vector<std::string> roots_;  // normalized ids
};

// The object `ref` for messages: `page "Title" (id)` or `page id`.
std::string describe_object(const ObjectRef& ref, const ObjectIndex& index);
// `page id`, without the title: refusals must not reveal what lies outside the scope.
std::string describe_object(const ObjectRef& ref);

}  // namespace notion_mcp::policy
