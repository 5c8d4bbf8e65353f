// --confirm: which calls need the person's go-ahead, what to tell them, and how to read their
// answer. The question travels as an MCP elicitation (form mode) with one boolean field; the
// dispatcher sends it and waits. Only an explicit "yes" lets the call run.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "policy/settings.h"
#include "tools/tool.h"
#include "util/json.h"

namespace notion_mcp::policy {

bool needs_confirmation(ConfirmLevel level, const tools::Tool& tool);

// Looks up a title for an id argument, for a friendlier summary ("" when unknown).
using TitleLookup = std::function<std::string(std::string_view id)>;

// The plain message the person reads: what will change, then the arguments (shortened).
std::string confirmation_message(const tools::Tool& tool, const util::Json& arguments,
                                 const TitleLookup& titles);

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
