#include "policy/confirmation.h"

#include <array>

#include "policy/call_kind.h"
#include "policy/object_index.h"
#include "policy/tool_rules.h"
#include "tools/ids.h"

namespace notion_mcp::policy {
namespace {

constexpr size_t kMaxValueChars = 160;
constexpr size_t kMaxArguments = 12;

struct Verb {
  std::string_view tool;
  std::string_view text;
};
// What each write does, in the words a person uses; other tools fall back to their title.
constexpr std::array kVerbs = {
    Verb{"trash_page", "move a page to the trash"},
    Verb{"restore_page", "restore a page from the trash"},
    Verb{"delete_block", "delete a block"},
    Verb{"create_page", "create a page"},
    Verb{"update_page", "change a page's properties, icon or cover"},
    Verb{"edit_page_content", "edit a page's content"},
    Verb{"append_blocks", "add content to a page"},
    Verb{"move_page", "move a page"},
    Verb{"create_comment", "add a comment"},
    Verb{"create_database", "create a database"},
    Verb{"update_data_source", "change a database's properties"},
    Verb{"upload_file", "upload a file"},
};

std::string utf8_prefix(std::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "… (" + std::to_string(text.size()) + " characters)";
}

// Blanks control characters (line breaks included): the message is one line per item, and text
// from the model or from Notion must not start lines of its own.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return text;
}

std::string value_line(const std::string& key, const util::Json& value, const TitleLookup& titles) {
  std::string text =
      one_line(value.is_string() ? value.get<std::string>() : util::dump_json(value));
  std::string line = "- " + one_line(key) + ": " + utf8_prefix(text, kMaxValueChars);
  if (value.is_string() && titles) {
    // The title of the object the value names, by any id it carries (a URL's ?p= page, say).
    std::string id = normalize_id(value.get<std::string>());
    if (id.empty()) {
      if (auto ids = tools::ids_in(value.get<std::string>()); ids.ok()) {
        id = normalize_id(!ids->peek_page.empty() ? ids->peek_page : ids->path);
      }
    }
    std::string title = id.empty() ? std::string() : titles(id);
    if (!title.empty()) line += " (\"" + utf8_prefix(one_line(title), kMaxValueChars) + "\")";
  }
  return line;
}

std::string what(const tools::Tool& tool) {
  for (const auto& verb : kVerbs) {
    if (verb.tool == tool.name) return std::string(verb.text);
  }
  return "run " + tool.name;
}

}  // namespace

bool needs_confirmation(ConfirmLevel level, ToolKind kind) {
  switch (level) {
    case ConfirmLevel::none:
      return false;
    case ConfirmLevel::destructive:
      return kind == ToolKind::destructive;
    case ConfirmLevel::writes:
      return kind != ToolKind::read;
  }
  return true;
}

std::string confirmation_message(const tools::Tool& tool, const util::Json& arguments,
                                 const TitleLookup& titles, const std::vector<std::string>& facts) {
  std::string message = "The AI assistant wants to " + what(tool) + " in Notion (" + tool.name;
  CallKind call = kind_of_call(tool, arguments);
  message += call.kind == ToolKind::destructive ? ", destructive).\n" : ").\n";
  if (!call.destroys.empty()) message += "This call " + call.destroys + ".\n";
  if (arguments.is_object() && !arguments.empty()) {
    size_t shown = 0;
    for (const auto& [key, value] : arguments.items()) {
      if (shown++ == kMaxArguments) {
        message += "- … and " + std::to_string(arguments.size() - kMaxArguments) + " more\n";
        break;
      }
      message += value_line(key, value, titles) + "\n";
    }
  }
  for (const auto& fact : facts) message += utf8_prefix(one_line(fact), 2 * kMaxValueChars) + "\n";
  message += "Allow it?";
  return message;
}

util::Json elicitation_params(std::string message, std::string_view protocol_version) {
  util::Json params{
      {"message", std::move(message)},
      {"requestedSchema",
       {{"type", "object"},
        {"properties",
         {{"confirm",
           {{"type", "boolean"},
            {"title", "Allow this change"},
            {"description", "Check to let notion-mcp go ahead; leave unchecked to refuse."},
            {"default", false}}}}},
        {"required", util::Json::array({"confirm"})}}}};
  // "mode" arrived with 2025-11-25; older clients validate strictly and may not know it.
  if (protocol_version >= std::string_view("2025-11-25")) params["mode"] = "form";
  return params;
}

Answer read_answer(const util::Json& result) {
  std::string action = util::string_or(result, "action");
  if (action == "decline") return Answer::declined;
  if (action == "cancel") return Answer::cancelled;
  if (action != "accept") return Answer::invalid;
  const util::Json* content = util::member(result, "content");
  const util::Json* confirm = content ? util::member(*content, "confirm") : nullptr;
  return confirm && confirm->is_boolean() && confirm->get<bool>() ? Answer::approved
                                                                  : Answer::declined;
}

std::string declined_message(const tools::Tool& tool) {
  return "The person declined: " + tool.name +
         " was not run and nothing changed. Do not retry it unless they ask; ask them what they "
         "want instead.";
}

std::string cancelled_message(const tools::Tool& tool) {
  return "The person dismissed the confirmation: " + tool.name +
         " was not run and nothing changed. Ask them whether they want it before trying again.";
}

std::string no_elicitation_message(const tools::Tool& tool, ConfirmLevel level) {
  std::string narrower = level == ConfirmLevel::writes
                             ? "--confirm destructive (confirm only trash and delete) or --confirm "
                               "none"
                             : "--confirm none";
  return tool.name + " was not run: this server asks the person before " +
         (level == ConfirmLevel::writes ? std::string("every change") : "destructive changes") +
         " (--confirm " + std::string(confirm_name(level)) +
         "), and this MCP client cannot show confirmation questions (it does not support "
         "elicitation). Nothing changed. To allow it, use a client that supports elicitation, or "
         "the person running the server can choose " +
         narrower + ".";
}

std::string timeout_message(const tools::Tool& tool, int seconds) {
  return tool.name + " was not run: nobody answered the confirmation within " +
         std::to_string(seconds) + " seconds. Nothing changed; try again when the person is there.";
}

std::string failed_message(const tools::Tool& tool, std::string_view why) {
  return tool.name + " was not run: the confirmation could not be asked (" + std::string(why) +
         "). Nothing changed.";
}

}  // namespace notion_mcp::policy
