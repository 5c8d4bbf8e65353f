#include "tools/errors.h"

#include "util/redact.h"

namespace notion_mcp::tools {

std::string default_hint(std::string_view code) {
  if (code == "object_not_found") {
    return "Check the id or URL (search finds ids), and make sure the page is shared with the "
           "integration (page menu → Connections).";
  }
  if (code == "validation_error" || code == "invalid_request" || code == "invalid_json") {
    return "Change the arguments as the message says.";
  }
  if (code == "restricted_resource") {
    return "The integration lacks the capability for this; a workspace owner can grant it in the "
           "integration's settings.";
  }
  if (code == "unauthorized") return "The token is invalid or expired: run `notion-mcp login`.";
  if (code == "rate_limited" || code == "service_overload") return "Wait a moment, then retry.";
  if (code == "invalid_id") return "Pass the page's URL or its 32-character id.";
  if (code == "cancelled") return "The call was cancelled; call again if it is still needed.";
  if (code == "network_error" || code == "internal_server_error" || code == "bad_gateway" ||
      code == "service_unavailable" || code == "gateway_timeout") {
    return "Notion could not be reached or failed; retry in a moment.";
  }
  return {};
}

ToolResult error_result(const util::Error& error, std::string_view extra_hint) {
  std::string code = error.code.empty() ? "error" : error.code;
  std::string hint = error.hint;
  if (hint.empty()) {
    hint = extra_hint.empty() ? default_hint(code) : std::string(extra_hint);
  } else if (!extra_hint.empty()) {
    hint += ' ';
    hint += extra_hint;
  }
  // Whatever came back from the network passes the redactor before it reaches the model.
  std::string message = util::redact(error.message);
  hint = util::redact(hint);

  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on one long concatenation.
  std::string text = error.status > 0 ? "Notion error (" : "Error (";
  text += code;
  text += "): ";
  text += message;
  if (!hint.empty()) text += " Hint: " + hint;
  ToolResult result = ToolResult::error(std::move(text));
  result.structured = {{"error", {{"code", code}, {"message", message}, {"hint", hint}}}};
  return result;
}

}  // namespace notion_mcp::tools
