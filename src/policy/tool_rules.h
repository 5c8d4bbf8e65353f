// Which tools a server offers: the profile's set by blast radius, plus --allow globs, minus
// --deny globs (deny wins). --allow only ever adds: the refusals' advice ("add --allow
// trash_page") keeps every other tool, as a person expects; narrowing is --profile and --deny. A
// refused tool is neither listed nor run, and the refusal says which rule applies and how a person
// can allow the tool.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "policy/settings.h"
#include "tools/tool.h"
#include "util/result.h"

namespace notion_mcp::policy {

struct CallKind;

// read: readOnlyHint; write: changes content but destroys nothing; destructive: trash/delete.
enum class ToolKind { read, write, destructive };
ToolKind kind_of(const tools::Tool& tool);
std::string_view kind_name(ToolKind kind);

// Shell-style glob on tool names: `*` any run of characters, `?` one character.
bool glob_match(std::string_view pattern, std::string_view name);

// A pattern must be a tool-name glob (letters, digits, `_`, `-`, `*`, `?`).
util::Result<void> validate_pattern(std::string_view pattern);

// The start-up warning for a redundant --allow pattern: what --allow does and how to narrow.
std::string redundant_allow_message(std::string_view pattern, Profile profile);

struct ToolDecision {
  bool allowed = true;
  std::string rule;    // "profile", "deny" or "" when allowed; for the audit log
  std::string reason;  // why it is refused and how to allow it; empty when allowed
};

class ToolRules {
 public:
  ToolRules() = default;  // profile write, no patterns
  explicit ToolRules(const Settings& settings)
      : profile_(settings.profile), allow_(settings.allow), deny_(settings.deny) {}

  ToolDecision decide(const tools::Tool& tool) const;
  // The same for one call: a write tool's destructive call (see call_kind.h) needs a profile
  // that offers destructive tools (full).
  ToolDecision decide(const tools::Tool& tool, const CallKind& call) const;
  Profile profile() const { return profile_; }

  // Patterns that match none of `tools`: probably a typo, worth a warning at start-up.
  std::vector<std::string> unused_patterns(const std::vector<tools::Tool>& tools) const;
  // --allow patterns that add nothing: every tool they match is in the profile already (the
  // DESIGN's own `--allow 'get_*'` under the default profile). --allow only widens the profile,
  // so a person who meant "only these tools" is told how to narrow it instead.
  std::vector<std::string> redundant_allows(const std::vector<tools::Tool>& tools) const;

 private:
  Profile profile_ = Profile::write;
  std::vector<std::string> allow_;
  std::vector<std::string> deny_;
};

}  // namespace notion_mcp::policy
