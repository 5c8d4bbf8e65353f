#include "policy/tool_rules.h"

#include "policy/call_kind.h"

namespace notion_mcp::policy {

ToolKind kind_of(const tools::Tool& tool) {
  if (tool.annotations.read_only) return ToolKind::read;
  return tool.annotations.destructive ? ToolKind::destructive : ToolKind::write;
}

std::string_view kind_name(ToolKind kind) {
  switch (kind) {
    case ToolKind::read:
      return "read";
    case ToolKind::write:
      return "write";
    case ToolKind::destructive:
      return "destructive";
  }
  return "write";
}

bool glob_match(std::string_view pattern, std::string_view name) {
  // Iterative matching with one backtrack point: linear for the patterns people write.
  size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

util::Result<void> validate_pattern(std::string_view pattern) {
  bool ok = !pattern.empty() && pattern.size() <= 64;
  for (char c : pattern) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == '*' || c == '?');
  }
  if (ok) return {};
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + string.
  std::string message(1, '"');
  message.append(pattern.substr(0, 64));
  message.append(
      "\" is not a tool-name pattern: use tool names with * and ? (for example "
      "'get_*' or 'trash_page').");
  return util::make_error("invalid_pattern", std::move(message));
}

namespace {

bool in_profile(Profile profile, ToolKind kind) {
  switch (profile) {
    case Profile::read:
      return kind == ToolKind::read;
    case Profile::write:
      return kind != ToolKind::destructive;
    case Profile::full:
      return true;
  }
  return false;
}

std::string profile_refusal(const tools::Tool& tool, Profile profile, ToolKind kind) {
  std::string name = tool.name;
  if (kind == ToolKind::destructive) {
    return name +
           " is not available: it is destructive (it deletes or trashes content) and this "
           "server runs with --profile " +
           std::string(profile_name(profile)) +
           ", which offers no destructive tools. To allow it, the person running the server can "
           "use --profile full or add --allow " +
           name + " (with --confirm destructive, the default, each use is still confirmed).";
  }
  return name +
         " is not available: it changes the workspace and this server runs with --profile read "
         "(reading only). To allow it, the person running the server can use --profile write or "
         "add --allow " +
         name + ".";
}

}  // namespace

std::string redundant_allow_message(std::string_view pattern, Profile profile) {
  std::string message = "--allow '";
  message.append(pattern);
  message.append("' adds nothing: every tool it matches is already offered by --profile ");
  message.append(profile_name(profile));
  message.append(
      ". --allow only adds tools to the profile; to offer fewer tools, choose a narrower "
      "--profile (read: reading only) or remove tools with --deny.");
  return message;
}

ToolDecision ToolRules::decide(const tools::Tool& tool) const {
  for (const auto& pattern : deny_) {
    if (glob_match(pattern, tool.name)) {
      return {false, "deny",
              tool.name + " is not available: it is blocked by --deny '" + pattern +
                  "' (on the command line or in the config file). To allow it, the person "
                  "running the server can remove that pattern."};
    }
  }
  ToolKind kind = kind_of(tool);
  if (in_profile(profile_, kind)) return {};
  for (const auto& pattern : allow_) {
    if (glob_match(pattern, tool.name)) return {};
  }
  return {false, "profile", profile_refusal(tool, profile_, kind)};
}

ToolDecision ToolRules::decide(const tools::Tool& tool, const CallKind& call) const {
  ToolDecision decision = decide(tool);
  if (!decision.allowed || call.kind != ToolKind::destructive ||
      kind_of(tool) == ToolKind::destructive || in_profile(profile_, ToolKind::destructive)) {
    return decision;
  }
  return {false, "profile",
          tool.name + " was refused: this call " + call.destroys +
              ", which is destructive, and this server runs with --profile " +
              std::string(profile_name(profile_)) +
              ", which allows no destructive changes. Nothing changed. Make the change without "
              "destroying anything (leave that part out of the call), or the person running the "
              "server can use --profile full (with --confirm destructive, the default, each "
              "destructive call is still confirmed)."};
}

std::vector<std::string> ToolRules::redundant_allows(const std::vector<tools::Tool>& tools) const {
  std::vector<std::string> redundant;
  for (const auto& pattern : allow_) {
    bool matches = false, adds = false;
    for (const auto& tool : tools) {
      if (!glob_match(pattern, tool.name)) continue;
      matches = true;
      adds = adds || !in_profile(profile_, kind_of(tool));
    }
    if (matches && !adds) redundant.push_back(pattern);
  }
  return redundant;
}

std::vector<std::string> ToolRules::unused_patterns(const std::vector<tools::Tool>& tools) const {
  std::vector<std::string> unused;
  for (const auto* list : {&allow_, &deny_}) {
    for (const auto& pattern : *list) {
      bool used = false;
      for (const auto& tool : tools) used = used || glob_match(pattern, tool.name);
      if (!used) unused.push_back(pattern);
    }
  }
  return unused;
}

}  // namespace notion_mcp::policy
