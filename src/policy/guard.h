// The policy as the dispatcher applies it to each call: the tool rules, the scope (with the
// object index it walks) and the confirmation level. Policy decisions live here; the MCP side
// (asking the person, sending results) stays in mcp/.
#pragma once

#include <optional>

#include "notion/client.h"
#include "policy/object_index.h"
#include "policy/scope.h"
#include "policy/settings.h"
#include "policy/tool_rules.h"
#include "tools/tool.h"
#include "util/cancel.h"
#include "util/json.h"
#include "util/result.h"
#include "util/task.h"

namespace notion_mcp::policy {

class Guard {
 public:
  Guard() = default;  // profile write, confirm destructive, no scope
  Guard(const Settings& settings, Scope scope)
      : rules_(settings), scope_(std::move(scope)), confirm_(settings.confirm) {}

  // Checks the patterns and parses the scope; errors say which value is wrong.
  static util::Result<Guard> create(const Settings& settings);

  ToolDecision decide(const tools::Tool& tool) const { return rules_.decide(tool); }
  // For one call: its arguments can make a write tool destructive (see call_kind.h).
  ToolDecision decide(const tools::Tool& tool, const util::Json& arguments) const;
  const ToolRules& rules() const { return rules_; }
  ConfirmLevel confirm() const { return confirm_; }
  bool needs_confirmation(const tools::Tool& tool, const util::Json& arguments) const;
  const Scope& scope() const { return scope_; }
  ObjectIndex& index() { return index_; }
  const ObjectIndex& index() const { return index_; }

  // Learns parents and titles from a Notion answer (every answer a call receives).
  void observe(const util::Json& body);

  // The refusal when the call reaches outside the scope (code "outside_scope"), or when it
  // cannot be checked; nullopt when it may run.
  util::Task<std::optional<util::Error>> check_scope(const tools::Tool& tool,
                                                     const util::Json& arguments,
                                                     notion::Client& client,
                                                     util::CancelToken cancel);
  // The same for one object (resources/read).
  util::Task<std::optional<util::Error>> check_object(ObjectRef ref, notion::Client& client,
                                                      util::CancelToken cancel);

  // Drops results outside the scope from a search or query result (structured and text).
  util::Task<void> filter_results(const tools::Tool& tool, tools::ToolResult& result,
                                  notion::Client& client, util::CancelToken cancel);

 private:
  ToolRules rules_;
  Scope scope_;
  ConfirmLevel confirm_ = ConfirmLevel::destructive;
  ObjectIndex index_;
};

}  // namespace notion_mcp::policy
