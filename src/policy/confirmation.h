// --confirm: which calls need the person's go-ahead, what to tell them, and how to read their
// answer. The question travels as an MCP elicitation (form mode) with one boolean field; the
// dispatcher sends it and waits. Only an explicit "yes" lets the call run.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/settings.h"
#include "policy/tool_rules.h"
#include "tools/tool.h"
#include "util/json.h"

namespace notion_mcp::policy {

// Whether a call of this kind (see call_kind.h: by its arguments, not only its tool) asks first.
bool needs_confirmation(ConfirmLevel level, ToolKind kind);

// Looks up a title for an id argument, for a friendlier summary ("" when unknown).
using TitleLookup = std::function<std::string(std::string_view id)>;

// The plain message the person reads: what will change, then the arguments (shortened), then
// `facts` (see confirmation_facts.h). Titles and facts come from Notion: control characters
// are blanked so they cannot forge lines of the message.
std::string confirmation_message(const tools::Tool& tool, const util::Json& arguments,
                                 const TitleLookup& titles,
                                 const std::vector<std::string>& facts = {});

// The params of elicitation/create. `mode` is sent only to clients on 2025-11-25 or later.
util::Json elicitation_params(std::string message, std::string_view protocol_version);

enum class Answer { approved, declined, cancelled, invalid };
// Reads an ElicitResult: only action "accept" with confirm == true approves.
Answer read_answer(const util::Json& result);

// The refusal text for each way a confirmation can fail; all end with how to proceed.
std::string declined_message(const tools::Tool& tool);
std::string cancelled_message(const tools::Tool& tool);
std::string no_elicitation_message(const tools::Tool& tool, ConfirmLevel level);
std::string timeout_message(const tools::Tool& tool, int seconds);
std::string failed_message(const tools::Tool& tool, std::string_view why);

}  // namespace notion_mcp::policy
